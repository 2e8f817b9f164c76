package dev.eventflow.processor.topology;

import dev.eventflow.model.Entity;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.model.serde.JsonSerde;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicDefinition;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.ProcessorMetrics;
import dev.eventflow.processor.dedup.Stamp;
import dev.eventflow.processor.provider.ProviderRegistry;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
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
 * provider.events.raw ─┐                      ┌─ entities ─▶ [entities-by-id] ─▶ entities-latest ─▶ entities.clean
 * provider.return-   ──┴▶ map-raw-records ─┼─ bundles ──▶ [event-bundles-by-event-id] ─▶ event-state ─┬▶ events.clean
 *   rates.raw              (parse, validate,  │                                                        ├▶ return-rates.clean
 *                           normalize)        └─ refused ─▶ dead-letter-writer ─▶ eventflow.dlq          └▶ events.enriched
 * </pre>
 *
 * Every processor, store and repartition topic has an explicit name, pinned by a test.
 */
public final class EventflowTopology {

    public static final String ENTITIES_BY_ID = "entities-by-id";
    public static final String EVENT_BUNDLES_BY_EVENT_ID = "event-bundles-by-event-id";
    public static final String ENTITIES_LATEST_STORE = "entities-latest";
    public static final String EVENT_STATE_STORE = "event-state";
    public static final String RETURN_RATES_HISTORY_STORE = "return-rates-history";

    private EventflowTopology() {
    }

    public static Topology buildTopology(ProcessorConfig config) {
        return buildTopology(config, ProcessorMetrics.inMemory(), Clock.systemUTC());
    }

    public static Topology buildTopology(ProcessorConfig config, ProcessorMetrics metrics, Clock clock) {
        EventflowTopics topics = config.topics();
        RawRecordMapper mapper = new RawRecordMapper(ProviderRegistry.builtIn(), config.mappingRules(), metrics, clock);
        Retention retention = new Retention(config.dedupRetention(), config.dedupPurgeInterval());
        StreamsBuilder builder = new StreamsBuilder();
        addStores(builder, config);

        KStream<byte[], byte[]> rawEvents = builder.stream(topics.eventsRaw().name(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("raw-events-source"));
        KStream<byte[], byte[]> rawRates = builder.stream(topics.returnRatesRaw().name(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("raw-return-rates-source"));

        KStream<String, Routed> routed = rawEvents
                .merge(rawRates, Named.as("merge-raw"))
                .process(() -> new MapRawRecordsProcessor(mapper, metrics, topics.entitiesClean().name(), config.commitInterval()),
                        Named.as("map-raw-records"));

        routed.split(Named.as("route-"))
                .branch((key, value) -> value instanceof Routed.EntityOut,
                        Branched.withConsumer(entities -> entities(entities, config, topics, retention, metrics), "entities"))
                .branch((key, value) -> value instanceof Routed.BundleOut,
                        Branched.withConsumer(bundles -> bundles(bundles, config, topics, retention, metrics), "bundles"))
                .branch((key, value) -> value instanceof Routed.DeadLetterOut,
                        Branched.withConsumer(refused -> refused
                                .process(DeadLetterWriter::new, Named.as("dead-letter-writer"))
                                .to(topics.deadLetters().name(), produced(topics.deadLetters(), "dead-letters-sink")),
                                "dead-letters"))
                .noDefaultBranch();
        return builder.build();
    }

    private static void entities(KStream<String, Routed> entities, ProcessorConfig config, EventflowTopics topics,
                                 Retention retention, ProcessorMetrics metrics) {
        entities
                .mapValues(value -> ((Routed.EntityOut) value).entity(), Named.as("entity-value"))
                .repartition(Repartitioned.<String, Entity>as(ENTITIES_BY_ID)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(new JsonSerde<>(Entity.class))
                        .withNumberOfPartitions(config.repartitionPartitions()))
                .processValues(() -> new EntityLatestWinsProcessor(ENTITIES_LATEST_STORE, topics.entitiesClean().name(),
                        retention, metrics), Named.as(ENTITIES_LATEST_STORE + "-processor"), ENTITIES_LATEST_STORE)
                .to(topics.entitiesClean().name(), produced(topics.entitiesClean(), "entities-clean-sink"));
    }

    private static void bundles(KStream<String, Routed> bundles, ProcessorConfig config, EventflowTopics topics,
                                Retention retention, ProcessorMetrics metrics) {
        EventStateProcessor.StoreNames stores = new EventStateProcessor.StoreNames(
                EVENT_STATE_STORE, RETURN_RATES_HISTORY_STORE);
        EventStateProcessor.OutputTopics outputs = new EventStateProcessor.OutputTopics(
                topics.eventsClean().name(), topics.returnRatesClean().name(), topics.eventsEnriched().name());
        KStream<String, Routed> clean = bundles
                .mapValues(value -> ((Routed.BundleOut) value).bundle(), Named.as("bundle-value"))
                .repartition(Repartitioned.<String, EventBundle>as(EVENT_BUNDLES_BY_EVENT_ID)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(new JsonSerde<>(EventBundle.class))
                        .withNumberOfPartitions(config.repartitionPartitions()))
                .process(() -> new EventStateProcessor(stores, outputs, retention, metrics), Named.as("event-state-processor"),
                        EVENT_STATE_STORE, RETURN_RATES_HISTORY_STORE);
        clean.split(Named.as("clean-"))
                .branch((key, value) -> value instanceof Routed.CleanEvent, Branched.withConsumer(events -> events
                        .mapValues(value -> ((Routed.CleanEvent) value).event(), Named.as("clean-event-value"))
                        .to(topics.eventsClean().name(), produced(topics.eventsClean(), "events-clean-sink")), "events"))
                .branch((key, value) -> value instanceof Routed.CleanRate, Branched.withConsumer(rates -> rates
                        .mapValues(value -> ((Routed.CleanRate) value).rate(), Named.as("clean-rate-value"))
                        .to(topics.returnRatesClean().name(), produced(topics.returnRatesClean(), "return-rates-clean-sink")),
                        "return-rates"))
                .branch((key, value) -> value instanceof Routed.Enriched, Branched.withConsumer(enriched -> enriched
                        .mapValues(value -> ((Routed.Enriched) value).enriched(), Named.as("enriched-value"))
                        .to(topics.eventsEnriched().name(), produced(topics.eventsEnriched(), "events-enriched-sink")),
                        "enriched"))
                .noDefaultBranch();
    }

    private static <K, V> Produced<K, V> produced(TopicDefinition<K, V> topic, String name) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    /** Every state store of the topology, with its serdes and retention. */
    private static void addStores(StreamsBuilder builder, ProcessorConfig config) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ENTITIES_LATEST_STORE), Serdes.String(), Stamp.serde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(EVENT_STATE_STORE), Serdes.String(), new JsonSerde<>(EventState.class)));
        builder.addStateStore(Stores.versionedKeyValueStoreBuilder(
                // Kafka's default segment interval unless configured: shorter segments make each quote's write
                // smaller but make an as-of lookup behind the newest quote visit every newer segment, which
                // is what a backfill of older history does (docs/BENCHMARKS.md).
                config.joinHistorySegment()
                        .map(segment -> Stores.persistentVersionedKeyValueStore(RETURN_RATES_HISTORY_STORE, config.joinHistoryRetention(), segment))
                        .orElseGet(() -> Stores.persistentVersionedKeyValueStore(RETURN_RATES_HISTORY_STORE, config.joinHistoryRetention())),
                Serdes.String(), new JsonSerde<>(ReturnRate.class)));
    }
}
