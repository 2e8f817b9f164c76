package dev.eventflow.processor;

import dev.eventflow.ops.OpsServer;
import dev.eventflow.config.Config;
import dev.eventflow.config.ConfigSpec;
import dev.eventflow.config.KafkaSecurity;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.processor.normalize.AliasTable;
import dev.eventflow.processor.normalize.EntityResolver;
import dev.eventflow.processor.provider.FootballDataOrgMapper;
import dev.eventflow.processor.provider.MappingRules;
import dev.eventflow.processor.provider.TheOddsApiMapper;
import dev.eventflow.processor.provider.ProviderRegistry;
import dev.eventflow.processor.quality.QualityDimension;
import dev.eventflow.processor.quality.QualitySettings;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;

/** The stream processor's configuration: its keys, defaults, and what they become. */
public final class ProcessorConfig {

    public static final String APPLICATION_ID = "application.id";
    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String STATE_DIR = "state.dir";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String COMMIT_INTERVAL = "commit.interval";
    public static final String MAX_TASK_IDLE = "max.task.idle";
    public static final String REPARTITION_PARTITIONS = "repartition.partitions";
    public static final String DEDUP_RETENTION = "dedup.retention";
    public static final String DEDUP_PURGE_INTERVAL = "dedup.purge.interval";
    public static final String ALIASES_FILE = "aliases.file";
    public static final String ALIASES_RECHECK_INTERVAL = "aliases.recheck-interval";
    public static final String PAYOUT_MIN = "validation.payout.min";
    public static final String PAYOUT_MAX = "validation.payout.max";
    public static final String PRICE_MAX = "validation.price.max";
    public static final String METRICS_PORT = "metrics.port";
    public static final String METRICS_HOST = "metrics.host";
    public static final String THE_ODDS_API_SPORT_MAP = TheOddsApiMapper.SPORT_MAP_SETTING;
    public static final String STREAMS_PREFIX = "kafka.streams.";
    public static final String FOOTBALL_DATA_ORG_COMPETITION_MAP = FootballDataOrgMapper.COMPETITION_MAP_SETTING;
    public static final String QUALITY_ENABLED = "quality.enabled";
    public static final String QUALITY_WINDOW = "quality.window";
    public static final String QUALITY_GRACE = "quality.grace";
    public static final String QUALITY_EMIT_INTERVAL = "quality.emit-interval";
    public static final String QUALITY_REFRESH_INTERVAL = "quality.refresh-interval";
    public static final String QUALITY_PARTITIONS = "quality.partitions";
    public static final String QUALITY_POLLING_PROVIDERS = "quality.timeliness.polling-providers";
    public static final String QUALITY_QUOTE_DELAY_MAX = "quality.timeliness.quote-delay.max";
    public static final String QUALITY_POLL_GAP_MAX = "quality.timeliness.poll-gap.max";
    public static final String QUALITY_PAYOUT_MIN = "quality.plausibility.payout.min";
    public static final String QUALITY_PAYOUT_MAX = "quality.plausibility.payout.max";
    public static final String QUALITY_PRICE_MOVE_MAX = "quality.plausibility.price-move.max";
    /** Prefix of the weights of the overall score: {@code quality.weight.validity}, ... */
    public static final String QUALITY_WEIGHT_PREFIX = "quality.weight.";

    /** Streams settings that have their own key here; setting them under kafka.streams. is a conflict. */
    private static final Map<String, String> OWN_KEYS = Map.of(
            StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID,
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS,
            StreamsConfig.STATE_DIR_CONFIG, STATE_DIR,
            StreamsConfig.PROCESSING_GUARANTEE_CONFIG, PROCESSING_GUARANTEE,
            StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL,
            StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, MAX_TASK_IDLE);

    private static final ConfigSpec SPEC = ConfigSpec.builder()
            .define(APPLICATION_ID, "eventflow-stream-processor", "Kafka Streams application id: consumer group, prefix of internal topics")
            .define(BOOTSTRAP_SERVERS, "127.0.0.1:9092", "Kafka bootstrap servers")
            .optional(STATE_DIR, "directory of the local state stores (default: <tmp>/eventflow-streams)")
            .define(PROCESSING_GUARANTEE, StreamsConfig.EXACTLY_ONCE_V2, "exactly_once_v2 or at_least_once")
            .define(COMMIT_INTERVAL, "PT0.1S", "how often Streams commits (and, with exactly_once_v2, how soon output becomes visible)")
            .define(MAX_TASK_IDLE, "PT0.1S", "how long a task waits for data on all its raw partitions, so records are taken in time order")
            .define(REPARTITION_PARTITIONS, "6", "partitions of the repartition topics (the parallelism of the stateful part)")
            .define(DEDUP_RETENTION, "P36500D", "how long a key's newest version is remembered for deduplication and latest-wins")
            .define(DEDUP_PURGE_INTERVAL, "PT10M", "how often (wall clock) expired keys are removed")
            .optional(ALIASES_FILE, "entity alias file that extends the built-in one")
            .define(ALIASES_RECHECK_INTERVAL, "PT5S", "how often (wall clock) names no alias knew are checked against the "
                    + "aliases again; one that now resolves moves its events to the canonical entity")
            .define(PAYOUT_MIN, "0.75", "lowest acceptable payout of one bookmaker's 1X2 prices")
            .define(PAYOUT_MAX, "1.05", "highest acceptable payout of one bookmaker's 1X2 prices")
            .define(PRICE_MAX, "10000", "highest acceptable decimal price")
            .define(METRICS_PORT, "8001", "port of /metrics, /health and /ready (0: any free port)")
            .define(METRICS_HOST, OpsServer.DEFAULT_HOST, "address /metrics, /health and /ready listen on (0.0.0.0: every interface)")
            .optional(THE_ODDS_API_SPORT_MAP, "the-odds-api sport keys to competition codes, sport_key=CODE,... "
                    + "(extends and overrides the built-in map of the common football leagues to football-data.co.uk codes)")
            .optional(FOOTBALL_DATA_ORG_COMPETITION_MAP, "football-data.org competition codes to eventflow's, CODE=OURS "
                    + "comma-separated (CL=CL; PL= removes a default), over the built-in ones (PL=E0, BL1=D1, ...)")
            .define(QUALITY_ENABLED, "true", "whether the quality stage runs (false: no scores, no quality topics written; "
                    + "changing it changes the topology, so reset the processor)")
            .define(QUALITY_WINDOW, "PT1H", "length of the tumbling windows of data time the quality scores are computed over")
            .define(QUALITY_GRACE, "PT15M", "how long after a window's end (in data time) its score is sent as closed; "
                    + "later records are counted in a further version")
            .define(QUALITY_EMIT_INTERVAL, "PT1S", "how often (wall clock) the quality scores task looks at its counts "
                    + "(the taps send theirs at every commit)")
            .define(QUALITY_REFRESH_INTERVAL, "PT10S", "how often at most a window (or ingest run) that stays open is sent "
                    + "again while its counts keep changing (a live provider's current hour); first and closing versions "
                    + "are sent at the next look (quality.emit-interval)")
            .define(QUALITY_PARTITIONS, "1", "partitions of the quality counts' repartition topics: tasks of the scores step, "
                    + "each owning whole providers (a few records a second each)")
            .define(QUALITY_POLLING_PROVIDERS, "the-odds-api,football-data-org", "providers polled live: their quotes' delay "
                    + "and the gaps between their polls count for timeliness (comma-separated; empty: none)")
            .define(QUALITY_QUOTE_DELAY_MAX, "PT5M", "a polled record is timely when its newest quote is at most this old when received")
            .define(QUALITY_POLL_GAP_MAX, "PT10M", "a poll is timely when it follows the provider's previous one by at most this long")
            .define(QUALITY_PAYOUT_MIN, "0.85", "lowest plausible payout of one bookmaker's 1X2 prices")
            .define(QUALITY_PAYOUT_MAX, "1.0", "highest plausible payout of one bookmaker's 1X2 prices")
            .define(QUALITY_PRICE_MOVE_MAX, "0.5", "largest plausible relative move of a price between a bookmaker's consecutive quotes")
            .define(QUALITY_WEIGHT_PREFIX + "validity", "1", "weight of validity in the overall quality score")
            .define(QUALITY_WEIGHT_PREFIX + "completeness", "1", "weight of completeness in the overall quality score")
            .define(QUALITY_WEIGHT_PREFIX + "uniqueness", "1", "weight of uniqueness in the overall quality score")
            .define(QUALITY_WEIGHT_PREFIX + "timeliness", "1", "weight of timeliness in the overall quality score")
            .define(QUALITY_WEIGHT_PREFIX + "consistency", "1", "weight of consistency in the overall quality score")
            .define(QUALITY_WEIGHT_PREFIX + "plausibility", "1", "weight of plausibility in the overall quality score")
            .prefix(STREAMS_PREFIX, "any other Kafka Streams, consumer or producer setting, passed through")
            .build()
            .and(KafkaSecurity.configSpec())
            .and(EventflowTopics.configSpec());

    private final Config config;

    private ProcessorConfig(Config config) {
        this.config = config;
        for (String key : config.withPrefix(STREAMS_PREFIX).keySet()) {
            if (OWN_KEYS.containsKey(key)) {
                throw new IllegalArgumentException("Set " + key + " with '" + OWN_KEYS.get(key) + "', not '"
                        + STREAMS_PREFIX + key + "'");
            }
        }
        String guarantee = config.getString(PROCESSING_GUARANTEE);
        if (!Set.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE).contains(guarantee)) {
            throw new IllegalArgumentException(PROCESSING_GUARANTEE + " must be exactly_once_v2 or at_least_once, was '" + guarantee + "'");
        }
        if (config.getDuration(MAX_TASK_IDLE).isNegative() || config.getDuration(MAX_TASK_IDLE).isZero()) {
            throw new IllegalArgumentException(MAX_TASK_IDLE + " must be above zero: the as-of join relies on records taken in time order");
        }
        KafkaSecurity.from(config).merge(config.withPrefix(STREAMS_PREFIX), STREAMS_PREFIX);
        mappingRules();
        providers();
        quality();
        qualityPartitions();
    }

    public static ConfigSpec spec() {
        return SPEC;
    }

    public static ProcessorConfig defaults() {
        return new ProcessorConfig(Config.defaults(SPEC));
    }

    public static ProcessorConfig load(Path file, Map<String, String> env) {
        return new ProcessorConfig(Config.load(SPEC, file, env));
    }

    public static ProcessorConfig of(Map<String, String> values) {
        return new ProcessorConfig(Config.of(SPEC, values));
    }

    public ProcessorConfig with(String key, String value) {
        if (!SPEC.accepts(key)) {
            throw new IllegalArgumentException("Unknown configuration key '" + key + "'");
        }
        return new ProcessorConfig(config.with(key, value));
    }

    public Config config() {
        return config;
    }

    public EventflowTopics topics() {
        return EventflowTopics.from(config);
    }

    public String applicationId() {
        return config.getString(APPLICATION_ID);
    }

    public int repartitionPartitions() {
        return config.getInt(REPARTITION_PARTITIONS);
    }

    /** Partitions of the quality counts' repartition topics, at least 1. */
    public int qualityPartitions() {
        int partitions = config.getInt(QUALITY_PARTITIONS);
        if (partitions < 1) {
            throw new IllegalArgumentException(QUALITY_PARTITIONS + " must be 1 or more, was " + partitions);
        }
        return partitions;
    }

    public Duration dedupRetention() {
        return config.getDuration(DEDUP_RETENTION);
    }

    public Duration dedupPurgeInterval() {
        return config.getDuration(DEDUP_PURGE_INTERVAL);
    }

    public Duration aliasesRecheckInterval() {
        return config.getDuration(ALIASES_RECHECK_INTERVAL);
    }

    public Duration commitInterval() {
        return config.getDuration(COMMIT_INTERVAL);
    }

    public String metricsHost() {
        return config.getString(METRICS_HOST);
    }

    public int metricsPort() {
        return config.getInt(METRICS_PORT);
    }

    /** Entity resolution and validation limits. */
    public MappingRules mappingRules() {
        AliasTable aliases = AliasTable.builtIn();
        if (config.has(ALIASES_FILE)) {
            aliases = aliases.overriddenBy(AliasTable.load(Path.of(config.getString(ALIASES_FILE))));
        }
        return new MappingRules(new EntityResolver(aliases), decimal(PAYOUT_MIN), decimal(PAYOUT_MAX), decimal(PRICE_MAX));
    }

    /** The the-odds-api sport key overrides ({@code the-odds-api.sport-map}); empty when not set. */
    public Map<String, String> theOddsApiSportMap() {
        return config.has(THE_ODDS_API_SPORT_MAP) ? TheOddsApiMapper.parseSportMap(config.getString(THE_ODDS_API_SPORT_MAP)) : Map.of();
    }

    /** The football-data.org competition map, the built-in one with {@code football-data-org.competition-map} over it. */
    public Map<String, String> footballDataOrgCompetitionMap() {
        return FootballDataOrgMapper.competitionMap(config.getString(FOOTBALL_DATA_ORG_COMPETITION_MAP, null));
    }

    /** The provider mappers, configured (see {@link ProviderRegistry#builtIn(ProcessorConfig)}). */
    public ProviderRegistry providers() {
        return ProviderRegistry.builtIn(this);
    }

    /** Whether the quality stage runs ({@code quality.enabled}). */
    public boolean qualityEnabled() {
        return config.getBoolean(QUALITY_ENABLED);
    }

    /** The quality stage's settings ({@code quality.*}). */
    public QualitySettings quality() {
        Map<QualityDimension, Double> weights = new EnumMap<>(QualityDimension.class);
        for (QualityDimension dimension : QualityDimension.values()) {
            weights.put(dimension, decimal(QUALITY_WEIGHT_PREFIX + dimension.id()).doubleValue());
        }
        Set<String> polling = Arrays.stream(config.getString(QUALITY_POLLING_PROVIDERS, "").split(","))
                .map(String::strip).filter(provider -> !provider.isEmpty()).collect(Collectors.toUnmodifiableSet());
        return new QualitySettings(config.getDuration(QUALITY_WINDOW), config.getDuration(QUALITY_GRACE),
                config.getDuration(QUALITY_EMIT_INTERVAL), config.getDuration(QUALITY_REFRESH_INTERVAL), polling,
                config.getDuration(QUALITY_QUOTE_DELAY_MAX), config.getDuration(QUALITY_POLL_GAP_MAX), decimal(QUALITY_PAYOUT_MIN),
                decimal(QUALITY_PAYOUT_MAX), decimal(QUALITY_PRICE_MOVE_MAX), weights);
    }

    /** The Kafka Streams configuration. */
    public Properties streamsProperties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.getString(BOOTSTRAP_SERVERS));
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(STATE_DIR,
                Path.of(System.getProperty("java.io.tmpdir"), "eventflow-streams").toString()));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.getString(PROCESSING_GUARANTEE));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(config.getDuration(COMMIT_INTERVAL).toMillis()));
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, Long.toString(config.getDuration(MAX_TASK_IDLE).toMillis()));
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                dev.eventflow.processor.deadletter.DeadLetterProcessingExceptionHandler.class.getName());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                dev.eventflow.processor.deadletter.DeadLetterDeserializationExceptionHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics().deadLetters().name());
        // Internal topics are replicated like the broker's default; one broker locally, three in production.
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "-1");
        // Larger producer batches for the repartition, changelog and output topics: fewer produce
        // requests for the broker (docs/BENCHMARKS.md: +19 % topology throughput on the local stack).
        props.put(StreamsConfig.producerPrefix(org.apache.kafka.clients.producer.ProducerConfig.BATCH_SIZE_CONFIG), "131072");
        // Security (kafka.security.protocol, kafka.sasl.*): every client of the application logs in as its principal.
        props.putAll(KafkaSecurity.from(config).merge(config.withPrefix(STREAMS_PREFIX), STREAMS_PREFIX));
        return props;
    }

    private BigDecimal decimal(String key) {
        try {
            return new BigDecimal(config.getString(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Configuration key '" + key + "' must be a number, was '" + config.getString(key) + "'", e);
        }
    }
}
