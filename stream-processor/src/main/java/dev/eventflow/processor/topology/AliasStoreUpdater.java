package dev.eventflow.processor.topology;

import dev.eventflow.model.EntityAlias;
import dev.eventflow.model.serde.JsonSerde;
import dev.eventflow.processor.normalize.Names;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global store of aliases added at run time from {@code entities.aliases}: {@code sport:slug(alias)}
 * to the canonical name. A null value removes the alias of its key. A record that is not an alias is
 * left out with a WARN naming its offset (the topic is configuration, written by {@code ./eventflow aliases}).
 */
final class AliasStoreUpdater implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(AliasStoreUpdater.class);

    private final String storeName;
    private final JsonSerde<EntityAlias> serde = new JsonSerde<>(EntityAlias.class);
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, String> store;

    AliasStoreUpdater(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                store.delete(record.key());
            }
            return;
        }
        EntityAlias alias;
        try {
            alias = serde.deserializer().deserialize("entities.aliases", record.value());
        } catch (SerializationException e) {
            LOG.warn("Left out an alias record that is not an alias ({}, key '{}'): {}", where(), record.key(), e.getMessage());
            return;
        }
        String slug = Names.slug(alias.alias());
        if (slug.isEmpty() || Names.slug(alias.canonical()).isEmpty()) {
            LOG.warn("Left out the alias '{}' = '{}' ({}): a name needs letters or digits", alias.alias(), alias.canonical(), where());
            return;
        }
        store.put(alias.sport() + ":" + slug, alias.canonical());
    }

    private String where() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("unknown offset");
    }
}
