package dev.eventflow.processor.topology;

import dev.eventflow.processor.quality.QualityTally;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One task's counts of one provider (the key of its record), per window start: what a {@link QualityTapProcessor} holds
 * in its store and sends through the {@code quality-counts-of-records} or {@code quality-counts-of-events} repartition
 * topic to the task that owns the provider's windows. One record carries every window the task counted since it last
 * sent, so sparse data (a backfill of a few records per window) costs a record per task and interval, not per window.
 *
 * @param windows the counts by window start (epoch milliseconds); not copied: the sender hands it over
 * @param runs    the same counts by ingest run id (records whose run is known); not copied
 */
record QualityPartial(SortedMap<Long, QualityTally> windows, SortedMap<String, QualityTally> runs) {

    QualityPartial(SortedMap<Long, QualityTally> windows) {
        this(windows, new TreeMap<>());
    }
}
