package dev.eventflow.processor.topology;

import dev.eventflow.model.QualityScore;
import dev.eventflow.processor.ProcessorMetrics;
import dev.eventflow.processor.quality.QualityScores;
import dev.eventflow.processor.quality.QualitySettings;
import dev.eventflow.processor.quality.QualityTally;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Merges the tasks' {@link QualityPartial}s of a provider (partitioned by provider, so one task owns all of a provider's
 * windows and its data time) into each window's counts, and sends each window whose counts changed once per
 * {@code quality.emit-interval} (wall clock), not once per partial: a backfill's window gets counts from both taps of
 * every task, and would otherwise be sent several times within a second. The provider's data time is the newest data
 * time counted; when it passes a window's end plus {@code quality.grace}, the window is sent once more as closed (or
 * first as closed, when it closes before its first sending). Counts that arrive for a closed window are added and sent
 * as its next version: nothing is dropped.
 *
 * <p>A window's counts not sent yet are marked {@code pending} in the store, committed with the partials they count, so
 * a task that restarts sends them (the in-memory list of windows to send is rebuilt from the store).
 */
final class QualityScoresProcessor implements Processor<String, QualityPartial, String, QualityScore> {

    private static final char SEPARATOR = '|';

    private final String windowsStoreName;
    private final String timeStoreName;
    private final QualitySettings settings;
    private final ProcessorMetrics metrics;
    /** Windows not yet sent as closed, per provider: checked when the provider's data time moves. */
    private final Map<String, NavigableSet<Long>> open = new HashMap<>();
    /** Each provider's data time, as in the store. */
    private final Map<String, Long> dataTime = new HashMap<>();
    /** Windows to send at the next punctuation, in the order they changed. */
    private final Set<String> dirty = new LinkedHashSet<>();
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
        dirty.clear();
        dataTime.clear();
        try (KeyValueIterator<String, Long> all = dataTimes.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                dataTime.put(entry.key, entry.value);
            }
        }
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
                if (entry.value.pending()) {
                    dirty.add(entry.key);
                }
                KeyValue<Long, QualityWindow> newest = latest.get(provider);
                if (entry.value.version() > 0 && (newest == null || start > newest.key)) {
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
        context.schedule(settings.emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> emit());
    }

    @Override
    public void process(Record<String, QualityPartial> record) {
        String provider = record.key();
        QualityPartial partial = record.value();
        Long known = dataTime.get(provider);
        long time = known == null ? partial.tally().maxDataTime() : Math.max(known, partial.tally().maxDataTime());
        if (known == null || time != known) {
            dataTime.put(provider, time);
            dataTimes.put(provider, time);
        }
        String key = key(provider, partial.windowStart());
        QualityWindow before = windows.get(key);
        QualityTally tally = before == null ? new QualityTally() : before.tally().copy();
        tally.add(partial.tally());
        windows.put(key, new QualityWindow(tally, before == null ? 0 : before.version(), before != null && before.closed(), true));
        dirty.add(key);
    }

    /** Sends every window whose counts changed, and every open window the provider's data time has closed. */
    private void emit() {
        open.forEach((provider, starts) -> {
            long closedBefore = dataTime.getOrDefault(provider, Long.MIN_VALUE) - settings.grace().toMillis()
                    - settings.window().toMillis();
            for (Long start : starts.headSet(closedBefore, true)) {
                dirty.add(key(provider, start));
            }
        });
        for (String key : dirty) {
            int separator = key.lastIndexOf(SEPARATOR);
            send(key.substring(0, separator), Long.parseLong(key.substring(separator + 1)), windows.get(key));
        }
        dirty.clear();
    }

    /** Sends the window's next version and keeps it, closed when the provider's data time passed its end plus the grace. */
    private void send(String provider, long start, QualityWindow window) {
        long end = start + settings.window().toMillis();
        boolean closed = dataTime.getOrDefault(provider, Long.MIN_VALUE) >= end + settings.grace().toMillis();
        long version = window.version() + 1;
        QualityScore score = QualityScores.of(provider, start, end, window.tally(), settings.weights(), closed, version,
                Instant.ofEpochMilli(context.currentSystemTimeMs()));
        windows.put(key(provider, start), new QualityWindow(window.tally(), version, closed, false));
        NavigableSet<Long> starts = open.computeIfAbsent(provider, p -> new TreeSet<>());
        if (closed) {
            starts.remove(start);
        } else {
            starts.add(start);
        }
        metrics.qualityScore(score);
        shown.add(provider);
        // Stamped with the time it was computed: a data time may lie years ahead (a fixture of 2030) or before 1970,
        // and the broker refuses a timestamp more than log.message.timestamp.after.max.ms ahead of its clock.
        context.forward(new Record<>(QualityScore.keyOf(provider, score.windowStart()), score, context.currentSystemTimeMs()));
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
