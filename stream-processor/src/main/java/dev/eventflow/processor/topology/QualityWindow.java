package dev.eventflow.processor.topology;

import dev.eventflow.processor.quality.QualityTally;

/**
 * A window's counts, the version last sent (0: never sent), whether it was sent as closed, and whether its counts
 * changed since (to be sent at the next punctuation): the value of {@code quality-windows}.
 */
record QualityWindow(QualityTally tally, long version, boolean closed, boolean pending) {
}
