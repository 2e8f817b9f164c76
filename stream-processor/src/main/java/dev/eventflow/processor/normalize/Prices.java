package dev.eventflow.processor.normalize;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Odds arithmetic. Prices arrive as decimal ({@code 2.5}), fractional ({@code 3/2}, {@code 5-2})
 * or American ({@code +150}, {@code -200}) odds and leave as decimal odds. Results that do not
 * terminate are rounded half-even to {@value #SCALE} decimal places; trailing zeros are removed so
 * that {@code 2.50} and {@code 2.5} are the same price.
 */
public final class Prices {

    public static final int SCALE = 6;
    private static final MathContext DIVISION = new MathContext(20, RoundingMode.HALF_EVEN);
    private static final Pattern FRACTIONAL = Pattern.compile("(\\d+)\\s*[/-]\\s*(\\d+)");
    private static final Pattern AMERICAN = Pattern.compile("([+-])(\\d+(?:\\.\\d+)?)");
    private static final Pattern DECIMAL = Pattern.compile("\\d+(?:\\.\\d+)?");
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    /** Digits a plausible price has at most before its decimal point, and after it. */
    private static final int MAX_INTEGER_DIGITS = 20;
    private static final int MAX_FRACTION_DIGITS = 100;

    private Prices() {
    }

    /**
     * Parses one price in any supported format into decimal odds.
     *
     * @throws ValidationException when it is no price, or not above 1.0
     */
    public static BigDecimal parse(String field, String raw) throws ValidationException {
        String text = raw == null ? "" : raw.trim();
        BigDecimal decimal;
        Matcher american = AMERICAN.matcher(text);
        Matcher fractional = FRACTIONAL.matcher(text);
        if (american.matches()) {
            BigDecimal line = new BigDecimal(american.group(2));
            return american(field, american.group(1).equals("+") ? line : line.negate(), text);
        } else if (fractional.matches()) {
            BigDecimal denominator = new BigDecimal(fractional.group(2));
            if (denominator.signum() == 0) {
                throw new ValidationException("invalid-odds", field + " '" + text + "' divides by zero");
            }
            decimal = BigDecimal.ONE.add(new BigDecimal(fractional.group(1)).divide(denominator, DIVISION));
        } else if (DECIMAL.matcher(text).matches()) {
            decimal = new BigDecimal(text);
        } else {
            throw new ValidationException("invalid-odds", field + " '" + text + "' is not a price");
        }
        return requireAboveOne(field, tidy(decimal));
    }

    /** Decimal odds of an American line read as a number: +150 is 2.5, -200 is 1.5. */
    public static BigDecimal fromAmerican(String field, BigDecimal line) throws ValidationException {
        plausible(field, line);
        return american(field, line, (line.signum() >= 0 ? "+" : "") + line.stripTrailingZeros().toPlainString());
    }

    private static BigDecimal american(String field, BigDecimal line, String shown) throws ValidationException {
        plausible(field, line);
        BigDecimal size = line.abs();
        if (size.compareTo(HUNDRED) < 0) {
            throw new ValidationException("invalid-odds", field + " '" + shown
                    + "' is neither a decimal price above 1.0 nor an American price (|line| >= 100)");
        }
        BigDecimal decimal = line.signum() >= 0
                ? BigDecimal.ONE.add(size.divide(HUNDRED, DIVISION))
                : BigDecimal.ONE.add(HUNDRED.divide(size, DIVISION));
        return requireAboveOne(field, tidy(decimal));
    }

    /** Checks a decimal price read from a JSON number. */
    public static BigDecimal requireAboveOne(String field, BigDecimal price) throws ValidationException {
        plausible(field, price);
        if (price.compareTo(BigDecimal.ONE) <= 0) {
            throw new ValidationException("invalid-odds", field + " " + price.toPlainString() + " is not above 1.0");
        }
        return tidy(price);
    }

    /**
     * Refuses a number no price can be, before any arithmetic: {@code 1e999999999} or {@code 1e-999999999} (valid JSON)
     * would take seconds and gigabytes to round or print, or fail with an ArithmeticException.
     */
    static BigDecimal plausible(String field, BigDecimal price) throws ValidationException {
        if (price.precision() - price.scale() > MAX_INTEGER_DIGITS || price.scale() > MAX_FRACTION_DIGITS) {
            throw new ValidationException("invalid-odds", field + " " + price + " is not a plausible price");
        }
        return price;
    }

    /** {@code 1/price}: the implied probability. */
    public static BigDecimal implied(BigDecimal price) {
        return tidy(BigDecimal.ONE.divide(price, DIVISION));
    }

    /** The return rate {@code 1 / Σ(1/price)}. */
    public static BigDecimal payout(BigDecimal... prices) {
        BigDecimal sum = BigDecimal.ZERO;
        for (BigDecimal price : prices) {
            sum = sum.add(BigDecimal.ONE.divide(price, DIVISION));
        }
        return tidy(BigDecimal.ONE.divide(sum, DIVISION));
    }

    /** Rounds to {@value #SCALE} places and drops trailing zeros, never into exponent form. */
    public static BigDecimal tidy(BigDecimal value) {
        BigDecimal rounded = value.setScale(SCALE, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return rounded.scale() < 0 ? rounded.setScale(0, RoundingMode.UNNECESSARY) : rounded;
    }
}
