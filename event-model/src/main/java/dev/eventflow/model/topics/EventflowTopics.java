package dev.eventflow.model.topics;

import dev.eventflow.config.Config;
import dev.eventflow.config.ConfigSpec;
import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.model.Entity;
import dev.eventflow.model.EntityAlias;
import dev.eventflow.model.Event;
import dev.eventflow.model.IngestCheckpoint;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.QualityRunScore;
import dev.eventflow.model.QualityScore;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.model.serde.JsonSerde;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of the contract, with names and creation settings from configuration.
 * Keys of every topic are UTF-8 strings except the dead-letter topic, which keeps the original
 * bytes. Values are JSON (see {@code docs/topics.md}).
 *
 * <p>Configuration: {@code topic.<id>.name}, {@code topic.<id>.partitions} and any Kafka topic
 * config under {@code topic.<id>.config.}, for the ids of the constants below.
 */
public final class EventflowTopics {

    public static final String EVENTS_RAW = "events-raw";
    public static final String RETURN_RATES_RAW = "return-rates-raw";
    public static final String ENTITIES_CLEAN = "entities-clean";
    public static final String EVENTS_CLEAN = "events-clean";
    public static final String RETURN_RATES_CLEAN = "return-rates-clean";
    public static final String EVENTS_ENRICHED = "events-enriched";
    public static final String DEAD_LETTERS = "dlq";
    public static final String INGEST_RUNS = "ingest-runs";
    public static final String INGEST_CHECKPOINTS = "ingest-checkpoints";
    public static final String ENTITY_ALIASES = "entity-aliases";
    public static final String EVENT_MOVES = "event-moves";
    public static final String QUALITY_SCORES = "quality-scores";
    public static final String QUALITY_RUN_SCORES = "quality-run-scores";

    private static final int DATA_PARTITIONS = 6;

    /** Default name, partitions and topic configs per id, in contract order. */
    private static final Map<String, Defaults> DEFAULTS = defaultsInOrder();

    private final TopicDefinition<String, RawEnvelope> eventsRaw;
    private final TopicDefinition<String, RawEnvelope> returnRatesRaw;
    private final TopicDefinition<String, Entity> entitiesClean;
    private final TopicDefinition<String, Event> eventsClean;
    private final TopicDefinition<String, ReturnRate> returnRatesClean;
    private final TopicDefinition<String, EnrichedEvent> eventsEnriched;
    private final TopicDefinition<byte[], byte[]> deadLetters;
    private final TopicDefinition<String, IngestRun> ingestRuns;
    private final TopicDefinition<String, IngestCheckpoint> ingestCheckpoints;
    private final TopicDefinition<String, EntityAlias> entityAliases;
    private final TopicDefinition<String, byte[]> eventMoves;
    private final TopicDefinition<String, QualityScore> qualityScores;
    private final TopicDefinition<String, QualityRunScore> qualityRunScores;

    private EventflowTopics(Config config) {
        Serde<String> keys = Serdes.String();
        this.eventsRaw = define(config, EVENTS_RAW, keys, new JsonSerde<>(RawEnvelope.class));
        this.returnRatesRaw = define(config, RETURN_RATES_RAW, keys, new JsonSerde<>(RawEnvelope.class));
        this.entitiesClean = define(config, ENTITIES_CLEAN, keys, new JsonSerde<>(Entity.class));
        this.eventsClean = define(config, EVENTS_CLEAN, keys, new JsonSerde<>(Event.class));
        this.returnRatesClean = define(config, RETURN_RATES_CLEAN, keys, new JsonSerde<>(ReturnRate.class));
        this.eventsEnriched = define(config, EVENTS_ENRICHED, keys, new JsonSerde<>(EnrichedEvent.class));
        this.deadLetters = define(config, DEAD_LETTERS, Serdes.ByteArray(), Serdes.ByteArray());
        this.ingestRuns = define(config, INGEST_RUNS, keys, new JsonSerde<>(IngestRun.class));
        this.ingestCheckpoints = define(config, INGEST_CHECKPOINTS, keys, new JsonSerde<>(IngestCheckpoint.class));
        this.entityAliases = define(config, ENTITY_ALIASES, keys, new JsonSerde<>(EntityAlias.class));
        this.eventMoves = define(config, EVENT_MOVES, keys, Serdes.ByteArray());
        this.qualityScores = define(config, QUALITY_SCORES, keys, new JsonSerde<>(QualityScore.class));
        this.qualityRunScores = define(config, QUALITY_RUN_SCORES, keys, new JsonSerde<>(QualityRunScore.class));
        ensureDistinctNames();
    }

    /** The configuration keys of the topics, with their defaults. */
    public static ConfigSpec configSpec() {
        ConfigSpec.Builder builder = ConfigSpec.builder();
        DEFAULTS.forEach((id, defaults) -> builder
                .define("topic." + id + ".name", defaults.name(), "name of the " + id + " topic")
                .define("topic." + id + ".partitions", Integer.toString(defaults.partitions()),
                        "partitions of the " + id + " topic when eventflow creates it")
                .prefix("topic." + id + ".config.", "Kafka topic configs of the " + id + " topic when eventflow creates it"));
        return builder.build();
    }

    /** The topics with their default names. */
    public static EventflowTopics defaults() {
        return from(Config.defaults(configSpec()));
    }

    /** The topics as configured; {@code config} must include {@link #configSpec()}. */
    public static EventflowTopics from(Config config) {
        return new EventflowTopics(config);
    }

    /**
     * Raw fixtures and results. Key: the provider's natural id of the record (string). Value:
     * {@link RawEnvelope} JSON. Retained forever by default: it is the source of reprocessing.
     */
    public TopicDefinition<String, RawEnvelope> eventsRaw() {
        return eventsRaw;
    }

    /** Raw return rates (odds). Key: the provider's natural id. Value: {@link RawEnvelope} JSON. */
    public TopicDefinition<String, RawEnvelope> returnRatesRaw() {
        return returnRatesRaw;
    }

    /** Compacted. Key: entity id. Value: {@link Entity} JSON; a null value retires the entity (it became an alias). */
    public TopicDefinition<String, Entity> entitiesClean() {
        return entitiesClean;
    }

    /** Compacted. Key: event id. Value: {@link Event} JSON; a null value deletes the event. */
    public TopicDefinition<String, Event> eventsClean() {
        return eventsClean;
    }

    /** Compacted. Key: {@code eventId|bookmaker|market}. Value: {@link ReturnRate} JSON; a null value deletes the rate. */
    public TopicDefinition<String, ReturnRate> returnRatesClean() {
        return returnRatesClean;
    }

    /** Compacted. Key: event id. Value: {@link EnrichedEvent} JSON; a null value deletes the enriched event. */
    public TopicDefinition<String, EnrichedEvent> eventsEnriched() {
        return eventsEnriched;
    }

    /**
     * Dead letters. Key and value: the original record's bytes, untouched. Headers: the reason,
     * stage, provider and source coordinates ({@link dev.eventflow.model.DeadLetter}).
     */
    public TopicDefinition<byte[], byte[]> deadLetters() {
        return deadLetters;
    }

    /** Compacted. Key: run id. Value: {@link IngestRun} JSON. */
    public TopicDefinition<String, IngestRun> ingestRuns() {
        return ingestRuns;
    }

    /** Compacted. Key: source id. Value: {@link IngestCheckpoint} JSON: how far the producer got in a source. */
    public TopicDefinition<String, IngestCheckpoint> ingestCheckpoints() {
        return ingestCheckpoints;
    }

    /**
     * Compacted. Key: {@code sport:slug(alias)}. Value: {@link EntityAlias} JSON; a null value removes the
     * alias. Written by {@code ./eventflow aliases}; read by every stream processor instance whole.
     */
    public TopicDefinition<String, EntityAlias> entityAliases() {
        return entityAliases;
    }

    /**
     * The stream processor's own: an event it re-keys because one of its entities became an alias of
     * another travels here to the task of its new id. Key: the new event id. Value: the processor's
     * internal binary format (not a contract for other readers).
     */
    public TopicDefinition<String, byte[]> eventMoves() {
        return eventMoves;
    }

    /**
     * Compacted. Key: {@code provider|windowStart} (see {@link QualityScore#keyOf}). Value: {@link QualityScore} JSON,
     * the data-quality score of one provider over one window of data time; a window's newer version replaces
     * the older one.
     */
    public TopicDefinition<String, QualityScore> qualityScores() {
        return qualityScores;
    }

    /**
     * Compacted. Key: {@code provider|ingestRunId} (see {@link QualityRunScore#keyOf}). Value: {@link QualityRunScore}
     * JSON, the data-quality score of one provider's records of one ingest run (replays and generator runs); a run's
     * newer version replaces the older one.
     */
    public TopicDefinition<String, QualityRunScore> qualityRunScores() {
        return qualityRunScores;
    }

    /** Every topic, in contract order. */
    public List<TopicDefinition<?, ?>> all() {
        return List.of(eventsRaw, returnRatesRaw, entitiesClean, eventsClean, returnRatesClean,
                eventsEnriched, deadLetters, ingestRuns, ingestCheckpoints, entityAliases, eventMoves, qualityScores,
                qualityRunScores);
    }

    private static <K, V> TopicDefinition<K, V> define(Config config, String id, Serde<K> keySerde, Serde<V> valueSerde) {
        Map<String, String> configs = new LinkedHashMap<>(DEFAULTS.get(id).configs());
        configs.putAll(config.withPrefix("topic." + id + ".config."));
        return new TopicDefinition<>(id,
                config.getString("topic." + id + ".name"),
                keySerde,
                valueSerde,
                config.getInt("topic." + id + ".partitions"),
                configs);
    }

    private void ensureDistinctNames() {
        Map<String, String> idByName = new LinkedHashMap<>();
        for (TopicDefinition<?, ?> topic : all()) {
            String previous = idByName.putIfAbsent(topic.name(), topic.id());
            if (previous != null) {
                throw new IllegalArgumentException("Topics " + previous + " and " + topic.id()
                        + " are both configured as '" + topic.name() + "'");
            }
        }
    }

    private static Map<String, Defaults> defaultsInOrder() {
        Map<String, String> forever = Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "-1");
        Map<String, String> compact = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        Map<String, String> thirtyDays = Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(30L * 24 * 60 * 60 * 1000));
        Map<String, Defaults> defaults = new LinkedHashMap<>();
        defaults.put(EVENTS_RAW, new Defaults("provider.events.raw", DATA_PARTITIONS, forever));
        defaults.put(RETURN_RATES_RAW, new Defaults("provider.return-rates.raw", DATA_PARTITIONS, forever));
        defaults.put(ENTITIES_CLEAN, new Defaults("entities.clean", DATA_PARTITIONS, compact));
        defaults.put(EVENTS_CLEAN, new Defaults("events.clean", DATA_PARTITIONS, compact));
        defaults.put(RETURN_RATES_CLEAN, new Defaults("return-rates.clean", DATA_PARTITIONS, compact));
        defaults.put(EVENTS_ENRICHED, new Defaults("events.enriched", DATA_PARTITIONS, compact));
        defaults.put(DEAD_LETTERS, new Defaults("eventflow.dlq", 1, thirtyDays));
        defaults.put(INGEST_RUNS, new Defaults("ingest.runs", 1, compact));
        defaults.put(INGEST_CHECKPOINTS, new Defaults("ingest.checkpoints", 1, compact));
        defaults.put(ENTITY_ALIASES, new Defaults("entities.aliases", 1, compact));
        defaults.put(EVENT_MOVES, new Defaults("eventflow.event-moves", DATA_PARTITIONS, thirtyDays));
        defaults.put(QUALITY_SCORES, new Defaults("quality.scores", 1, compact));
        defaults.put(QUALITY_RUN_SCORES, new Defaults("quality.run-scores", 1, compact));
        return Collections.unmodifiableMap(defaults);
    }

    private record Defaults(String name, int partitions, Map<String, String> configs) {
    }
}
