package dev.eventflow.ingest;

import dev.eventflow.ops.OpsServer;
import dev.eventflow.config.Config;
import dev.eventflow.config.ConfigSpec;
import dev.eventflow.config.KafkaSecurity;
import dev.eventflow.model.topics.EventflowTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The ingest producer's configuration: its keys, defaults, and typed access. */
public final class IngestConfig {

    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String PRODUCER_PREFIX = "kafka.producer.";
    public static final String CHECKPOINT_EVERY = "replay.checkpoint.every";
    /** Every poller's resilience settings (retries, backoff, rate limit, circuit breaker): {@code http.*}. */
    public static final String HTTP_TIMEOUT = "http.timeout";
    public static final String RETRY_ATTEMPTS = "http.retry.max-attempts";
    public static final String RETRY_INITIAL_BACKOFF = "http.retry.initial-backoff";
    public static final String RETRY_MAX_BACKOFF = "http.retry.max-backoff";
    public static final String RATE_LIMIT = "http.rate-limit.per-second";
    public static final String BREAKER_FAILURES = "http.breaker.failures";
    public static final String BREAKER_OPEN = "http.breaker.open-duration";
    public static final String METRICS_PORT = "metrics.port";
    public static final String METRICS_HOST = "metrics.host";
    public static final String THE_ODDS_API_URL = "the-odds-api.url";
    public static final String THE_ODDS_API_KEY = "the-odds-api.key";
    public static final String THE_ODDS_API_SPORTS = "the-odds-api.sports";
    public static final String THE_ODDS_API_REGIONS = "the-odds-api.regions";
    public static final String THE_ODDS_API_MARKETS = "the-odds-api.markets";
    public static final String THE_ODDS_API_ODDS_FORMAT = "the-odds-api.odds-format";
    public static final String THE_ODDS_API_SCORES_DAYS_FROM = "the-odds-api.scores.days-from";
    public static final String THE_ODDS_API_POLL_INTERVAL = "the-odds-api.poll.interval";
    public static final String THE_ODDS_API_QUOTA_FLOOR = "the-odds-api.quota.floor";
    public static final String FOOTBALL_DATA_ORG_URL = "football-data-org.url";
    public static final String FOOTBALL_DATA_ORG_KEY = "football-data-org.key";
    public static final String FOOTBALL_DATA_ORG_COMPETITIONS = "football-data-org.competitions";
    public static final String FOOTBALL_DATA_ORG_DAYS_BACK = "football-data-org.window.days-back";
    public static final String FOOTBALL_DATA_ORG_DAYS_AHEAD = "football-data-org.window.days-ahead";
    public static final String FOOTBALL_DATA_ORG_SEASON = "football-data-org.season";
    public static final String FOOTBALL_DATA_ORG_POLL_INTERVAL = "football-data-org.poll.interval";

    private static final ConfigSpec SPEC = ConfigSpec.builder()
            .define(BOOTSTRAP_SERVERS, "127.0.0.1:9092", "Kafka bootstrap servers")
            .prefix(PRODUCER_PREFIX, "any Kafka producer setting, passed through")
            .define(CHECKPOINT_EVERY, "10000", "records between two resume checkpoints of a replay")
            .define(HTTP_TIMEOUT, "PT10S", "timeout of one HTTP request (every poller)")
            .define(RETRY_ATTEMPTS, "5", "attempts per request on 5xx, 408, 429 and timeouts (every poller)")
            .define(RETRY_INITIAL_BACKOFF, "PT0.5S", "first backoff; doubles per attempt, with jitter (every poller)")
            .define(RETRY_MAX_BACKOFF, "PT30S", "longest backoff; a Retry-After is honoured as given (every poller)")
            .define(RATE_LIMIT, "5", "requests per second to a provider at most (every poller)")
            .define(BREAKER_FAILURES, "5", "consecutive failed requests that open the circuit breaker (every poller)")
            .define(BREAKER_OPEN, "PT30S", "how long the breaker stays open before it lets one request try (every poller)")
            .define(METRICS_PORT, "8003", "port of /metrics, /health and /ready while 'ingest poll' runs (0: any free port)")
            .define(METRICS_HOST, OpsServer.DEFAULT_HOST, "address they listen on (0.0.0.0: every interface)")
            .define(THE_ODDS_API_URL, "https://api.the-odds-api.com", "host of The Odds API v4 (provider the-odds-api)")
            .optional(THE_ODDS_API_KEY, "API key of The Odds API (set it through EVENTFLOW_THE_ODDS_API_KEY; never logged)")
            .define(THE_ODDS_API_SPORTS, "soccer_epl", "sport keys polled by the-odds-api, comma-separated")
            .define(THE_ODDS_API_REGIONS, "uk,eu", "bookmaker regions of the-odds-api's odds requests")
            .define(THE_ODDS_API_MARKETS, "h2h", "markets of the-odds-api's odds requests (the mapper reads h2h)")
            .define(THE_ODDS_API_ODDS_FORMAT, "decimal", "decimal or american")
            .define(THE_ODDS_API_SCORES_DAYS_FROM, "1", "days of finished matches the scores requests return (0..3; 0: live and upcoming only)")
            .define(THE_ODDS_API_POLL_INTERVAL, "PT10M", "time between two the-odds-api poll cycles")
            .define(THE_ODDS_API_QUOTA_FLOOR, "50", "the-odds-api requests left at or below which polling pauses")
            .define(FOOTBALL_DATA_ORG_URL, "https://api.football-data.org", "base URL of the football-data.org v4 API")
            .optional(FOOTBALL_DATA_ORG_KEY, "football-data.org API token (set it through EVENTFLOW_FOOTBALL_DATA_ORG_KEY; never logged)")
            .define(FOOTBALL_DATA_ORG_COMPETITIONS, "PL", "football-data.org competition codes polled each cycle, comma-separated")
            .define(FOOTBALL_DATA_ORG_DAYS_BACK, "3", "days before today (UTC) of each poll's dateFrom")
            .define(FOOTBALL_DATA_ORG_DAYS_AHEAD, "7", "days after today (UTC) of each poll's dateTo")
            .optional(FOOTBALL_DATA_ORG_SEASON, "poll this season (start year, e.g. 2023) instead of the date window: a backfill")
            .define(FOOTBALL_DATA_ORG_POLL_INTERVAL, "PT1M", "time between two football-data.org poll cycles")
            .build()
            .and(KafkaSecurity.configSpec())
            .and(EventflowTopics.configSpec());

    private final Config config;

    private IngestConfig(Config config) {
        this.config = config;
    }

    public static ConfigSpec spec() {
        return SPEC;
    }

    public static IngestConfig load(Path file, Map<String, String> env) {
        return new IngestConfig(Config.load(SPEC, file, env));
    }

    public static IngestConfig of(Map<String, String> values) {
        return new IngestConfig(Config.of(SPEC, values));
    }

    public IngestConfig with(String key, String value) {
        if (!SPEC.accepts(key)) {
            throw new IllegalArgumentException("Unknown configuration key '" + key + "'");
        }
        return new IngestConfig(config.with(key, value));
    }

    public Config config() {
        return config;
    }

    public EventflowTopics topics() {
        return EventflowTopics.from(config);
    }

    public String bootstrapServers() {
        return config.getString(BOOTSTRAP_SERVERS);
    }

    /** The producer's settings over the publisher's own: security ({@code kafka.security.protocol}, ...), then {@code kafka.producer.*}. */
    public Map<String, Object> producerOverrides() {
        return KafkaSecurity.from(config).merge(config.withPrefix(PRODUCER_PREFIX), PRODUCER_PREFIX);
    }

    /** Settings of the producer's other clients (the checkpoint reader): bootstrap servers and security. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> client = new java.util.HashMap<>(KafkaSecurity.from(config).clientConfig());
        client.put("bootstrap.servers", bootstrapServers());
        return client;
    }

    public int checkpointEvery() {
        return config.getInt(CHECKPOINT_EVERY);
    }

    public Duration duration(String key) {
        return config.getDuration(key);
    }

    public int integer(String key) {
        return config.getInt(key);
    }

    public String string(String key) {
        return config.getString(key);
    }

    public java.util.Optional<String> theOddsApiKey() {
        return config.has(THE_ODDS_API_KEY) ? java.util.Optional.of(config.getString(THE_ODDS_API_KEY)) : java.util.Optional.empty();
    }

    /** The football-data.org token, when set. */
    public java.util.Optional<String> footballDataOrgKey() {
        return config.has(FOOTBALL_DATA_ORG_KEY) ? java.util.Optional.of(config.getString(FOOTBALL_DATA_ORG_KEY)) : java.util.Optional.empty();
    }
}
