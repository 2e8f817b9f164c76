package dev.eventflow.processor.topology;

import dev.eventflow.model.Event;
import dev.eventflow.processor.dedup.Stamp;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the topology keeps per event id (store {@code event-state}).
 *
 * @param event               the current event, or null while only return rates are known
 * @param eventFingerprint    fingerprint of {@code event}'s content
 * @param eventVersion        newest source time the current event content was seen with (epoch ms);
 *                            the time the enrichment is computed as of
 * @param rates               every return rate seen for the event: its id and what latest-wins remembers of it
 *                            (kept here, not in a store of its own, so one read and one write per record serve
 *                            the event and all its rates)
 * @param enrichedFingerprint fingerprint of the last enriched record emitted, or null
 * @param lastSeen            newest source time of anything seen for the event (epoch ms), for retention
 */
public record EventState(
        Event event,
        String eventFingerprint,
        long eventVersion,
        Map<String, Stamp> rates,
        String enrichedFingerprint,
        long lastSeen) {

    public EventState {
        rates = rates == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(rates));
    }

    static EventState empty() {
        return new EventState(null, null, Long.MIN_VALUE, Map.of(), null, Long.MIN_VALUE);
    }
}
