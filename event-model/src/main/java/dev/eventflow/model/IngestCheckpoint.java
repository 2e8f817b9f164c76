package dev.eventflow.model;

import java.time.Instant;
import java.util.Objects;

/**
 * How far the ingest producer got in one source, so a run killed midway continues where it stopped.
 * Value of {@code ingest.checkpoints} (compacted); the key is {@link #sourceId()}.
 *
 * @param sourceId  what was read: command, provider and source, for example
 *                  {@code replay|football-data|/data/E0_2019-20.csv}
 * @param line      the last line of a file whose records (and every line before it) are acknowledged
 *                  by the broker; null for API sources
 * @param cursor    an API cursor or ETag to continue from; null for files
 * @param runId     the run that wrote this checkpoint
 * @param updatedAt when it was written
 */
public record IngestCheckpoint(String sourceId, Long line, String cursor, String runId, Instant updatedAt) {

    public IngestCheckpoint {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
