package dev.eventflow.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One run of the ingest producer (a replay, a poll cycle, a generator run) and what it did.
 * Value of {@code ingest.runs}; the key is {@link #runId()}. A run is published when it starts
 * and again when it ends; the latest record per key is its final state.
 *
 * @param runId            unique run id
 * @param command          what ran: {@code replay}, {@code poll} or {@code generate}
 * @param provider         provider id
 * @param source           the files, URL or generator settings the run read
 * @param status           run state
 * @param startedAt        when the run started (UTC)
 * @param finishedAt       when the run ended (UTC); null while running
 * @param recordsRead      records read from the source
 * @param recordsPublished records acknowledged by the broker
 * @param recordsSkipped   records deliberately not published (blank rows, ...)
 * @param skippedByReason  skipped records per reason
 * @param anomalies        published records that were odd, per kind (for example {@code row wider than header})
 * @param failure          one-line failure reason when {@code status} is FAILED, else null
 */
public record IngestRun(
        String runId,
        String command,
        String provider,
        String source,
        IngestRunStatus status,
        Instant startedAt,
        Instant finishedAt,
        long recordsRead,
        long recordsPublished,
        long recordsSkipped,
        Map<String, Long> skippedByReason,
        Map<String, Long> anomalies,
        String failure) {

    public IngestRun {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
        skippedByReason = skippedByReason == null ? Map.of() : Map.copyOf(skippedByReason);
        anomalies = anomalies == null ? Map.of() : Map.copyOf(anomalies);
    }
}
