package dev.eventflow.processor.topology;

import dev.eventflow.model.serde.JsonSerde;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a global store from a topic of JSON records that other tools write (configuration, runs): a null value deletes
 * its key, and a record that cannot be read as {@code T} is left out with a WARN naming its offset, so that one bad
 * record never stops the global thread. What a readable record becomes in the store is the subclass's.
 *
 * @param <T> the topic's record type
 * @param <V> the store's value type
 */
abstract class JsonGlobalStoreUpdater<T, V> implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(JsonGlobalStoreUpdater.class);

    private final String storeName;
    private final String what;
    private final JsonSerde<T> serde;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, V> store;

    /**
     * @param storeName the global store
     * @param type      the topic's record type
     * @param what      what a record is, for the WARN ("an alias", "an ingest run")
     */
    JsonGlobalStoreUpdater(String storeName, Class<T> type, String what) {
        this.storeName = storeName;
        this.serde = new JsonSerde<>(type);
        this.what = what;
    }

    @Override
    public final void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public final void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                store.delete(record.key());
            }
            return;
        }
        T value;
        try {
            value = serde.deserializer().deserialize(context.recordMetadata().map(m -> m.topic()).orElse(storeName), record.value());
        } catch (SerializationException e) {
            LOG.warn("Left out a record that is not {} ({}, key '{}'): {}", what, where(), record.key(), e.getMessage());
            return;
        }
        update(store, record.key(), value);
    }

    /** Adds what a readable record says to the store; {@code key} may be null. */
    abstract void update(KeyValueStore<String, V> store, String key, T value);

    /** The current record's topic, partition and offset, for a WARN. */
    final String where() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("unknown offset");
    }
}
