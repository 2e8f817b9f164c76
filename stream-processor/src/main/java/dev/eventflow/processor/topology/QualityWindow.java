package dev.eventflow.processor.topology;

import dev.eventflow.processor.quality.QualityTally;

/** A window's counts, the version last sent, and whether it was sent as closed: the value of {@code quality-windows}. */
record QualityWindow(QualityTally tally, long version, boolean closed) {
}
