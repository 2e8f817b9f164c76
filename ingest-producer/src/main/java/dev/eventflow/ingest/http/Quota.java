package dev.eventflow.ingest.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpHeaders;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A provider's usage quota as its responses report it ({@code x-requests-remaining}, {@code x-requests-used},
 * {@code x-requests-last}), and whether polling is paused because the remaining requests are at or below
 * the floor. Thread-safe: the poller writes it, the metrics endpoint reads it. Exported as the gauges
 * {@code eventflow_ingest_quota_remaining}, {@code _used}, {@code _last_cost}, {@code _floor} and
 * {@code _paused} (1 while paused), each with the tag {@code provider}; unknown values are NaN.
 */
public final class Quota {

    public static final String REMAINING = "x-requests-remaining";
    public static final String USED = "x-requests-used";
    public static final String LAST = "x-requests-last";
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final String provider;
    private final long floor;
    private final AtomicLong remaining = new AtomicLong(UNKNOWN);
    private final AtomicLong used = new AtomicLong(UNKNOWN);
    private final AtomicLong last = new AtomicLong(UNKNOWN);
    private final AtomicBoolean paused = new AtomicBoolean();
    private final AtomicLong pauses = new AtomicLong();

    public Quota(String provider, long floor) {
        if (floor < 0) {
            throw new IllegalArgumentException("the quota floor must be 0 or more, was " + floor);
        }
        this.provider = provider;
        this.floor = floor;
    }

    /** Reads the quota headers of a response; absent or unreadable headers leave the values as they were. */
    public void update(HttpHeaders headers) {
        read(headers, REMAINING).ifPresent(remaining::set);
        read(headers, USED).ifPresent(used::set);
        read(headers, LAST).ifPresent(last::set);
    }

    /** Whether these headers say the quota is spent ({@code x-requests-remaining} 0 or less). */
    public static boolean exhausted(HttpHeaders headers) {
        OptionalLong value = read(headers, REMAINING);
        return value.isPresent() && value.getAsLong() <= 0;
    }

    private static OptionalLong read(HttpHeaders headers, String name) {
        Optional<String> text = headers.firstValue(name);
        if (text.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            // The values are whole numbers; tolerate "12.0".
            return OptionalLong.of((long) Math.floor(Double.parseDouble(text.get().strip())));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Whether the last known remaining requests are at or below the floor. */
    public boolean atOrBelowFloor() {
        long value = remaining.get();
        return value != UNKNOWN && value <= floor;
    }

    public boolean paused() {
        return paused.get();
    }

    /** Pauses; returns true when this call paused (it was not paused before). */
    boolean pause() {
        boolean now = paused.compareAndSet(false, true);
        if (now) {
            pauses.incrementAndGet();
        }
        return now;
    }

    /** Resumes; returns true when this call resumed. */
    boolean resume() {
        return paused.compareAndSet(true, false);
    }

    public long floor() {
        return floor;
    }

    public OptionalLong remaining() {
        return known(remaining.get());
    }

    public OptionalLong used() {
        return known(used.get());
    }

    public OptionalLong last() {
        return known(last.get());
    }

    /** "12 requests remaining (488 used, the last request cost 2)", for log lines and failures. */
    public String describe() {
        return text(remaining()) + " requests remaining (" + text(used()) + " used, the last request cost " + text(last()) + ")";
    }

    private static String text(OptionalLong value) {
        return value.isPresent() ? Long.toString(value.getAsLong()) : "?";
    }

    private static OptionalLong known(long value) {
        return value == UNKNOWN ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private static double gauge(AtomicLong value) {
        long v = value.get();
        return v == UNKNOWN ? Double.NaN : v;
    }

    /**
     * Registers the gauges and the pause counter in {@code registry}. The gauges hold their values strongly: Micrometer's
     * default weak reference turns a gauge into NaN once the poller that owns the values is collected, as it was in a test
     * that scraped after its poller went out of scope. The floor gauge holds this quota itself, which keeps the pause
     * counter's value reachable too (a function counter has no strong reference of its own).
     */
    public Quota bindTo(MeterRegistry registry) {
        Gauge.builder("eventflow.ingest.quota.remaining", remaining, Quota::gauge)
                .description("requests the provider's usage quota has left (x-requests-remaining)").tag("provider", provider)
                .strongReference(true).register(registry);
        Gauge.builder("eventflow.ingest.quota.used", used, Quota::gauge)
                .description("requests used since the quota was reset (x-requests-used)").tag("provider", provider)
                .strongReference(true).register(registry);
        Gauge.builder("eventflow.ingest.quota.last.cost", last, Quota::gauge)
                .description("what the last request cost (x-requests-last)").tag("provider", provider)
                .strongReference(true).register(registry);
        Gauge.builder("eventflow.ingest.quota.floor", this, quota -> quota.floor)
                .description("remaining requests at or below which polling pauses").tag("provider", provider)
                .strongReference(true).register(registry);
        Gauge.builder("eventflow.ingest.quota.paused", paused, value -> value.get() ? 1 : 0)
                .description("1 while polling is paused to save the quota").tag("provider", provider)
                .strongReference(true).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("eventflow.ingest.quota.pauses", pauses, AtomicLong::get)
                .description("times polling paused to save the quota").tag("provider", provider)
                .register(registry);
        return this;
    }
}
