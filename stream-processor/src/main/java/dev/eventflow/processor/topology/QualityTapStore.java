package dev.eventflow.processor.topology;

import dev.eventflow.processor.quality.QualityTally;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * A tap's counts, per provider and window and per ingest run, in memory, sent on at every commit: {@link #flushCache()}
 * hands them to the tap (which forwards them, one {@link QualityPartial} per provider) before Streams commits the
 * offsets of the records counted, in the same transaction, so a crash neither loses nor repeats a count and nothing is
 * pending between two commits. Nothing is written to the store underneath: it holds only what the stage's previous
 * version left pending there (it wrote its counts once per commit and sent them once per {@code quality.emit-interval}),
 * read back at the tap's init, sent on at the next commit and then deleted, so an upgrade loses nothing.
 */
final class QualityTapStore extends CommitFlushedStore<QualityPartial> {

    /** Per provider, the counts by window and by ingest run (mutable maps, written as they are). */
    private final Map<String, QualityPartial> pending = new HashMap<>();
    /** Providers the previous version left in the store: deleted at the next flush. */
    private final Set<String> leftInStore = new HashSet<>();
    private Consumer<Map<String, QualityPartial>> atCommit;
    private int windows;

    private QualityTapStore(KeyValueStore<String, QualityPartial> logged) {
        super(logged);
    }

    /** A builder of the store (its changelog is the stage's previous version's, read at a start only). */
    static StoreBuilder<QualityTapStore> builder(String name) {
        return new Builder<>(Stores.inMemoryKeyValueStore(name), InternalSerdes.qualityPartial(), true, QualityTapStore::new);
    }

    /**
     * Sets what takes the counts at every commit, and loads what the store holds (counts the previous version left
     * pending), replacing what memory held.
     */
    void sendAtCommit(Consumer<Map<String, QualityPartial>> receiver) {
        atCommit = receiver;
        pending.clear();
        leftInStore.clear();
        windows = 0;
        try (KeyValueIterator<String, QualityPartial> all = logged.all()) {
            while (all.hasNext()) {
                KeyValue<String, QualityPartial> entry = all.next();
                pending.put(entry.key, new QualityPartial(new TreeMap<>(entry.value.windows()), new TreeMap<>(entry.value.runs())));
                leftInStore.add(entry.key);
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

    /** Takes every pending count out (to be sent on), per provider in name order. */
    Map<String, QualityPartial> drain() {
        Map<String, QualityPartial> drained = new TreeMap<>(pending);
        pending.clear();
        windows = 0;
        return drained;
    }

    /** Hands every pending count to the tap, and deletes what the previous version left in the store. */
    @Override
    public void flushCache() {
        if (atCommit == null) {
            return;
        }
        if (!pending.isEmpty()) {
            atCommit.accept(drain());
        }
        leftInStore.forEach(logged::delete);
        leftInStore.clear();
    }

    @Override
    public void clearCache() {
        pending.clear();
        leftInStore.clear();
        windows = 0;
    }
}
