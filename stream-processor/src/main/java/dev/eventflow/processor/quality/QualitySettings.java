package dev.eventflow.processor.quality;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The quality stage's settings ({@code quality.*}, see docs/stream-processor.md).
 *
 * @param window           length of the tumbling windows of data time
 * @param grace            how long after a window's end (in data time) it closes
 * @param emitInterval     how often (wall clock) the scores task looks at its counts (the taps send theirs at every commit)
 * @param refreshInterval  how often at most a window or run that stays open is sent again while its counts keep changing
 * @param pollingProviders providers that are polled live: their quotes and polls count for timeliness
 * @param quoteDelayMax    a polled quote is timely when received at most this long after its quoted time
 * @param pollGapMax       a poll is timely when it follows the provider's previous one by at most this long
 * @param payoutMin        lowest plausible payout of one bookmaker's prices
 * @param payoutMax        highest plausible payout
 * @param priceMoveMax     largest plausible relative move of a price between a bookmaker's consecutive quotes
 * @param weights          weight of each dimension in the overall score
 */
public record QualitySettings(Duration window, Duration grace, Duration emitInterval, Duration refreshInterval,
                              Set<String> pollingProviders, Duration quoteDelayMax, Duration pollGapMax, BigDecimal payoutMin,
                              BigDecimal payoutMax, BigDecimal priceMoveMax, Map<QualityDimension, Double> weights) {

    public QualitySettings {
        Objects.requireNonNull(window, "window");
        requirePositive("quality.window", window);
        requirePositive("quality.emit-interval", emitInterval);
        requirePositive("quality.refresh-interval", refreshInterval);
        if (grace.isNegative()) {
            throw new IllegalArgumentException("quality.grace must not be negative, was " + grace);
        }
        if (payoutMin.compareTo(payoutMax) > 0) {
            throw new IllegalArgumentException("quality.plausibility.payout.min (" + payoutMin
                    + ") is above quality.plausibility.payout.max (" + payoutMax + ")");
        }
        pollingProviders = Set.copyOf(pollingProviders);
        Map<QualityDimension, Double> all = new EnumMap<>(QualityDimension.class);
        for (QualityDimension dimension : QualityDimension.values()) {
            Double weight = weights.get(dimension);
            if (weight == null || weight < 0 || weight.isNaN() || weight.isInfinite()) {
                throw new IllegalArgumentException("quality.weight." + dimension.id() + " must be a number of 0 or more, was " + weight);
            }
            all.put(dimension, weight);
        }
        weights = Map.copyOf(all);
    }

    /**
     * The scores task's looks ({@code emitInterval}s) a window or run that stays open waits after a sending before it is
     * sent again: {@code refreshInterval} rounded up to whole looks, at least one.
     */
    public long refreshLooks() {
        long emit = emitInterval.toMillis();
        return Math.max(1, (refreshInterval.toMillis() + emit - 1) / emit);
    }

    /** The start of the window {@code dataTime} falls in (epoch milliseconds). */
    public long windowStart(long dataTime) {
        long size = window.toMillis();
        return Math.floorDiv(dataTime, size) * size;
    }

    private static void requirePositive(String key, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(key + " must be above zero, was " + value);
        }
    }
}
