package dev.eventflow.processor.topology;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The scores task's counts not sent yet, per provider ({@code quality-providers}): kept in the task's memory, and
 * written once per commit for each provider whose counts changed, however many partials came in between (the taps send
 * one per provider and commit). Read back only when a task starts.
 */
final class QualityBacklogStore extends CommitFlushedStore<QualityBacklog> {

    private final Set<String> changed = new LinkedHashSet<>();
    private Function<String, QualityBacklog> current;

    QualityBacklogStore(KeyValueStore<String, QualityBacklog> logged) {
        super(logged);
    }

    /** A builder of the store: RocksDB, changelogged, written once per provider and commit. */
    static StoreBuilder<QualityBacklogStore> builder(String name) {
        return new Builder<>(Stores.persistentKeyValueStore(name), InternalSerdes.qualityBacklog(), true, QualityBacklogStore::new);
    }

    /** What the last commit wrote: read when a task starts. */
    KeyValueIterator<String, QualityBacklog> all() {
        return logged.all();
    }

    /** Sets where a changed provider's counts are read from at a commit. */
    void writeAtCommit(Function<String, QualityBacklog> backlogOf) {
        current = backlogOf;
        changed.clear();
    }

    /** Marks a provider's counts changed: written at the next commit. */
    void changed(String provider) {
        changed.add(provider);
    }

    @Override
    public void flushCache() {
        if (current == null) {
            return;
        }
        changed.forEach(provider -> logged.put(provider, current.apply(provider)));
        changed.clear();
    }

    @Override
    public void clearCache() {
        changed.clear();
    }
}
