package dev.eventflow.bench;

/** Goals stated for one size of load, applied to the size a run actually measures. */
final class Targets {

    private Targets() {
    }

    /**
     * A time goal of {@code seconds} for {@code forUnits} units (records, rows), scaled to {@code units}:
     * the goal is a rate, so half the load has half the time.
     */
    static double scaledSeconds(double seconds, long forUnits, long units) {
        if (forUnits <= 0) {
            throw new IllegalArgumentException("The goal's load must be positive: " + forUnits);
        }
        return seconds * units / (double) forUnits;
    }
}
