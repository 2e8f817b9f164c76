package dev.eventflow.processor.quality;

import java.util.Arrays;

/**
 * Numerators and denominators of every {@link QualityDimension}, and the newest data time counted. Mutable: one
 * tally is added to in place while a task collects, then sent on and merged into the window's.
 */
public final class QualityTally {

    private static final int DIMENSIONS = QualityDimension.values().length;
    /** How many counts a tally holds: numerator and denominator of each dimension. */
    public static final int COUNTS = 2 * DIMENSIONS;
    private final long[] counts;
    private long maxDataTime;

    public QualityTally() {
        this(new long[2 * DIMENSIONS], Long.MIN_VALUE);
    }

    private QualityTally(long[] counts, long maxDataTime) {
        this.counts = counts;
        this.maxDataTime = maxDataTime;
    }

    /** A tally of the given counts: numerator and denominator per dimension, in dimension order. */
    public static QualityTally of(long[] counts, long maxDataTime) {
        if (counts.length != 2 * DIMENSIONS) {
            throw new IllegalArgumentException("a tally has " + 2 * DIMENSIONS + " counts, got " + counts.length);
        }
        return new QualityTally(counts.clone(), maxDataTime);
    }

    /** Counts one observation: one more in the denominator, and in the numerator when it {@code passed}. */
    public QualityTally count(QualityDimension dimension, boolean passed) {
        int i = 2 * dimension.ordinal();
        counts[i + 1]++;
        if (passed) {
            counts[i]++;
        }
        return this;
    }

    /** Counts {@code passed} of {@code total} observations. */
    public QualityTally count(QualityDimension dimension, long passed, long total) {
        int i = 2 * dimension.ordinal();
        counts[i] += passed;
        counts[i + 1] += total;
        return this;
    }

    public QualityTally seenAt(long dataTime) {
        maxDataTime = Math.max(maxDataTime, dataTime);
        return this;
    }

    public QualityTally add(QualityTally other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        maxDataTime = Math.max(maxDataTime, other.maxDataTime);
        return this;
    }

    public long numerator(QualityDimension dimension) {
        return counts[2 * dimension.ordinal()];
    }

    public long denominator(QualityDimension dimension) {
        return counts[2 * dimension.ordinal() + 1];
    }

    /** The newest data time counted; {@link Long#MIN_VALUE} when none. */
    public long maxDataTime() {
        return maxDataTime;
    }

    /** Numerator and denominator per dimension, in dimension order (a copy). */
    public long[] counts() {
        return counts.clone();
    }

    public boolean isEmpty() {
        for (long count : counts) {
            if (count != 0) {
                return false;
            }
        }
        return true;
    }

    public QualityTally copy() {
        return new QualityTally(counts.clone(), maxDataTime);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QualityTally other && Arrays.equals(counts, other.counts) && maxDataTime == other.maxDataTime;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(counts) + Long.hashCode(maxDataTime);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("QualityTally[");
        for (QualityDimension dimension : QualityDimension.values()) {
            out.append(dimension.id()).append('=').append(numerator(dimension)).append('/').append(denominator(dimension)).append(' ');
        }
        return out.append("maxDataTime=").append(maxDataTime).append(']').toString();
    }
}
