package dev.eventflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.model.EntityAlias;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.IngestRunStatus;
import dev.eventflow.model.serde.JsonSerde;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The global stores' updaters: what a readable record, a tombstone and a record of another shape do to the store. */
class GlobalStoreUpdaterTest {

    static final Instant T = Instant.parse("2026-11-30T10:00:00Z");

    final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();

    <V> KeyValueStore<String, V> store(org.apache.kafka.common.serialization.Serde<V> serde) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("s"), Serdes.String(), serde)
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    static Record<String, byte[]> record(String key, String json) {
        return new Record<>(key, json == null ? null : json.getBytes(StandardCharsets.UTF_8), 0L);
    }

    @Test
    void shouldKeepEachRunsLatestStateAndLeaveOutWhatIsNotARun() {
        KeyValueStore<String, IngestRun> store = store(new JsonSerde<>(IngestRun.class));
        IngestRunStoreUpdater updater = new IngestRunStoreUpdater("s");
        updater.init(context);
        IngestRun running = new IngestRun("r1", "replay", "p", "E0.csv", IngestRunStatus.RUNNING, T, null, 0, 0, 0, null, null, null);
        IngestRun finished = new IngestRun("r1", "replay", "p", "E0.csv", IngestRunStatus.SUCCEEDED, T, T.plusSeconds(1), 3, 3, 0,
                null, null, null);
        JsonSerde<IngestRun> serde = new JsonSerde<>(IngestRun.class);

        updater.process(new Record<>("r1", serde.serialize("t", running), 0L));
        updater.process(new Record<>("r1", serde.serialize("t", finished), 0L));
        updater.process(record("r2", "not json"));
        updater.process(record("r3", "{\"runId\":\"r3\"}"));
        updater.process(new Record<>(null, serde.serialize("t", running), 0L));

        assertThat(store.get("r1")).isEqualTo(finished);
        assertThat(store.approximateNumEntries()).isEqualTo(1);
        updater.process(record("r1", null));
        assertThat(store.get("r1")).isNull();
    }

    @Test
    void shouldKeepAliasesBySlugAndLeaveOutWhatIsNotAnAlias() {
        KeyValueStore<String, String> store = store(Serdes.String());
        AliasStoreUpdater updater = new AliasStoreUpdater("s");
        updater.init(context);
        JsonSerde<EntityAlias> serde = new JsonSerde<>(EntityAlias.class);

        updater.process(new Record<>("football:man-utd", serde.serialize("t", new EntityAlias("football", "Man Utd", "Manchester United", T)), 0L));
        updater.process(record("football:x", "[1, 2]"));
        updater.process(new Record<>("football:--", serde.serialize("t", new EntityAlias("football", "--", "Arsenal", T)), 0L));

        assertThat(store.get("football:man-utd")).isEqualTo("Manchester United");
        assertThat(store.approximateNumEntries()).isEqualTo(1);
        updater.process(record("football:man-utd", null));
        assertThat(store.get("football:man-utd")).isNull();
    }
}
