package dev.eventflow.processor.topology;

import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A store whose state lives in memory, in the processor's own objects, and is handed on once per commit: Streams calls
 * {@link #flushCache()} on every {@link CachedStateStore} of a task before it sends the task's output and commits its
 * offsets, in the same transaction under exactly-once. What a subclass writes (or forwards) there is therefore committed
 * with the offsets of the records that made it, and a crash neither loses nor repeats it.
 *
 * <p>Why not a cached key-value store: Streams' record cache is one per stream thread, and once it is full (it always is,
 * of the event state's entries) a put evicts the eldest entry of the store written to, so a store of a few keys written
 * on every record is written through to its changelog on every record. {@link CachedStateStore} and its flush are
 * Streams internals ({@code QualityTopologyTest}, {@code QualityTapProcessorTest} and {@code QualityScoresProcessorTest}
 * pin the behaviour).
 *
 * @param <V> the values of the key-value store underneath, which holds what a restart reads back
 */
abstract class CommitFlushedStore<V> implements StateStore, CachedStateStore<String, V> {

    protected final KeyValueStore<String, V> logged;

    protected CommitFlushedStore(KeyValueStore<String, V> logged) {
        this.logged = logged;
    }

    /** Hands the state on: called by Streams before every commit of the task. */
    @Override
    public abstract void flushCache();

    /** Called by Streams when the task's state is recycled or closed dirty: memory is read again at the processor's init. */
    @Override
    public abstract void clearCache();

    /** What the last flush left in the store underneath (for tests). */
    KeyValueStore<String, V> written() {
        return logged;
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, V> listener, boolean sendOldValues) {
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

    /** Called after the commit (the state was handed on by {@link #flushCache()} before it). */
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

    /**
     * Builds a store of type {@code S} over a key-value store of {@code supplier} (changelogged unless logging is
     * disabled); caching is refused, the store is written once per commit already.
     */
    record Builder<V, S extends CommitFlushedStore<V>>(KeyValueBytesStoreSupplier supplier, Serde<V> serde, boolean logging,
                                                       Function<KeyValueStore<String, V>, S> make)
            implements StoreBuilder<S> {

        @Override
        public StoreBuilder<S> withCachingEnabled() {
            throw new UnsupportedOperationException(supplier.name() + " is written once per commit already");
        }

        @Override
        public StoreBuilder<S> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<S> withLoggingEnabled(Map<String, String> config) {
            return new Builder<>(supplier, serde, true, make);
        }

        @Override
        public StoreBuilder<S> withLoggingDisabled() {
            return new Builder<>(supplier, serde, false, make);
        }

        @Override
        public S build() {
            StoreBuilder<KeyValueStore<String, V>> inner = Stores.keyValueStoreBuilder(supplier, Serdes.String(), serde);
            return make.apply((logging ? inner.withLoggingEnabled(Map.of()) : inner.withLoggingDisabled()).build());
        }

        @Override
        public String name() {
            return supplier.name();
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
