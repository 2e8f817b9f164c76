package dev.eventflow.processor.topology;

import dev.eventflow.processor.quality.QualityTally;

/**
 * What one record showed of a provider's data quality, on its way from the stage that saw it to that
 * stage's {@link QualityTapProcessor}. Never serialized.
 *
 * @param provider   the provider, {@code unknown} when the record did not say
 * @param dataTime   the data time that places it in a window; {@link #RECORD_TIME} for the record's timestamp
 * @param receivedAt when the producer received it, for a polled provider's poll gaps; {@link #NOT_POLLED} otherwise
 * @param tally      the counts
 * @param ingestRun  the ingest run that published the record ({@code RawEnvelope.ingestRunId}), or null when not known
 */
record QualityObservation(String provider, long dataTime, long receivedAt, QualityTally tally, String ingestRun) {

    QualityObservation(String provider, long dataTime, long receivedAt, QualityTally tally) {
        this(provider, dataTime, receivedAt, tally, null);
    }

    static final long RECORD_TIME = Long.MIN_VALUE;
    static final long NOT_POLLED = Long.MIN_VALUE;
}
