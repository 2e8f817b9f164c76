package dev.eventflow.processor.provider;

import dev.eventflow.model.ReturnRate;
import dev.eventflow.processor.normalize.EntityResolver;
import dev.eventflow.processor.normalize.Prices;
import dev.eventflow.processor.normalize.ValidationException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * What every mapper shares: entity resolution and the validation limits, so that all providers
 * are held to the same rules.
 *
 * @param entities  entity resolution (names and aliases)
 * @param minPayout lowest acceptable return rate of one bookmaker's 1X2 prices
 * @param maxPayout highest acceptable return rate of one bookmaker's 1X2 prices
 * @param maxPrice  highest acceptable decimal price
 */
public record MappingRules(EntityResolver entities, BigDecimal minPayout, BigDecimal maxPayout, BigDecimal maxPrice) {

    /** The market every provider's three-way full-time prices are mapped to. */
    public static final String MARKET_1X2 = "1X2";
    private static final int MIN_YEAR = 1870;
    private static final int MAX_YEAR = 2100;

    public MappingRules {
        Objects.requireNonNull(entities, "entities");
        if (minPayout.compareTo(maxPayout) > 0) {
            throw new IllegalArgumentException("minimum payout " + minPayout + " is above the maximum " + maxPayout);
        }
    }

    /** These rules resolving entities with {@code resolver}. */
    public MappingRules withEntities(EntityResolver resolver) {
        return new MappingRules(resolver, minPayout, maxPayout, maxPrice);
    }

    /** A validated, normalized 1X2 return rate with implied probabilities and payout. */
    public ReturnRate returnRate(String eventId, String bookmaker, Instant quotedAt, BigDecimal home, BigDecimal draw,
                                 BigDecimal away, String provider) throws ValidationException {
        for (BigDecimal price : new BigDecimal[] {home, draw, away}) {
            if (price.compareTo(maxPrice) > 0) {
                throw new ValidationException("invalid-odds", bookmaker + " price " + price.toPlainString()
                        + " is above the maximum " + maxPrice.toPlainString());
            }
        }
        BigDecimal payout = Prices.payout(home, draw, away);
        if (payout.compareTo(minPayout) < 0 || payout.compareTo(maxPayout) > 0) {
            throw new ValidationException("invalid-payout", bookmaker + " payout " + payout.toPlainString()
                    + " of " + home.toPlainString() + "/" + draw.toPlainString() + "/" + away.toPlainString()
                    + " is outside [" + minPayout.toPlainString() + ", " + maxPayout.toPlainString() + "]");
        }
        return new ReturnRate(ReturnRate.idOf(eventId, bookmaker, MARKET_1X2), eventId, bookmaker, MARKET_1X2, quotedAt,
                home, draw, away, Prices.implied(home), Prices.implied(draw), Prices.implied(away), payout, provider);
    }

    /** Refuses instants outside the years any fixture can have. */
    public Instant requirePlausible(String field, Instant instant) throws ValidationException {
        int year = instant.atZone(ZoneOffset.UTC).getYear();
        if (year < MIN_YEAR || year > MAX_YEAR) {
            throw new ValidationException("invalid-kickoff", field + " " + instant + " is not between "
                    + MIN_YEAR + " and " + MAX_YEAR);
        }
        return instant;
    }
}
