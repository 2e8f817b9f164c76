package dev.eventflow.ingest.files;

import java.util.Map;
import java.util.TreeMap;

/** What a reader skipped or noticed in a file: reasons with counts. Not thread-safe. */
public final class ReadReport {

    private final Map<String, Long> skipped = new TreeMap<>();
    private final Map<String, Long> anomalies = new TreeMap<>();

    /** A line that was not published, and why (for example {@code blank row}). */
    public void skipped(String reason) {
        skipped.merge(reason, 1L, Long::sum);
    }

    /** A record that was published but is odd (for example {@code row wider than header}). */
    public void anomaly(String reason) {
        anomalies.merge(reason, 1L, Long::sum);
    }

    public Map<String, Long> skipped() {
        return Map.copyOf(skipped);
    }

    public Map<String, Long> anomalies() {
        return Map.copyOf(anomalies);
    }

    public long skippedCount() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }
}
