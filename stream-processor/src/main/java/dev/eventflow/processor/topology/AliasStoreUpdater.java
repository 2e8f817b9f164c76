package dev.eventflow.processor.topology;

import dev.eventflow.model.EntityAlias;
import dev.eventflow.processor.normalize.Names;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global store of aliases added at run time from {@code entities.aliases}: {@code sport:slug(alias)}
 * to the canonical name. A null value removes the alias of its key. A record that is not an alias is
 * left out with a WARN naming its offset (the topic is configuration, written by {@code ./eventflow aliases}).
 */
final class AliasStoreUpdater extends JsonGlobalStoreUpdater<EntityAlias, String> {

    private static final Logger LOG = LoggerFactory.getLogger(AliasStoreUpdater.class);

    AliasStoreUpdater(String storeName) {
        super(storeName, EntityAlias.class, "an alias");
    }

    @Override
    void update(KeyValueStore<String, String> store, String key, EntityAlias alias) {
        String slug = Names.slug(alias.alias());
        if (slug.isEmpty() || Names.slug(alias.canonical()).isEmpty()) {
            LOG.warn("Left out the alias '{}' = '{}' ({}): a name needs letters or digits", alias.alias(), alias.canonical(), where());
            return;
        }
        store.put(alias.sport() + ":" + slug, alias.canonical());
    }
}
