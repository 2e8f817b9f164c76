package dev.eventflow.processor.topology;

import dev.eventflow.model.IngestRun;
import dev.eventflow.model.serde.JsonSerde;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global store of ingest runs from {@code ingest.runs} (run id to its latest state), which the quality stage
 * asks whether a run is scored and when its score is complete. A null value removes the run. A record that is not a
 * run is left out with a WARN naming its offset: the run it stood for is then scored as an unknown run, never closed.
 */
final class IngestRunStoreUpdater implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(IngestRunStoreUpdater.class);

    private final String storeName;
    private final JsonSerde<IngestRun> serde = new JsonSerde<>(IngestRun.class);
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, IngestRun> store;

    IngestRunStoreUpdater(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            LOG.warn("Left out an ingest.runs record without a key ({})", where());
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            return;
        }
        try {
            store.put(record.key(), serde.deserializer().deserialize("ingest.runs", record.value()));
        } catch (SerializationException e) {
            LOG.warn("Left out an ingest.runs record that is not a run ({}, key '{}'): {}", where(), record.key(), e.getMessage());
        }
    }

    private String where() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("unknown offset");
    }
}
