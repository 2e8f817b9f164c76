package dev.eventflow.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * The data-quality score of one provider over one window of data time: each dimension's numerator,
 * denominator and score, and the weighted overall score. Value of {@code quality.scores}; the key is
 * {@link #keyOf(String, Instant)}: provider and window start. A window is sent again, with the next
 * {@link #version()}, whenever its counts change; the version sent when the window closes (its end plus
 * the grace period passed in data time) has {@link #closed()} true, and a record that arrives later is
 * counted in a further version.
 *
 * @param provider     provider id, {@code unknown} for records whose provider could not be read
 * @param windowStart  start of the window (inclusive, UTC)
 * @param windowEnd    end of the window (exclusive, UTC)
 * @param validity     records that passed validation, of all records read
 * @param completeness valid records with every field their kind should have, of valid records
 * @param uniqueness   records that were not exact duplicates of what was known, of records with an event
 * @param timeliness   polled quotes within the delay bound and polls within the gap bound, of both
 * @param consistency  repeat sightings of an event that agree with what was known, of repeat sightings
 * @param plausibility quote checks passed (payout in range, price move within bound), of those made
 * @param overall      weighted mean of the scores of the dimensions that have a denominator; null when none has
 * @param closed       whether the grace period of the window had passed when this version was computed
 * @param version      1 for the first version of the window, then one more for each
 * @param updatedAt    when this version was computed (processor's clock, UTC)
 */
public record QualityScore(
        String provider,
        Instant windowStart,
        Instant windowEnd,
        Dimension validity,
        Dimension completeness,
        Dimension uniqueness,
        Dimension timeliness,
        Dimension consistency,
        Dimension plausibility,
        BigDecimal overall,
        boolean closed,
        long version,
        Instant updatedAt) {

    /** Separator of provider and window start in the key. */
    public static final String KEY_SEPARATOR = "|";

    public QualityScore {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(completeness, "completeness");
        Objects.requireNonNull(uniqueness, "uniqueness");
        Objects.requireNonNull(timeliness, "timeliness");
        Objects.requireNonNull(consistency, "consistency");
        Objects.requireNonNull(plausibility, "plausibility");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The key of a score: {@code provider|windowStart} (ISO-8601 instant). */
    public static String keyOf(String provider, Instant windowStart) {
        return provider + KEY_SEPARATOR + windowStart;
    }

    /**
     * One dimension: {@code score = numerator / denominator}, rounded half-up to six decimals; null when
     * the denominator is 0 (nothing of this kind was seen in the window).
     */
    public record Dimension(long numerator, long denominator, BigDecimal score) {
    }
}
