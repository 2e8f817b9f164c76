package dev.eventflow.processor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The topology's own counters (Micrometer). In Prometheus format they read
 * {@code eventflow_records_in_total{provider}}, {@code eventflow_records_out_total{topic}},
 * {@code eventflow_dead_letters_total{stage,reason}}, {@code eventflow_duplicates_dropped_total{topic}},
 * {@code eventflow_refused_total{topic,reason}} (stale or conflicting versions),
 * {@code eventflow_enriched_unjoined_total} and {@code eventflow_odds_incomplete_total{provider}}.
 * Counts are of processing attempts: a task retried after a failure counts its records again.
 */
public final class ProcessorMetrics {

    private final MeterRegistry registry;

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

    public void recordOut(String topic) {
        counter("eventflow.records.out", "topic", topic).increment();
    }

    public void deadLetter(String stage, String reason) {
        registry.counter("eventflow.dead.letters", "stage", stage, "reason", reason).increment();
    }

    public void duplicate(String topic) {
        counter("eventflow.duplicates.dropped", "topic", topic).increment();
    }

    public void refused(String topic, String reason) {
        registry.counter("eventflow.refused", "topic", topic, "reason", reason).increment();
    }

    public void unjoined() {
        registry.counter("eventflow.enriched.unjoined").increment();
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
        return registry.counter(name, tag, value == null ? "unknown" : value);
    }
}
