package dev.eventflow.processor.topology;

import dev.eventflow.processor.quality.QualityDimension;
import dev.eventflow.processor.quality.QualitySettings;
import dev.eventflow.processor.quality.QualityTally;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Adds up one task's {@link QualityObservation}s per provider and window, and sends the counts on (as
 * {@link QualityPartial}s keyed by provider) every {@code quality.emit-interval} of wall-clock time, so the
 * quality stage costs a map update and a cached store write per record, not a record per record.
 *
 * <p>The pending counts are in a state store as well as in memory: what a task counted is committed with
 * the offsets of the records counted, so a crash neither loses nor repeats a count (exactly-once). For a
 * polled provider it also counts poll gaps: a record received later than the task's previous record of
 * the provider is a new poll, timely when it came at most {@code quality.timeliness.poll-gap.max} after it.
 */
final class QualityTapProcessor<K> implements Processor<K, QualityObservation, String, QualityPartial> {

    /** Windows held before the task sends its counts without waiting for the interval (a backfill crosses many). */
    static final int MAX_PENDING = 10_000;
    private static final char SEPARATOR = '|';

    private final String storeName;
    private final QualitySettings settings;
    private final Map<String, QualityTally> pending = new HashMap<>();
    /** The newest time of receipt seen per polled provider (not kept across restarts: the first poll after one is not judged). */
    private final Map<String, Long> lastPoll = new HashMap<>();
    private ProcessorContext<String, QualityPartial> context;
    private KeyValueStore<String, QualityTally> store;

    QualityTapProcessor(String storeName, QualitySettings settings) {
        this.storeName = storeName;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, QualityPartial> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        // A task revived after a failure starts again from what was committed: the store, not this instance's memory.
        pending.clear();
        try (KeyValueIterator<String, QualityTally> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, QualityTally> entry = all.next();
                pending.put(entry.key, entry.value);
            }
        }
        context.schedule(settings.emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<K, QualityObservation> record) {
        QualityObservation observation = record.value();
        QualityTally counts = observation.tally();
        long dataTime = observation.dataTime() == QualityObservation.RECORD_TIME ? record.timestamp() : observation.dataTime();
        if (observation.receivedAt() != QualityObservation.NOT_POLLED) {
            Long previous = lastPoll.get(observation.provider());
            if (previous == null || observation.receivedAt() > previous) {
                lastPoll.put(observation.provider(), observation.receivedAt());
                if (previous != null) {
                    counts.count(QualityDimension.TIMELINESS,
                            observation.receivedAt() - previous <= settings.pollGapMax().toMillis());
                }
            }
        }
        String key = observation.provider() + SEPARATOR + settings.windowStart(dataTime);
        QualityTally tally = pending.computeIfAbsent(key, k -> new QualityTally());
        tally.add(counts).seenAt(dataTime);
        store.put(key, tally);
        if (pending.size() >= MAX_PENDING) {
            flush();
        }
    }

    /**
     * Sends every pending count on, stamped with the wall clock: the data time is in the value, and may lie years ahead
     * (a fixture of 2030), which the broker refuses as a timestamp (log.message.timestamp.after.max.ms).
     */
    private void flush() {
        long now = context.currentSystemTimeMs();
        for (Map.Entry<String, QualityTally> entry : pending.entrySet()) {
            String key = entry.getKey();
            int separator = key.lastIndexOf(SEPARATOR);
            QualityTally tally = entry.getValue();
            context.forward(new Record<>(key.substring(0, separator),
                    new QualityPartial(Long.parseLong(key.substring(separator + 1)), tally), now));
            store.delete(key);
        }
        pending.clear();
    }
}
