package dev.eventflow.processor.topology;

import dev.eventflow.processor.quality.QualityTally;

/**
 * A window's counts as last sent, the version last sent and whether it was sent as closed: the value of
 * {@code quality-windows}, written when the window is sent.
 *
 * @param pending written true by the stage's first version (counts added, not sent yet); read as "send at the next
 *                emit", always written false now (unsent counts are in {@code quality-providers})
 */
record QualityWindow(QualityTally tally, long version, boolean closed, boolean pending) {

    QualityWindow(QualityTally tally, long version, boolean closed) {
        this(tally, version, closed, false);
    }
}
