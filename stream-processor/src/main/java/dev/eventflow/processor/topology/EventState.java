package dev.eventflow.processor.topology;

import dev.eventflow.model.Event;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the topology keeps per event id (store {@code event-state}): one read and one write
 * per record serve the event, all its return rates and the as-of join.
 *
 * @param event               the current event, or null while only return rates are known
 * @param eventVersion        newest source time the current event content was seen with (epoch ms);
 *                            the time the enrichment is computed as of. It only moves forward.
 * @param rates               every return rate seen for the event, by rate id: latest-wins and the quotes
 *                            the as-of join may still ask for
 * @param enrichedFingerprint fingerprint of the last enriched record emitted, or null
 * @param lastSeen            newest source time of anything seen for the event (epoch ms), for retention
 */
public record EventState(
        Event event,
        long eventVersion,
        Map<String, RateHistory> rates,
        String enrichedFingerprint,
        long lastSeen) {

    public EventState {
        rates = rates == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(rates));
    }

    static EventState empty() {
        return new EventState(null, Long.MIN_VALUE, Map.of(), null, Long.MIN_VALUE);
    }

    /** The time the join is computed as of: the event's version, or none while the event is unknown. */
    long asOf() {
        return event == null ? Long.MIN_VALUE : eventVersion;
    }
}
