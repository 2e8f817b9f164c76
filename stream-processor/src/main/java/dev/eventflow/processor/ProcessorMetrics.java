package dev.eventflow.processor;

import dev.eventflow.model.QualityScore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The topology's own counters (Micrometer). In Prometheus format they read
 * {@code eventflow_records_in_total{provider}}, {@code eventflow_records_out_total{topic}},
 * {@code eventflow_dead_letters_total{stage,reason}}, {@code eventflow_duplicates_dropped_total{topic}},
 * {@code eventflow_refused_total{topic,reason}} (stale or conflicting versions),
 * {@code eventflow_enriched_unjoined_total}, {@code eventflow_odds_incomplete_total{provider}},
 * {@code eventflow_entities_unaliased_total{provider}} (team names no alias knows),
 * {@code eventflow_entities_renamed_total} and {@code eventflow_events_moved_total} (names an alias
 * added at run time resolved, and the events re-keyed with them) and the gauge
 * {@code eventflow_freshness_seconds{provider}}: how long before the processor read it the producer
 * received the provider's latest raw record (the pipeline's delay up to the topology, live or replayed).
 * The quality stage adds the gauges {@code eventflow_quality_score{provider,dimension}} (the score of each dimension
 * and {@code overall} in the provider's latest window of data time; NaN while a dimension has no denominator) and
 * {@code eventflow_quality_window_start_seconds{provider}} (the start of that window).
 * Counts are of processing attempts: a task retried after a failure counts its records again.
 */
public final class ProcessorMetrics {

    private final MeterRegistry registry;
    /** Counters by name and tag values: looked up per record, so kept rather than asked of the registry each time. */
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    /** Freshness in milliseconds per provider, read by the gauges. */
    private final Map<String, AtomicLong> freshness = new ConcurrentHashMap<>();
    /** The latest window's scores per provider, read by the quality gauges. */
    private final Map<String, LatestQuality> quality = new ConcurrentHashMap<>();

    /** The scores of a provider's latest window, as the gauges read them. */
    private static final class LatestQuality {
        volatile long windowStart = Long.MIN_VALUE;
        final Map<String, Double> scores = new ConcurrentHashMap<>();
    }

    private static final List<String> QUALITY_DIMENSIONS = List.of("validity", "completeness", "uniqueness", "timeliness",
            "consistency", "plausibility", "overall");

    public ProcessorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counters kept in memory only, for tests and tools. */
    public static ProcessorMetrics inMemory() {
        return new ProcessorMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void recordIn(String provider) {
        counter("eventflow.records.in", "provider", provider).increment();
    }

    /**
     * The delay of a provider's raw record from its receipt by the producer until now, when the processor
     * reads it; no delay is recorded for a record without its time of receipt.
     */
    public void freshness(String provider, Instant receivedAt, long nowMillis) {
        if (receivedAt == null) {
            return;
        }
        String tag = provider == null ? "unknown" : provider;
        freshness.computeIfAbsent(tag, key -> {
            AtomicLong millis = new AtomicLong();
            Gauge.builder("eventflow.freshness.seconds", millis, value -> value.get() / 1000.0)
                    .description("seconds from the producer's receipt of the provider's latest raw record until the processor read it")
                    .tag("provider", key)
                    .register(registry);
            return millis;
        }).set(Math.max(0, nowMillis - receivedAt.toEpochMilli()));
    }

    /**
     * A window's score was sent: the quality gauges show it when its window is the provider's latest (a backfill of old
     * windows does not hide the live one).
     */
    public void qualityScore(QualityScore score) {
        LatestQuality latest = quality.computeIfAbsent(score.provider(), provider -> {
            LatestQuality created = new LatestQuality();
            Gauge.builder("eventflow.quality.window.start.seconds", created, q -> q.windowStart == Long.MIN_VALUE ? Double.NaN
                            : q.windowStart / 1000.0)
                    .description("start of the provider's latest window of data time scored for quality")
                    .tag("provider", provider)
                    .register(registry);
            for (String dimension : QUALITY_DIMENSIONS) {
                Gauge.builder("eventflow.quality.score", created, q -> q.scores.getOrDefault(dimension, Double.NaN))
                        .description("data-quality score of the provider's latest window, per dimension and overall")
                        .tags("provider", provider, "dimension", dimension)
                        .register(registry);
            }
            return created;
        });
        long start = score.windowStart().toEpochMilli();
        synchronized (latest) {
            if (start < latest.windowStart) {
                return;
            }
            latest.windowStart = start;
            put(latest, "validity", score.validity().score());
            put(latest, "completeness", score.completeness().score());
            put(latest, "uniqueness", score.uniqueness().score());
            put(latest, "timeliness", score.timeliness().score());
            put(latest, "consistency", score.consistency().score());
            put(latest, "plausibility", score.plausibility().score());
            put(latest, "overall", score.overall());
        }
    }

    /**
     * Removes a provider's quality gauges: its windows' task left this instance (a rebalance, a stop), and the instance
     * that takes it over shows them from then on; a stale copy here would hide a drop from the alert.
     */
    public void forgetQuality(String provider) {
        if (quality.remove(provider) != null) {
            registry.find("eventflow.quality.window.start.seconds").tag("provider", provider).meters().forEach(registry::remove);
            registry.find("eventflow.quality.score").tag("provider", provider).meters().forEach(registry::remove);
        }
    }

    private static void put(LatestQuality latest, String dimension, java.math.BigDecimal score) {
        latest.scores.put(dimension, score == null ? Double.NaN : score.doubleValue());
    }

    /** The current value of a gauge, NaN when there is none. */
    public double gauge(String name, String... tags) {
        Gauge gauge = registry.find(name).tags(tags).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    public void recordOut(String topic) {
        counter("eventflow.records.out", "topic", topic).increment();
    }

    public void deadLetter(String stage, String reason) {
        counter("eventflow.dead.letters", "stage", stage, "reason", reason).increment();
    }

    public void duplicate(String topic) {
        counter("eventflow.duplicates.dropped", "topic", topic).increment();
    }

    public void refused(String topic, String reason) {
        counter("eventflow.refused", "topic", topic, "reason", reason).increment();
    }

    /** A team name no alias knows: it became an entity of its own spelling. */
    public void unaliased(String provider) {
        counter("eventflow.entities.unaliased", "provider", provider).increment();
    }

    /** An entity whose name became an alias of another, and the events moved with it. */
    public void renamed(int events) {
        counter("eventflow.entities.renamed").increment();
        counter("eventflow.events.moved").increment(events);
    }

    public void unjoined() {
        counter("eventflow.enriched.unjoined").increment();
    }

    public void incompleteOdds(String provider, int count) {
        if (count > 0) {
            counter("eventflow.odds.incomplete", "provider", provider).increment(count);
        }
    }

    /** The current value of a counter, 0 when it was never incremented. */
    public double count(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private Counter counter(String name, String tag, String value) {
        return counter(name, tag, value == null ? "unknown" : value, null, null);
    }

    private Counter counter(String name) {
        return counters.computeIfAbsent(List.of(name), key -> registry.counter(name));
    }

    private Counter counter(String name, String tag, String value, String tag2, String value2) {
        List<String> key = tag2 == null ? List.of(name, tag, value) : List.of(name, tag, value, tag2, value2);
        return counters.computeIfAbsent(key, k -> tag2 == null ? registry.counter(name, tag, value)
                : registry.counter(name, tag, value, tag2, value2));
    }
}
