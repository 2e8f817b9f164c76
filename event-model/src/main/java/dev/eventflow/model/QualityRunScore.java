package dev.eventflow.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * The data-quality score of one provider's records of one ingest run (a replay or a generator run, see
 * {@link IngestRun}), whatever their data time: the same dimensions as {@link QualityScore}, counted over the run's
 * records instead of a window. Value of {@code quality.run-scores}; the key is {@link #keyOf(String, String)}: provider
 * and run id. The run is sent again, with the next {@link #version()}, whenever its counts change; the version sent
 * once the run has finished and every record it published was counted has {@link #closed()} true.
 *
 * @param provider         provider id
 * @param ingestRunId      the run ({@code ingest.runs}'s key)
 * @param recordsPublished what the run said it published ({@code ingest.runs}), null while the run is not known there;
 *                         validity's denominator reaches it when every record was counted
 * @param validity         records that passed validation, of all records of the run read
 * @param completeness     valid records with every field their kind should have, of valid records
 * @param uniqueness       records that were not exact duplicates of what was known, of records with an event
 * @param timeliness       polled quotes within the delay bound and polls within the gap bound, of both
 * @param consistency      repeat sightings of an event that agree with what was known, of repeat sightings
 * @param plausibility     quote checks passed (payout in range, price move within bound), of those made
 * @param overall          weighted mean of the scores of the dimensions that have a denominator; null when none has
 * @param closed           whether the run had finished and all its published records were counted
 * @param version          1 for the first version of the run's score, then one more for each
 * @param updatedAt        when this version was computed (processor's clock, UTC)
 */
public record QualityRunScore(
        String provider,
        String ingestRunId,
        Long recordsPublished,
        QualityScore.Dimension validity,
        QualityScore.Dimension completeness,
        QualityScore.Dimension uniqueness,
        QualityScore.Dimension timeliness,
        QualityScore.Dimension consistency,
        QualityScore.Dimension plausibility,
        BigDecimal overall,
        boolean closed,
        long version,
        Instant updatedAt) {

    public QualityRunScore {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(ingestRunId, "ingestRunId");
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(completeness, "completeness");
        Objects.requireNonNull(uniqueness, "uniqueness");
        Objects.requireNonNull(timeliness, "timeliness");
        Objects.requireNonNull(consistency, "consistency");
        Objects.requireNonNull(plausibility, "plausibility");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The key of a run's score: {@code provider|ingestRunId}. */
    public static String keyOf(String provider, String ingestRunId) {
        return provider + QualityScore.KEY_SEPARATOR + ingestRunId;
    }
}
