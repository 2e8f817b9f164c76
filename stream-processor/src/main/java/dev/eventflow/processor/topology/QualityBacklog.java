package dev.eventflow.processor.topology;

import dev.eventflow.processor.quality.QualityTally;
import java.util.SortedMap;

/**
 * What the scores task knows of one provider besides its windows (the value of {@code quality-providers}): its data
 * time, the newest data time counted, which closes windows; and the counts received but not sent yet, per window start
 * and per ingest run, committed with the partials they came in so that a restarted task sends them.
 *
 * @param dataTime   the provider's data time; {@link Long#MIN_VALUE} when none
 * @param unsent     counts not yet added to their window and sent, by window start
 * @param unsentRuns counts not yet added to their ingest run's score and sent, by run id
 */
record QualityBacklog(long dataTime, SortedMap<Long, QualityTally> unsent, SortedMap<String, QualityTally> unsentRuns) {
}
