package dev.eventflow.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A provider record exactly as it was received, wrapped with where and when it came from.
 * Value of the raw topics ({@code provider.events.raw}, {@code provider.return-rates.raw}).
 *
 * @param provider    provider id, for example {@code football-data} or {@code the-odds-api}
 * @param source      where the record was read: a file path or a request URL
 * @param line        line number within a file source (1-based, header is line 1); null for APIs
 * @param contentHash SHA-256 (hex) of the record's bytes as read, for tracing re-downloads; nullable
 * @param ingestRunId id of the ingest run that published it (see {@link IngestRun})
 * @param receivedAt  when the producer read it (UTC)
 * @param eventTime   the data's own time (kick-off, quote time) when the producer knows it; nullable
 * @param payload     the provider's payload, uninterpreted: a JSON object for JSON providers, an
 *                    object of column name to string value for CSV rows, or a JSON string holding
 *                    text that could not be parsed as JSON (the processor dead-letters it)
 */
public record RawEnvelope(
        String provider,
        String source,
        Long line,
        String contentHash,
        String ingestRunId,
        Instant receivedAt,
        Instant eventTime,
        JsonNode payload) {

    public RawEnvelope {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(ingestRunId, "ingestRunId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(payload, "payload");
    }
}
