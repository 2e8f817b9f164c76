package dev.eventflow.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Why a record was dead-lettered and where it came from. Travels in the headers of a
 * {@code eventflow.dlq} record, whose key and value are the original record's bytes, untouched.
 * Header values are UTF-8 strings.
 *
 * @param reason          one-line, human-readable reason, for example {@code missing field HomeTeam}
 * @param stage           the stage that refused it: see the {@code STAGE_*} constants
 * @param provider        provider id when known, else null
 * @param sourceTopic     topic of the original record
 * @param sourcePartition partition of the original record
 * @param sourceOffset    offset of the original record
 * @param failedAt        when the record was refused (UTC)
 */
public record DeadLetter(
        String reason,
        String stage,
        String provider,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        Instant failedAt) {

    /** Bytes that are not a valid raw envelope (not JSON, invalid UTF-8, wrong shape). */
    public static final String STAGE_DESERIALIZE = "deserialize";
    /** A well-formed record whose content breaks a rule (missing field, bad odds, ...). */
    public static final String STAGE_VALIDATE = "validate";
    /** A record that failed while being processed for a reason other than its content. */
    public static final String STAGE_PROCESS = "process";

    public static final String HEADER_REASON = "eventflow.dlq.reason";
    public static final String HEADER_STAGE = "eventflow.dlq.stage";
    public static final String HEADER_PROVIDER = "eventflow.dlq.provider";
    public static final String HEADER_SOURCE_TOPIC = "eventflow.dlq.source.topic";
    public static final String HEADER_SOURCE_PARTITION = "eventflow.dlq.source.partition";
    public static final String HEADER_SOURCE_OFFSET = "eventflow.dlq.source.offset";
    public static final String HEADER_FAILED_AT = "eventflow.dlq.failed.at";

    public DeadLetter {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(sourceTopic, "sourceTopic");
        Objects.requireNonNull(failedAt, "failedAt");
    }

    /** Writes this metadata into {@code headers}, replacing any previous eventflow DLQ headers. */
    public Headers writeTo(Headers headers) {
        put(headers, HEADER_REASON, reason);
        put(headers, HEADER_STAGE, stage);
        if (provider != null) {
            put(headers, HEADER_PROVIDER, provider);
        } else {
            headers.remove(HEADER_PROVIDER);
        }
        put(headers, HEADER_SOURCE_TOPIC, sourceTopic);
        put(headers, HEADER_SOURCE_PARTITION, Integer.toString(sourcePartition));
        put(headers, HEADER_SOURCE_OFFSET, Long.toString(sourceOffset));
        put(headers, HEADER_FAILED_AT, failedAt.toString());
        return headers;
    }

    /**
     * Reads the metadata back from a dead-letter record's headers.
     *
     * @throws IllegalArgumentException when a required header is missing or malformed
     */
    public static DeadLetter readFrom(Headers headers) {
        try {
            return new DeadLetter(
                    required(headers, HEADER_REASON),
                    required(headers, HEADER_STAGE),
                    optional(headers, HEADER_PROVIDER),
                    required(headers, HEADER_SOURCE_TOPIC),
                    Integer.parseInt(required(headers, HEADER_SOURCE_PARTITION)),
                    Long.parseLong(required(headers, HEADER_SOURCE_OFFSET)),
                    Instant.parse(required(headers, HEADER_FAILED_AT)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not eventflow dead-letter headers: " + e.getMessage(), e);
        }
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String required(Headers headers, String name) {
        String value = optional(headers, name);
        if (value == null) {
            throw new IllegalArgumentException("missing header " + name);
        }
        return value;
    }

    private static String optional(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null
                ? null
                : new String(header.value(), StandardCharsets.UTF_8);
    }
}
