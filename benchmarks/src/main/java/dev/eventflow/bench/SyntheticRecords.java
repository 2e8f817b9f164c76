package dev.eventflow.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventflow.ingest.ProviderFormat;
import dev.eventflow.ingest.generate.SyntheticFeed;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.serde.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's load: synthetic records, snapshots of fixtures (an event and its bookmakers' return rates
 * in each record) from {@link SyntheticFeed}, with 2 % exact duplicates and 1 % malformed records.
 */
final class SyntheticRecords {

    static final double DUPLICATES = 0.02;
    static final double MALFORMED = 0.01;
    /** Data time of the first record of the topology and sink phases; one second between records. */
    static final Instant HISTORY_START = Instant.parse("2026-01-01T00:00:00Z");
    /**
     * Data time of the first record of the backfill phase: a year earlier, so its fixtures are other
     * events (kick-offs on other days), history loaded after newer data as a backfill is.
     */
    static final Instant BACKFILL_START = Instant.parse("2025-01-01T00:00:00Z");

    private SyntheticRecords() {
    }

    /** {@code records} records over {@code fixtures} fixtures from {@code start}, one second of data time apart. */
    static SyntheticFeed.Options history(long records, int fixtures, Instant start) {
        return new SyntheticFeed.Options(records, fixtures, start, Duration.ofSeconds(1), DUPLICATES, 0, MALFORMED);
    }

    /** Keys and serialized envelopes, as the ingest producer writes them to the raw topic. */
    static List<byte[][]> envelopes(long seed, SyntheticFeed.Options options) throws IOException {
        ObjectMapper mapper = Json.mapper();
        List<byte[][]> records = new ArrayList<>();
        SyntheticFeed feed = new SyntheticFeed(seed, options);
        Instant now = Instant.now();
        while (feed.hasNext()) {
            SyntheticFeed.Item item = feed.next();
            RawEnvelope envelope = new RawEnvelope(ProviderFormat.SYNTHETIC.id(), "synthetic:" + seed, null, null, "bench", now,
                    item.time(), item.payload());
            records.add(new byte[][] {item.key().getBytes(StandardCharsets.UTF_8), mapper.writeValueAsBytes(envelope)});
        }
        return records;
    }

    /**
     * The provider payloads, one JSON document per line (malformed ones as broken text): a file
     * {@code eventflow ingest replay} reads as synthetic (the default for JSON lines).
     */
    static Path writeJsonLines(long seed, SyntheticFeed.Options options, Path file) throws IOException {
        ObjectMapper mapper = Json.mapper();
        SyntheticFeed feed = new SyntheticFeed(seed, options);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            while (feed.hasNext()) {
                var payload = feed.next().payload();
                // A malformed record is text that is not JSON, written as it came.
                out.write(payload.isTextual() ? payload.asText() : mapper.writeValueAsString(payload));
                out.newLine();
            }
        }
        return file;
    }
}
