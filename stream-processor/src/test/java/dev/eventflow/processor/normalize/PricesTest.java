package dev.eventflow.processor.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PricesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2.5, 2.5", "2.50, 2.5", "10, 10", "10.00, 10", " 1.14 , 1.14",
        "5/2, 3.5", "1/3, 1.333333", "11-10, 2.1", "100/30, 4.333333",
        "+150, 2.5", "-200, 1.5", "+100, 2", "-110, 1.909091", "-100, 2"
    })
    void shouldNormalizeDecimalFractionalAndAmericanOddsToDecimal(String raw, String expected) throws ValidationException {
        assertThat(Prices.parse("price", raw)).isEqualTo(new BigDecimal(expected));
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(value = {"1", "1.0", "0.95", "0", "abc", "''", "5/0", "+50", "-99", "1/0", "'2,5'"}, emptyValue = "")
    void shouldRefuseWhatIsNotAPriceAboveOne(String raw) {
        assertThatThrownBy(() -> Prices.parse("B365H", raw))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).code()).isEqualTo("invalid-odds"))
                .hasMessageStartingWith("B365H");
    }

    @Test
    void shouldRefuseNumbersNoPriceCanBeAtOnceInsteadOfComputingWithThem() {
        // Valid JSON numbers: rounding 1e999999999 fails with an ArithmeticException after seconds, and printing
        // 1e-999999999 in a reason takes a gigabyte
        for (String number : List.of("1e999999999", "1e-999999999", "-1e999999999")) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> Prices.requireAboveOne("B365 home", new BigDecimal(number)))
                    .isInstanceOf(ValidationException.class)
                    .hasMessage("B365 home " + new BigDecimal(number) + " is not a plausible price");
            assertThatThrownBy(() -> Prices.fromAmerican("B365 home", new BigDecimal(number)))
                    .hasMessage("B365 home " + new BigDecimal(number) + " is not a plausible price");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(1));
        }
        assertThatThrownBy(() -> Prices.parse("B365A", "-2.80"))
                .hasMessage("B365A '-2.80' is neither a decimal price above 1.0 nor an American price (|line| >= 100)");
    }

    @Test
    void shouldComputeImpliedProbabilityAndPayout() {
        // 1 / (1/1.14 + 1/9.5 + 1/21) = 1 / 1.030075... = 0.970803
        assertThat(Prices.payout(new BigDecimal("1.14"), new BigDecimal("9.5"), new BigDecimal("21")))
                .isEqualTo(new BigDecimal("0.970803"));
        assertThat(Prices.implied(new BigDecimal("3"))).isEqualTo(new BigDecimal("0.333333"));
        assertThat(Prices.payout(new BigDecimal("3"), new BigDecimal("3"), new BigDecimal("3"))).isEqualTo(new BigDecimal("1"));
    }

    @Test
    void shouldNeverWriteExponents() {
        assertThat(Prices.tidy(new BigDecimal("1E+3")).toString()).isEqualTo("1000");
        assertThat(Prices.tidy(new BigDecimal("20.000")).toString()).isEqualTo("20");
    }
}
