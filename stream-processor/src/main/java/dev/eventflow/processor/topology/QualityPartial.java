package dev.eventflow.processor.topology;

import dev.eventflow.processor.quality.QualityTally;

/**
 * One task's counts for one window of one provider (the key of its record), sent through the
 * {@code quality-partials-of-records} or {@code quality-partials-of-events} repartition topic to the task that owns the
 * provider's windows.
 */
record QualityPartial(long windowStart, QualityTally tally) {
}
