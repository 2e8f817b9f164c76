package dev.eventflow.processor.enrich;

import dev.eventflow.model.ReturnRate;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * What the as-of join needs of one bookmaker's 1X2 prices at one time: the prices and their payout,
 * and the provider they came from (so that a re-keyed event's rates can be written again whole).
 *
 * @param quotedAt when the prices were quoted (the version of the quote)
 */
public record Quote(Instant quotedAt, BigDecimal home, BigDecimal draw, BigDecimal away, BigDecimal payout, String provider) {

    public Quote {
        Objects.requireNonNull(quotedAt, "quotedAt");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(draw, "draw");
        Objects.requireNonNull(away, "away");
        Objects.requireNonNull(payout, "payout");
        Objects.requireNonNull(provider, "provider");
    }

    public static Quote of(ReturnRate rate) {
        return new Quote(rate.quotedAt(), rate.home(), rate.draw(), rate.away(), rate.payout(), rate.provider());
    }

    /** Whether the two quote the same prices (numerically: 2.5 and 2.50 are the same price), at whatever time. */
    public boolean samePrices(Quote other) {
        return home.compareTo(other.home) == 0 && draw.compareTo(other.draw) == 0 && away.compareTo(other.away) == 0;
    }

    public long quotedAtMillis() {
        return quotedAt.toEpochMilli();
    }
}
