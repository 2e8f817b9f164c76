package dev.eventflow.processor.topology;

import dev.eventflow.processor.quality.QualityTally;

/**
 * One task's counts for one window of one provider (the key of its record), sent through the
 * {@code quality-partials-by-provider} repartition topic to the task that owns the provider's windows.
 */
record QualityPartial(long windowStart, QualityTally tally) {
}
