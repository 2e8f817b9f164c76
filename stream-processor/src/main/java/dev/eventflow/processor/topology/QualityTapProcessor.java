package dev.eventflow.processor.topology;

import dev.eventflow.processor.quality.QualityDimension;
import dev.eventflow.processor.quality.QualitySettings;
import dev.eventflow.processor.quality.QualityTally;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;

/**
 * Adds up one task's {@link QualityObservation}s per provider and window (and per ingest run), and sends the counts on
 * at every commit, one {@link QualityPartial} per provider holding every window counted since the last, so the quality
 * stage costs a map update per record, not a record per record, and its counts travel in the transaction that commits
 * the offsets of the records counted ({@link QualityTapStore}). For a polled provider it also counts poll gaps: a
 * record received later than the task's previous record of the provider is a new poll, timely when it came at most
 * {@code quality.timeliness.poll-gap.max} after it.
 */
final class QualityTapProcessor<K> implements Processor<K, QualityObservation, String, QualityPartial> {

    /** Windows held before the task sends its counts without waiting for the commit (a backfill crosses many). */
    static final int MAX_PENDING = 256;

    private final String storeName;
    private final QualitySettings settings;
    /** The newest time of receipt seen per polled provider (not kept across restarts: the first poll after one is not judged). */
    private final Map<String, Long> lastPoll = new HashMap<>();
    private ProcessorContext<String, QualityPartial> context;
    /** This processor's node, current when the store hands the counts over at a commit (Streams' internals, as its caches use). */
    private ProcessorNode<?, ?, ?, ?> node;
    private QualityTapStore store;

    QualityTapProcessor(String storeName, QualitySettings settings) {
        this.storeName = storeName;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, QualityPartial> context) {
        this.context = context;
        this.node = context instanceof InternalProcessorContext<?, ?> internal ? internal.currentNode() : null;
        this.store = context.getStateStore(storeName);
        // A task revived after a failure starts again from what was committed: nothing pending, or what the stage's
        // previous version left in the store.
        store.sendAtCommit(this::sendAtCommit);
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
            send(store.drain());
        }
    }

    /**
     * Sends the counts the store hands over before a commit. Streams is committing, not processing a record of this
     * node: as its caches do when they forward at a flush, the node is made current, with a record context of no input
     * record (as a wall-clock punctuation has), and both are put back after.
     */
    private void sendAtCommit(Map<String, QualityPartial> partials) {
        if (!(context instanceof InternalProcessorContext<?, ?> internal)) {
            send(partials);
            return;
        }
        ProcessorNode<?, ?, ?, ?> previousNode = internal.currentNode();
        ProcessorRecordContext previousRecord = internal.recordContext();
        internal.setCurrentNode(node);
        internal.setRecordContext(new ProcessorRecordContext(context.currentSystemTimeMs(), -1L, -1, null, new RecordHeaders()));
        try {
            send(partials);
        } finally {
            internal.setRecordContext(previousRecord);
            internal.setCurrentNode(previousNode);
        }
    }

    /**
     * Sends each provider's counts on, stamped with the wall clock: the data time is in the value, and may lie years ahead
     * (a fixture of 2030), which the broker refuses as a timestamp (log.message.timestamp.after.max.ms).
     */
    private void send(Map<String, QualityPartial> partials) {
        long now = context.currentSystemTimeMs();
        partials.forEach((provider, partial) -> context.forward(new Record<>(provider, partial, now)));
    }
}
