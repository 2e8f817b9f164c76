package dev.eventflow.processor.topology;

import dev.eventflow.model.Event;
import java.util.List;

/**
 * Everything the topology keeps per event id (store {@code event-state}).
 *
 * @param event               the current event, or null while only return rates are known
 * @param eventFingerprint    fingerprint of {@code event}'s content
 * @param eventVersion        newest source time the current event content was seen with (epoch ms);
 *                            the time the enrichment is computed as of
 * @param rateIds             ids of every return rate seen for the event
 * @param enrichedFingerprint fingerprint of the last enriched record emitted, or null
 * @param lastSeen            newest source time of anything seen for the event (epoch ms), for retention
 */
public record EventState(
        Event event,
        String eventFingerprint,
        long eventVersion,
        List<String> rateIds,
        String enrichedFingerprint,
        long lastSeen) {

    public EventState {
        rateIds = rateIds == null ? List.of() : List.copyOf(rateIds);
    }

    static EventState empty() {
        return new EventState(null, null, Long.MIN_VALUE, List.of(), null, Long.MIN_VALUE);
    }
}
