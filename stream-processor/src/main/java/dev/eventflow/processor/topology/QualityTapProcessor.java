package dev.eventflow.processor.topology;

import dev.eventflow.processor.quality.QualityDimension;
import dev.eventflow.processor.quality.QualitySettings;
import dev.eventflow.processor.quality.QualityTally;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Adds up one task's {@link QualityObservation}s per provider and window, and sends the counts on (one
 * {@link QualityPartial} per provider, holding every window counted) every {@code quality.emit-interval} of wall-clock
 * time, so the quality stage costs a map update per record, not a record per record.
 *
 * <p>The pending counts are in a {@link QualityTapStore}: what a task counted is committed with the offsets of the
 * records counted, so a crash neither loses nor repeats a count (exactly-once), at the cost of one changelog entry per
 * provider and commit. For a polled provider it also counts poll gaps: a record received later than the task's previous
 * record of the provider is a new poll, timely when it came at most {@code quality.timeliness.poll-gap.max} after it.
 */
final class QualityTapProcessor<K> implements Processor<K, QualityObservation, String, QualityPartial> {

    /** Windows held before the task sends its counts without waiting for the interval (a backfill crosses many). */
    static final int MAX_PENDING = 256;

    private final String storeName;
    private final QualitySettings settings;
    /** The newest time of receipt seen per polled provider (not kept across restarts: the first poll after one is not judged). */
    private final Map<String, Long> lastPoll = new HashMap<>();
    private ProcessorContext<String, QualityPartial> context;
    private QualityTapStore store;

    QualityTapProcessor(String storeName, QualitySettings settings) {
        this.storeName = storeName;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, QualityPartial> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        // A task revived after a failure starts again from what was committed: the store, not this instance's memory.
        store.load();
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
        store.tally(observation.provider(), settings.windowStart(dataTime)).add(counts).seenAt(dataTime);
        if (observation.ingestRun() != null) {
            store.runTally(observation.provider(), observation.ingestRun()).add(counts).seenAt(dataTime);
        }
        if (store.windows() >= MAX_PENDING) {
            flush();
        }
    }

    /**
     * Sends every pending count on, stamped with the wall clock: the data time is in the value, and may lie years ahead
     * (a fixture of 2030), which the broker refuses as a timestamp (log.message.timestamp.after.max.ms).
     */
    private void flush() {
        long now = context.currentSystemTimeMs();
        store.drain().forEach((provider, partial) -> context.forward(new Record<>(provider, partial, now)));
    }
}
