package dev.eventflow.ingest.http;

import dev.eventflow.model.IngestRun;
import dev.eventflow.model.IngestRunStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a polling producer reports on {@code /metrics}: {@code eventflow_ingest_polls_total{provider,status}}
 * (cycles by outcome), {@code eventflow_ingest_records_published_total{provider}} and the gauge
 * {@code eventflow_ingest_last_success_timestamp_seconds{provider}} (0 before the first successful cycle) and
 * {@code eventflow_ingest_last_record_timestamp_seconds{provider}}: when a cycle last published a record, the
 * poller's start before the first one (so a poller that never publishes is noticed as well).
 */
public final class PollerMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final String provider;
    private final AtomicLong lastSuccessMillis = new AtomicLong();
    private final AtomicLong lastRecordMillis = new AtomicLong(System.currentTimeMillis());
    private final AtomicLong quotaRemaining = new AtomicLong();
    private final AtomicLong quotaReset = new AtomicLong(-1);
    private final java.util.concurrent.atomic.AtomicBoolean quotaRegistered = new java.util.concurrent.atomic.AtomicBoolean();

    public PollerMetrics(String provider) {
        this.provider = provider;
        for (IngestRunStatus status : new IngestRunStatus[] {IngestRunStatus.SUCCEEDED, IngestRunStatus.FAILED}) {
            registry.counter("eventflow.ingest.polls", "provider", provider, "status", status.name());
        }
        registry.counter("eventflow.ingest.records.published", "provider", provider);
        Gauge.builder("eventflow.ingest.last.success.timestamp.seconds", lastSuccessMillis, millis -> millis.get() / 1000.0)
                .description("when the last poll cycle that succeeded finished (epoch seconds)")
                .tag("provider", provider)
                .register(registry);
        Gauge.builder("eventflow.ingest.last.record.timestamp.seconds", lastRecordMillis, millis -> millis.get() / 1000.0)
                .description("when a poll cycle last published a record (epoch seconds); the poller's start before that")
                .tag("provider", provider)
                .register(registry);
    }

    /** Counts one finished cycle. */
    public void record(IngestRun run) {
        registry.counter("eventflow.ingest.polls", "provider", provider, "status", run.status().name()).increment();
        registry.counter("eventflow.ingest.records.published", "provider", provider).increment(run.recordsPublished());
        if (run.recordsPublished() > 0) {
            lastRecordMillis.set(System.currentTimeMillis());
        }
        if (run.status() == IngestRunStatus.SUCCEEDED) {
            lastSuccessMillis.set(run.finishedAt() == null ? System.currentTimeMillis() : run.finishedAt().toEpochMilli());
        }
    }

    /** The registry, for a poller's own gauges (see {@link Quota#bindTo}). */
    public io.micrometer.core.instrument.MeterRegistry registry() {
        return registry;
    }

    /**
     * The provider's request quota as its last response stated it: {@code eventflow_ingest_quota_remaining{provider}}
     * (requests left in the provider's window) and {@code eventflow_ingest_quota_reset_seconds{provider}} (seconds
     * until the window resets; -1 when the provider does not say). Registered at the first call, so providers
     * without a quota export neither.
     */
    public void quota(long remaining, long resetSeconds) {
        if (quotaRegistered.compareAndSet(false, true)) {
            Gauge.builder("eventflow.ingest.quota.remaining", quotaRemaining, AtomicLong::get)
                    .description("requests left in the provider's quota window, as its last response said")
                    .tag("provider", provider)
                    .register(registry);
            Gauge.builder("eventflow.ingest.quota.reset.seconds", quotaReset, AtomicLong::get)
                    .description("seconds until the provider's quota window resets, as its last response said (-1: not said)")
                    .tag("provider", provider)
                    .register(registry);
        }
        quotaRemaining.set(remaining);
        quotaReset.set(resetSeconds);
    }

    /** The metrics in Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }
}
