package dev.eventflow.processor.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Forgets keys whose newest source time is older than the stream time minus the retention, on a
 * wall-clock schedule. A forgotten key is new again: a repeat after the retention is emitted again.
 *
 * @param retention how long after its newest source time a key is remembered
 * @param interval  how often (wall clock) the stores are swept
 */
public record Retention(Duration retention, Duration interval) {

    /** Schedules the sweep of {@code store}; {@code version} gives an entry's newest source time. */
    <V> void schedule(ProcessingContext context, KeyValueStore<String, V> store, ToLongFunction<V> version) {
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, now -> sweep(context.currentStreamTimeMs(), store, version));
    }

    <V> int sweep(long streamTime, KeyValueStore<String, V> store, ToLongFunction<V> version) {
        if (streamTime < 0) {
            return 0;
        }
        long cutoff = streamTime - retention.toMillis();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, V> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, V> entry = all.next();
                if (version.applyAsLong(entry.value) < cutoff) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(store::delete);
        return expired.size();
    }
}
