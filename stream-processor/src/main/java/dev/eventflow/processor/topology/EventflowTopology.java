package dev.eventflow.processor.topology;

import dev.eventflow.model.QualityRunScore;
import dev.eventflow.model.QualityScore;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicDefinition;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.ProcessorMetrics;
import dev.eventflow.processor.deadletter.DeadLetterBounds;
import dev.eventflow.processor.quality.QualitySettings;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
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
 * entities.aliases ─▶ (global store entity-aliases: asked by map-raw-records and entities-latest)
 *
 * provider.events.raw ─┐                   ┌─ entities-of-record ─▶ [entities-by-id] ─▶ entities-latest ─┬─ entity-changes ─▶ entities.clean
 * provider.return-   ──┴▶ map-raw-records ─┤                                                           └─ entity-renames ─▶ eventflow.event-moves
 *   rates.raw           (parse, validate,  ├─ bundle-of-record ─┐
 *                        normalize)        │                    ├▶ [event-bundles-by-event-id] ─▶ event-state ─┬─ changed-events ───────▶ events.clean
 * eventflow.event-moves ───────────────────┼────────────────────┘                                              ├─ changed-return-rates ─▶ return-rates.clean
 *                                          │                                                                   ├─ changed-enriched ─────▶ events.enriched
 *                                          └─ refusals-of-record ─▶ dead-letter-writer ─▶ eventflow.dlq       └─ moved-events ─────────▶ eventflow.event-moves
 * </pre>
 *
 * The quality stage (unless {@code quality.enabled=false}) taps map-raw-records and event-state, brings each
 * provider's counts to one task (repartitions {@code quality-counts-of-records} and {@code quality-counts-of-events}) and
 * sends its windows' scores to {@code quality.scores} and its ingest runs' to {@code quality.run-scores}; the global
 * store {@code ingest-runs} (from {@code ingest.runs}) tells it when a run's score is complete.
 *
 * A name no alias knows is an entity of its own; when an alias for it arrives (on {@code entities.aliases},
 * or in the alias file at the next start), {@code entities-latest} retires it and sends each of its
 * events a rename through {@code eventflow.event-moves}; {@code event-state} deletes the event's rows
 * under the old id and sends what it held to the new id, again through {@code eventflow.event-moves}.
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
    /** Global store: the aliases added at run time ({@code entities.aliases}), {@code sport:slug} to canonical name. */
    public static final String ENTITY_ALIASES_STORE = "entity-aliases";
    /** The quality counts map-raw-records' tasks have not sent on yet, per provider. */
    public static final String RAW_QUALITY_STORE = "quality-tap-raw";
    /** The quality counts event-state's tasks have not sent on yet, per provider. */
    public static final String EVENT_QUALITY_STORE = "quality-tap-events";
    /** The taps' counts, keyed by provider, on their way to the provider's windows. */
    public static final String QUALITY_COUNTS_OF_RECORDS = "quality-counts-of-records";
    public static final String QUALITY_COUNTS_OF_EVENTS = "quality-counts-of-events";
    /** Each provider's windows as last sent: counts, version, closed. */
    public static final String QUALITY_WINDOWS_STORE = "quality-windows";
    /** Each provider's data time (the newest data time counted) and the counts not sent yet. */
    public static final String QUALITY_PROVIDERS_STORE = "quality-providers";
    /** The scores task's runs: each ingest run's counts as last sent, {@code provider|runId}. */
    public static final String QUALITY_RUNS_STORE = "quality-runs";
    /** Global store: the ingest runs ({@code ingest.runs}), which close the runs' quality scores. */
    public static final String INGEST_RUNS_STORE = "ingest-runs";

    private EventflowTopology() {
    }

    public static Topology buildTopology(ProcessorConfig config) {
        return buildTopology(config, ProcessorMetrics.inMemory(), Clock.systemUTC());
    }

    public static Topology buildTopology(ProcessorConfig config, ProcessorMetrics metrics, Clock clock) {
        EventflowTopics topics = config.topics();
        // Off (quality.enabled=false): no observation is made and the quality branch is not built.
        QualitySettings quality = config.qualityEnabled() ? config.quality() : null;
        RawRecordMapper mapper = new RawRecordMapper(config.providers(), config.mappingRules(), metrics, clock, quality);
        Retention retention = new Retention(config.dedupRetention(), config.dedupPurgeInterval());
        StreamsBuilder builder = new StreamsBuilder();
        addStores(builder, quality != null);

        KStream<byte[], byte[]> rawEvents = builder.stream(topics.eventsRaw().name(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("raw-events-source"));
        KStream<byte[], byte[]> rawRates = builder.stream(topics.returnRatesRaw().name(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("raw-return-rates-source"));

        KStream<byte[], MappedRaw> mapped = rawEvents
                .merge(rawRates, Named.as("merge-raw"))
                .process(() -> new MapRawRecordsProcessor(mapper, ENTITY_ALIASES_STORE, metrics, topics.entitiesClean().name(),
                        config.commitInterval()), Named.as("map-raw-records"));
        KStream<String, EventBundle> moves = builder.stream(topics.eventMoves().name(),
                Consumed.with(Serdes.String(), InternalSerdes.eventBundle()).withName("event-moves-source"));
        entities(mapped, moves, config, mapper, topics, retention, metrics);
        KStream<String, EventChanges> changes = events(mapped, moves, config, topics, retention, metrics, quality);
        if (quality != null) {
            quality(builder, mapped, changes, config, quality, topics, metrics);
        }
        mapped.flatMapValues(MappedRaw::refusals, Named.as("refusals-of-record"))
                .process(() -> new DeadLetterWriter(DeadLetterBounds.maxBytes(config.streamsProperties())),
                        Named.as("dead-letter-writer"))
                .to(topics.deadLetters().name(), produced(topics.deadLetters(), "dead-letters-sink"));
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ENTITY_ALIASES_STORE),
                        Serdes.String(), Serdes.String()).withLoggingDisabled(),
                topics.entityAliases().name(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("entity-aliases"),
                () -> new AliasStoreUpdater(ENTITY_ALIASES_STORE));
        return builder.build();
    }

    /** The entity step; the renames it sends the event step go through the event-moves topic. */
    private static void entities(KStream<byte[], MappedRaw> mapped, KStream<String, EventBundle> moves, ProcessorConfig config,
                                                         RawRecordMapper mapper, EventflowTopics topics, Retention retention,
                                                         ProcessorMetrics metrics) {
        KStream<String, EntityOutput> outputs = mapped
                .flatMap((key, value) -> value.entities().stream()
                                .map(entity -> KeyValue.pair(entity.id(), new EntitySighting(entity,
                                        value.bundle() == null ? null : value.bundle().eventId())))
                                .toList(),
                        Named.as("entities-of-record"))
                .merge(moves.flatMap((key, bundle) -> bundle.entities().stream()
                                .map(entity -> KeyValue.pair(entity.id(), new EntitySighting(entity, key))).toList(),
                        Named.as("entities-of-move")), Named.as("merge-moved-entities"))
                .repartition(Repartitioned.<String, EntitySighting>as(ENTITIES_BY_ID)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(InternalSerdes.entitySighting())
                        .withNumberOfPartitions(config.repartitionPartitions()))
                .process(() -> new EntityLatestWinsProcessor(ENTITIES_LATEST_STORE, ENTITY_ALIASES_STORE,
                        mapper.rules().entities(), config.aliasesRecheckInterval(), topics.entitiesClean().name(), retention,
                        metrics), Named.as(ENTITIES_LATEST_STORE + "-processor"), ENTITIES_LATEST_STORE);
        outputs.filterNot((key, value) -> value.isRename(), Named.as("entity-changes"))
                .mapValues(EntityOutput::entity, Named.as("entity-of-change"))
                .to(topics.entitiesClean().name(), produced(topics.entitiesClean(), "entities-clean-sink"));
        outputs.filter((key, value) -> value.isRename(), Named.as("entity-renames"))
                .mapValues(EntityOutput::rename, Named.as("rename-of-change"))
                .to(topics.eventMoves().name(), Produced.with(Serdes.String(), InternalSerdes.eventBundle()).withName("renames-sink"));
    }

    private static KStream<String, EventChanges> events(KStream<byte[], MappedRaw> mapped, KStream<String, EventBundle> moves,
                                                        ProcessorConfig config, EventflowTopics topics, Retention retention,
                                                        ProcessorMetrics metrics, QualitySettings quality) {
        EventStateProcessor.OutputTopics outputs = new EventStateProcessor.OutputTopics(
                topics.eventsClean().name(), topics.returnRatesClean().name(), topics.eventsEnriched().name());
        KStream<String, EventChanges> changes = mapped
                .process(BundleOfRecordProcessor::new, Named.as("bundle-of-record"))
                .merge(moves.filter((key, bundle) -> bundle.forEventStep(), Named.as("moves-for-event-step")), Named.as("merge-moves"))
                .repartition(Repartitioned.<String, EventBundle>as(EVENT_BUNDLES_BY_EVENT_ID)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(InternalSerdes.eventBundle())
                        .withNumberOfPartitions(config.repartitionPartitions()))
                .process(() -> new EventStateProcessor(EVENT_STATE_STORE, outputs, retention, metrics, quality),
                        Named.as("event-state-processor"), EVENT_STATE_STORE);
        changes.flatMap((key, value) -> value.events(), Named.as("changed-events"))
                .to(topics.eventsClean().name(), produced(topics.eventsClean(), "events-clean-sink"));
        changes.flatMap((key, value) -> value.returnRates(), Named.as("changed-return-rates"))
                .to(topics.returnRatesClean().name(), produced(topics.returnRatesClean(), "return-rates-clean-sink"));
        changes.flatMap((key, value) -> value.enrichedEvents(), Named.as("changed-enriched"))
                .to(topics.eventsEnriched().name(), produced(topics.eventsEnriched(), "events-enriched-sink"));
        changes.flatMap((key, value) -> value.moves(), Named.as("moved-events"))
                .to(topics.eventMoves().name(), Produced.with(Serdes.String(), InternalSerdes.eventBundle()).withName("event-moves-sink"));
        return changes;
    }

    /**
     * The quality stage: each of the two stages that judge records adds up what they showed per provider and window in
     * its own task ({@link QualityTapProcessor}) and sends the counts on at every commit; a small
     * repartition by provider (one per tap) brings a provider's counts from every task together
     * ({@link QualityScoresProcessor}).
     */
    private static void quality(StreamsBuilder builder, KStream<byte[], MappedRaw> mapped, KStream<String, EventChanges> changes,
                                ProcessorConfig config, QualitySettings quality, EventflowTopics topics, ProcessorMetrics metrics) {
        KStream<String, QualityPartial> ofRecords = mapped
                .flatMapValues(MappedRaw::qualities, Named.as("quality-of-record"))
                .process(() -> new QualityTapProcessor<>(RAW_QUALITY_STORE, quality), Named.as("raw-quality-tap"), RAW_QUALITY_STORE);
        KStream<String, QualityPartial> ofEvents = changes
                .flatMapValues(EventChanges::quality, Named.as("quality-of-event-change"))
                .process(() -> new QualityTapProcessor<>(EVENT_QUALITY_STORE, quality), Named.as("event-quality-tap"),
                        EVENT_QUALITY_STORE);
        // One repartition each: merging the taps before it would fuse the raw and the event sub-topologies into one.
        byProvider(ofRecords, QUALITY_COUNTS_OF_RECORDS, config)
                .merge(byProvider(ofEvents, QUALITY_COUNTS_OF_EVENTS, config), Named.as("merge-quality-partials"))
                .process(() -> new QualityScoresProcessor(QUALITY_WINDOWS_STORE, QUALITY_PROVIDERS_STORE, QUALITY_RUNS_STORE,
                                INGEST_RUNS_STORE, quality, metrics),
                        Named.as("quality-scores-processor"), QUALITY_WINDOWS_STORE, QUALITY_PROVIDERS_STORE, QUALITY_RUNS_STORE)
                .split(Named.as("quality-scores-of-"))
                .branch((provider, score) -> score instanceof QualityScore, Branched.<String, Object>withConsumer(windows -> windows
                        .mapValues(QualityScore.class::cast, Named.as("quality-score-of-window"))
                        .to(topics.qualityScores().name(), produced(topics.qualityScores(), "quality-scores-sink"))).withName("windows"))
                .defaultBranch(Branched.<String, Object>withConsumer(runs -> runs
                        .mapValues(QualityRunScore.class::cast, Named.as("quality-score-of-run"))
                        .to(topics.qualityRunScores().name(), produced(topics.qualityRunScores(), "quality-run-scores-sink"))).withName("runs"));
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(INGEST_RUNS_STORE),
                        Serdes.String(), topics.ingestRuns().valueSerde()).withLoggingDisabled(),
                topics.ingestRuns().name(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("ingest-runs"),
                () -> new IngestRunStoreUpdater(INGEST_RUNS_STORE));
    }

    private static KStream<String, QualityPartial> byProvider(KStream<String, QualityPartial> partials, String name,
                                                             ProcessorConfig config) {
        return partials.repartition(Repartitioned.<String, QualityPartial>as(name)
                .withKeySerde(Serdes.String())
                .withValueSerde(InternalSerdes.qualityPartial())
                .withNumberOfPartitions(config.qualityPartitions()));
    }

    private static <K, V> Produced<K, V> produced(TopicDefinition<K, V> topic, String name) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    /**
     * Every state store of the topology, with its serdes. The event state is cached: repeated
     * records of one event within a commit interval (a live feed's snapshots) reach RocksDB and the
     * changelog once.
     */
    private static void addStores(StreamsBuilder builder, boolean quality) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ENTITIES_LATEST_STORE), Serdes.String(), InternalSerdes.entityState()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(EVENT_STATE_STORE), Serdes.String(), InternalSerdes.eventState())
                .withCachingEnabled());
        if (quality) {
            // Counted in memory on every record and sent on at every commit (the store holds only what the stage's
            // previous version left pending).
            builder.addStateStore(QualityTapStore.builder(RAW_QUALITY_STORE));
            builder.addStateStore(QualityTapStore.builder(EVENT_QUALITY_STORE));
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(QUALITY_WINDOWS_STORE), Serdes.String(), InternalSerdes.qualityWindow())
                    .withCachingEnabled());
            // Mirrored in memory, written once per provider and commit, read only at a start: a cache would serve no
            // read, and the thread's cache, full of event-state's entries, writes a small store through at every put
            // anyway (see CommitFlushedStore).
            builder.addStateStore(QualityBacklogStore.builder(QUALITY_PROVIDERS_STORE));
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(QUALITY_RUNS_STORE), Serdes.String(), InternalSerdes.qualityWindow())
                    .withCachingEnabled());
        }
    }
}
