package dev.eventflow.processor.topology;

import dev.eventflow.model.Entity;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicDefinition;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.ProcessorMetrics;
import dev.eventflow.processor.dedup.Stamp;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * eventflow's Kafka Streams topology, built by a pure function of the configuration:
 *
 * <pre>
 * provider.events.raw ─┐                   ┌─ entities-of-record ─▶ [entities-by-id] ─▶ entities-latest ─▶ entities.clean
 * provider.return-   ──┴▶ map-raw-records ─┼─ bundle-of-record ──▶ [event-bundles-by-event-id] ─▶ event-state ─┬─ changed-events ───────▶ events.clean
 *   rates.raw           (parse, validate,  │                                                                   ├─ changed-return-rates ─▶ return-rates.clean
 *                        normalize)        └─ refusals-of-record ─▶ dead-letter-writer ─▶ eventflow.dlq       └─ changed-enriched ─────▶ events.enriched
 * </pre>
 *
 * Every processor, store and repartition topic has an explicit name, pinned by a test. Repartition
 * topics and stores use compact binary serdes ({@link InternalSerdes}); the output topics the
 * plain-JSON contract.
 */
public final class EventflowTopology {

    public static final String ENTITIES_BY_ID = "entities-by-id";
    public static final String EVENT_BUNDLES_BY_EVENT_ID = "event-bundles-by-event-id";
    public static final String ENTITIES_LATEST_STORE = "entities-latest";
    public static final String EVENT_STATE_STORE = "event-state";

    private EventflowTopology() {
    }

    public static Topology buildTopology(ProcessorConfig config) {
        return buildTopology(config, ProcessorMetrics.inMemory(), Clock.systemUTC());
    }

    public static Topology buildTopology(ProcessorConfig config, ProcessorMetrics metrics, Clock clock) {
        EventflowTopics topics = config.topics();
        RawRecordMapper mapper = new RawRecordMapper(config.providers(), config.mappingRules(), metrics, clock);
        Retention retention = new Retention(config.dedupRetention(), config.dedupPurgeInterval());
        StreamsBuilder builder = new StreamsBuilder();
        addStores(builder);

        KStream<byte[], byte[]> rawEvents = builder.stream(topics.eventsRaw().name(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("raw-events-source"));
        KStream<byte[], byte[]> rawRates = builder.stream(topics.returnRatesRaw().name(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("raw-return-rates-source"));

        KStream<byte[], MappedRaw> mapped = rawEvents
                .merge(rawRates, Named.as("merge-raw"))
                .process(() -> new MapRawRecordsProcessor(mapper, metrics, topics.entitiesClean().name(), config.commitInterval()),
                        Named.as("map-raw-records"));
        entities(mapped, config, topics, retention, metrics);
        events(mapped, config, topics, retention, metrics);
        mapped.flatMapValues(MappedRaw::refusals, Named.as("refusals-of-record"))
                .process(DeadLetterWriter::new, Named.as("dead-letter-writer"))
                .to(topics.deadLetters().name(), produced(topics.deadLetters(), "dead-letters-sink"));
        return builder.build();
    }

    private static void entities(KStream<byte[], MappedRaw> mapped, ProcessorConfig config, EventflowTopics topics,
                                 Retention retention, ProcessorMetrics metrics) {
        mapped
                .flatMap((key, value) -> value.entities().stream().map(entity -> KeyValue.pair(entity.id(), entity)).toList(),
                        Named.as("entities-of-record"))
                .repartition(Repartitioned.<String, Entity>as(ENTITIES_BY_ID)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(InternalSerdes.entity())
                        .withNumberOfPartitions(config.repartitionPartitions()))
                .processValues(() -> new EntityLatestWinsProcessor(ENTITIES_LATEST_STORE, topics.entitiesClean().name(),
                        retention, metrics), Named.as(ENTITIES_LATEST_STORE + "-processor"), ENTITIES_LATEST_STORE)
                .to(topics.entitiesClean().name(), produced(topics.entitiesClean(), "entities-clean-sink"));
    }

    private static void events(KStream<byte[], MappedRaw> mapped, ProcessorConfig config, EventflowTopics topics,
                               Retention retention, ProcessorMetrics metrics) {
        EventStateProcessor.OutputTopics outputs = new EventStateProcessor.OutputTopics(
                topics.eventsClean().name(), topics.returnRatesClean().name(), topics.eventsEnriched().name());
        KStream<String, EventChanges> changes = mapped
                .flatMap((key, value) -> value.bundles().stream().map(bundle -> KeyValue.pair(bundle.eventId(), bundle)).toList(),
                        Named.as("bundle-of-record"))
                .repartition(Repartitioned.<String, EventBundle>as(EVENT_BUNDLES_BY_EVENT_ID)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(InternalSerdes.eventBundle())
                        .withNumberOfPartitions(config.repartitionPartitions()))
                .process(() -> new EventStateProcessor(EVENT_STATE_STORE, outputs, retention, metrics),
                        Named.as("event-state-processor"), EVENT_STATE_STORE);
        changes.flatMapValues(EventChanges::events, Named.as("changed-events"))
                .to(topics.eventsClean().name(), produced(topics.eventsClean(), "events-clean-sink"));
        changes.flatMap((key, value) -> value.rates().stream().map(rate -> KeyValue.pair(rate.id(), rate)).toList(),
                        Named.as("changed-return-rates"))
                .to(topics.returnRatesClean().name(), produced(topics.returnRatesClean(), "return-rates-clean-sink"));
        changes.flatMapValues(EventChanges::enrichedEvents, Named.as("changed-enriched"))
                .to(topics.eventsEnriched().name(), produced(topics.eventsEnriched(), "events-enriched-sink"));
    }

    private static <K, V> Produced<K, V> produced(TopicDefinition<K, V> topic, String name) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    /**
     * Every state store of the topology, with its serdes. The event state is cached: repeated
     * records of one event within a commit interval (a live feed's snapshots) reach RocksDB and the
     * changelog once.
     */
    private static void addStores(StreamsBuilder builder) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ENTITIES_LATEST_STORE), Serdes.String(), Stamp.serde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(EVENT_STATE_STORE), Serdes.String(), InternalSerdes.eventState())
                .withCachingEnabled());
    }
}
