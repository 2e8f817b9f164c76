package dev.eventflow.processor.topology;

import dev.eventflow.processor.quality.QualityTally;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A tap's pending counts, per provider and window, in memory, written to a changelogged store once per commit: the
 * counts of the records whose offsets a commit commits are in that commit's transaction, so a crash neither loses nor
 * repeats a count, and the changelog gets one entry per provider and commit however many records came.
 *
 * <p>Why not a cached key-value store: Streams' record cache is one per stream thread, and once it is full (it always
 * is, of the event state's entries) a put evicts the eldest entry of the store written to, so a store of a few keys
 * written on every record is written through to its changelog on every record. This store writes at the moment the
 * caches are flushed, before the offsets are committed: Streams flushes every store that is a {@link CachedStateStore}
 * then (an interface of Streams' internals, as are the two callbacks below; {@code QualityTopologyTest} and
 * {@code QualityTapProcessorTest} pin the behaviour).
 */
final class QualityTapStore implements StateStore, CachedStateStore<String, QualityPartial> {

    private final KeyValueStore<String, QualityPartial> logged;
    /** Per provider, the counts by window and by ingest run (mutable maps, written as they are). */
    private final Map<String, QualityPartial> pending = new HashMap<>();
    /** Providers whose counts changed (or were sent on) since the last write. */
    private final Set<String> changed = new HashSet<>();
    private int windows;

    private QualityTapStore(KeyValueStore<String, QualityPartial> logged) {
        this.logged = logged;
    }

    /** A builder of the store: in memory, its changelog written per provider and commit. */
    static StoreBuilder<QualityTapStore> builder(String name) {
        return new Builder(name, true);
    }

    /** Loads what the last commit wrote (the task's state after a restart or a takeover), replacing what memory held. */
    void load() {
        pending.clear();
        changed.clear();
        windows = 0;
        try (KeyValueIterator<String, QualityPartial> all = logged.all()) {
            while (all.hasNext()) {
                KeyValue<String, QualityPartial> entry = all.next();
                pending.put(entry.key, new QualityPartial(new TreeMap<>(entry.value.windows()), new TreeMap<>(entry.value.runs())));
                windows += entry.value.windows().size() + entry.value.runs().size();
            }
        }
    }

    /** The tally of a provider's window, to be added to; created empty when none. */
    QualityTally tally(String provider, long windowStart) {
        return tally(ofProvider(provider).windows(), windowStart);
    }

    /** The tally of a provider's ingest run, to be added to; created empty when none. */
    QualityTally runTally(String provider, String run) {
        return tally(ofProvider(provider).runs(), run);
    }

    private QualityPartial ofProvider(String provider) {
        changed.add(provider);
        return pending.computeIfAbsent(provider, p -> new QualityPartial(new TreeMap<>(), new TreeMap<>()));
    }

    private <K> QualityTally tally(SortedMap<K, QualityTally> tallies, K key) {
        QualityTally tally = tallies.get(key);
        if (tally == null) {
            tally = new QualityTally();
            tallies.put(key, tally);
            windows++;
        }
        return tally;
    }

    /** How many windows and runs the store holds, all providers together. */
    int windows() {
        return windows;
    }

    /** Takes every pending count out (to be sent on): the next write deletes them. */
    Map<String, QualityPartial> drain() {
        Map<String, QualityPartial> drained = new TreeMap<>(pending);
        changed.addAll(pending.keySet());
        pending.clear();
        windows = 0;
        return drained;
    }

    /** The counts as the last write left them in the changelogged store, per provider (for tests). */
    KeyValueStore<String, QualityPartial> written() {
        return logged;
    }

    /** Writes the providers whose counts changed to the changelogged store: called by Streams before every commit. */
    @Override
    public void flushCache() {
        for (String provider : changed) {
            QualityPartial ofProvider = pending.get(provider);
            if (ofProvider == null) {
                logged.delete(provider);
            } else {
                logged.put(provider, ofProvider);
            }
        }
        changed.clear();
    }

    /** Called by Streams when the task's state is recycled: memory is reloaded from the store at the processor's init. */
    @Override
    public void clearCache() {
        pending.clear();
        changed.clear();
        windows = 0;
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, QualityPartial> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return logged.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        logged.init(context, root);
    }

    /** Called after the commit (the counts were written by {@link #flushCache()} before it). */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        logged.commit(changelogOffsets);
    }

    @Override
    public void close() {
        logged.close();
    }

    @Override
    public boolean persistent() {
        return logged.persistent();
    }

    @Override
    public boolean isOpen() {
        return logged.isOpen();
    }

    @Override
    public Position getPosition() {
        return logged.getPosition();
    }

    private record Builder(String name, boolean logging) implements StoreBuilder<QualityTapStore> {

        @Override
        public StoreBuilder<QualityTapStore> withCachingEnabled() {
            throw new UnsupportedOperationException("a quality tap store is written once per commit already");
        }

        @Override
        public StoreBuilder<QualityTapStore> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<QualityTapStore> withLoggingEnabled(Map<String, String> config) {
            return new Builder(name, true);
        }

        @Override
        public StoreBuilder<QualityTapStore> withLoggingDisabled() {
            return new Builder(name, false);
        }

        @Override
        public QualityTapStore build() {
            StoreBuilder<KeyValueStore<String, QualityPartial>> inner = Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(name), Serdes.String(), InternalSerdes.qualityPartial());
            return new QualityTapStore((logging ? inner.withLoggingEnabled(Map.of()) : inner.withLoggingDisabled()).build());
        }

        @Override
        public Map<String, String> logConfig() {
            return Map.of();
        }

        @Override
        public boolean loggingEnabled() {
            return logging;
        }
    }
}
