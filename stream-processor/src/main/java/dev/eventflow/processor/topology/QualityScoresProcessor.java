package dev.eventflow.processor.topology;

import dev.eventflow.model.QualityScore;
import dev.eventflow.processor.ProcessorMetrics;
import dev.eventflow.processor.quality.QualityScores;
import dev.eventflow.processor.quality.QualitySettings;
import dev.eventflow.processor.quality.QualityTally;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Merges the tasks' {@link QualityPartial}s of a provider (partitioned by provider, so one task owns all of a provider's
 * windows and its data time) into each window's counts, and sends the window's {@link QualityScore} whenever they
 * change. The provider's data time is the newest data time counted; when it passes a window's end plus
 * {@code quality.grace}, the window is sent once more as closed. Counts that arrive for a closed window are added
 * and sent as its next version: nothing is dropped.
 */
final class QualityScoresProcessor implements Processor<String, QualityPartial, String, QualityScore> {

    private static final char SEPARATOR = '|';

    private final String windowsStoreName;
    private final String timeStoreName;
    private final QualitySettings settings;
    private final ProcessorMetrics metrics;
    /** Windows not yet sent as closed, per provider: checked when the provider's data time moves. */
    private final Map<String, NavigableSet<Long>> open = new HashMap<>();
    /** The providers whose gauges this task set, removed when the task leaves the instance. */
    private final Set<String> shown = new HashSet<>();
    private ProcessorContext<String, QualityScore> context;
    private KeyValueStore<String, QualityWindow> windows;
    private KeyValueStore<String, Long> dataTimes;

    QualityScoresProcessor(String windowsStoreName, String timeStoreName, QualitySettings settings, ProcessorMetrics metrics) {
        this.windowsStoreName = windowsStoreName;
        this.timeStoreName = timeStoreName;
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, QualityScore> context) {
        this.context = context;
        this.windows = context.getStateStore(windowsStoreName);
        this.dataTimes = context.getStateStore(timeStoreName);
        open.clear();
        Map<String, KeyValue<Long, QualityWindow>> latest = new HashMap<>();
        try (KeyValueIterator<String, QualityWindow> all = windows.all()) {
            while (all.hasNext()) {
                KeyValue<String, QualityWindow> entry = all.next();
                int separator = entry.key.lastIndexOf(SEPARATOR);
                String provider = entry.key.substring(0, separator);
                long start = Long.parseLong(entry.key.substring(separator + 1));
                if (!entry.value.closed()) {
                    open.computeIfAbsent(provider, p -> new TreeSet<>()).add(start);
                }
                KeyValue<Long, QualityWindow> newest = latest.get(provider);
                if (newest == null || start > newest.key) {
                    latest.put(provider, KeyValue.pair(start, entry.value));
                }
            }
        }
        // A task taken over (or restarted) shows its providers' latest windows at once, not from their next version.
        latest.forEach((provider, window) -> {
            QualityWindow state = window.value;
            metrics.qualityScore(QualityScores.of(provider, window.key, window.key + settings.window().toMillis(), state.tally(),
                    settings.weights(), state.closed(), state.version(), Instant.ofEpochMilli(context.currentSystemTimeMs())));
            shown.add(provider);
        });
    }

    @Override
    public void process(Record<String, QualityPartial> record) {
        String provider = record.key();
        QualityPartial partial = record.value();
        Long known = dataTimes.get(provider);
        long dataTime = known == null ? partial.tally().maxDataTime() : Math.max(known, partial.tally().maxDataTime());
        if (known == null || dataTime != known) {
            dataTimes.put(provider, dataTime);
        }
        String key = key(provider, partial.windowStart());
        QualityWindow before = windows.get(key);
        QualityTally tally = before == null ? new QualityTally() : before.tally().copy();
        tally.add(partial.tally());
        send(record, provider, partial.windowStart(), tally, before == null ? 0 : before.version(), dataTime);
        NavigableSet<Long> pending = open.get(provider);
        if (pending != null) {
            long closedBefore = dataTime - settings.grace().toMillis() - settings.window().toMillis();
            while (!pending.isEmpty() && pending.first() <= closedBefore) {
                long start = pending.pollFirst();
                QualityWindow window = windows.get(key(provider, start));
                send(record, provider, start, window.tally(), window.version(), dataTime);
            }
        }
    }

    /** Sends the window's next version and keeps it, closed when the provider's data time passed its end plus the grace. */
    private void send(Record<String, QualityPartial> record, String provider, long start, QualityTally tally, long version,
                      long dataTime) {
        long end = start + settings.window().toMillis();
        boolean closed = dataTime >= end + settings.grace().toMillis();
        QualityScore score = QualityScores.of(provider, start, end, tally, settings.weights(), closed, version + 1,
                Instant.ofEpochMilli(context.currentSystemTimeMs()));
        windows.put(key(provider, start), new QualityWindow(tally, version + 1, closed));
        if (closed) {
            NavigableSet<Long> pending = open.get(provider);
            if (pending != null) {
                pending.remove(start);
            }
        } else {
            open.computeIfAbsent(provider, p -> new TreeSet<>()).add(start);
        }
        metrics.qualityScore(score);
        shown.add(provider);
        context.forward(new Record<>(QualityScore.keyOf(provider, score.windowStart()), score, record.timestamp()));
    }

    @Override
    public void close() {
        shown.forEach(metrics::forgetQuality);
        shown.clear();
    }

    private static String key(String provider, long windowStart) {
        return provider + SEPARATOR + windowStart;
    }
}
