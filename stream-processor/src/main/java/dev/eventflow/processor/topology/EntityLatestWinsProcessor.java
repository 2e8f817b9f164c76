package dev.eventflow.processor.topology;

import dev.eventflow.model.Entity;
import dev.eventflow.processor.ProcessorMetrics;
import dev.eventflow.processor.dedup.Fingerprints;
import dev.eventflow.processor.dedup.LatestWins;
import dev.eventflow.processor.dedup.Stamp;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/** Emits an entity when it is first seen or its content changes; drops repeats and refuses older versions. */
final class EntityLatestWinsProcessor implements FixedKeyProcessor<String, Entity, Entity> {

    private final String storeName;
    private final String topic;
    private final Retention retention;
    private final ProcessorMetrics metrics;
    private FixedKeyProcessorContext<String, Entity> context;
    private KeyValueStore<String, Stamp> store;

    EntityLatestWinsProcessor(String storeName, String topic, Retention retention, ProcessorMetrics metrics) {
        this.storeName = storeName;
        this.topic = topic;
        this.retention = retention;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Entity> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        retention.schedule(context, store, Stamp::version);
    }

    @Override
    public void process(FixedKeyRecord<String, Entity> record) {
        Entity entity = record.value();
        Stamp stored = store.get(record.key());
        String fingerprint = Fingerprints.of(entity);
        long version = entity.updatedAt().toEpochMilli();
        LatestWins.Verdict verdict = LatestWins.judge(stored, fingerprint, version);
        Stamp next = LatestWins.next(stored, verdict, fingerprint, version);
        if (next != null) {
            store.put(record.key(), next);
        }
        boolean bump = record.headers().lastHeader(MapRawRecordsProcessor.BUMP_HEADER) != null;
        switch (verdict) {
            case NEW, CHANGED -> {
                metrics.recordOut(topic);
                record.headers().remove(MapRawRecordsProcessor.BUMP_HEADER);
                context.forward(record);
            }
            case DUPLICATE -> {
                // A bump repeats records already counted as duplicates where they were held back.
                if (!bump) {
                    metrics.duplicate(topic);
                }
            }
            case STALE -> metrics.refused(topic, "stale");
            case CONFLICT -> metrics.refused(topic, "conflict");
        }
    }
}
