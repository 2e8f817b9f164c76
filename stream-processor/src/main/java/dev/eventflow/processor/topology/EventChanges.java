package dev.eventflow.processor.topology;

import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.model.Event;
import dev.eventflow.model.ReturnRate;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;

/**
 * What one record changed of an event, as {@link EventStateProcessor} hands it to the branches that
 * write {@code events.clean}, {@code return-rates.clean}, {@code events.enriched} and, for an event
 * that moves to a new id, {@code eventflow.event-moves}. Never serialized.
 *
 * @param event    the new or changed event, or null
 * @param rates    the new or changed return rates, at most one per rate id (the newest)
 * @param enriched the new or changed enriched event, or null
 * @param moved    the event left its id (a rename): what to delete under the old id and send to the new one; or null
 * @param quality  what the record showed of its providers' data quality (uniqueness, consistency, plausibility)
 */
record EventChanges(Event event, List<ReturnRate> rates, EnrichedEvent enriched, Moved moved, List<QualityObservation> quality) {

    EventChanges {
        rates = List.copyOf(rates);
        quality = quality == null ? List.of() : quality;
    }

    EventChanges(Event event, List<ReturnRate> rates, EnrichedEvent enriched) {
        this(event, rates, enriched, null, List.of());
    }

    EventChanges(Event event, List<ReturnRate> rates, EnrichedEvent enriched, Moved moved) {
        this(event, rates, enriched, moved, List.of());
    }

    /**
     * An event that left its id: the rows to delete under it (the event, its rates, its enriched row, as
     * far as they were written) and everything it held, as a bundle for its new id.
     */
    record Moved(String fromEventId, boolean event, List<String> rateIds, boolean enriched, EventBundle bundle) {

        Moved {
            rateIds = List.copyOf(rateIds);
        }
    }

    /** Whether the record changed nothing (it may still have shown something of data quality). */
    boolean isEmpty() {
        return event == null && rates.isEmpty() && enriched == null && moved == null;
    }

    /** The events to write, keyed: the changed one, or a tombstone for an event that moved. */
    List<KeyValue<String, Event>> events() {
        if (moved != null) {
            return moved.event() ? tombstone(moved.fromEventId()) : List.of();
        }
        return event == null ? List.of() : List.of(KeyValue.pair(event.id(), event));
    }

    /** The rates to write, keyed: the changed ones, or tombstones for those of an event that moved. */
    List<KeyValue<String, ReturnRate>> returnRates() {
        List<KeyValue<String, ReturnRate>> out = new ArrayList<>(rates.size());
        for (ReturnRate rate : rates) {
            out.add(KeyValue.pair(rate.id(), rate));
        }
        if (moved != null) {
            for (String id : moved.rateIds()) {
                out.add(KeyValue.pair(id, null));
            }
        }
        return out;
    }

    /** The enriched events to write, keyed: the changed one, or a tombstone for an event that moved. */
    List<KeyValue<String, EnrichedEvent>> enrichedEvents() {
        if (moved != null) {
            return moved.enriched() ? tombstone(moved.fromEventId()) : List.of();
        }
        return enriched == null ? List.of() : List.of(KeyValue.pair(enriched.eventId(), enriched));
    }

    /** The bundle an event that moved sends to its new id, keyed by that id. */
    List<KeyValue<String, EventBundle>> moves() {
        return moved == null ? List.of() : List.of(KeyValue.pair(moved.bundle().eventId(), moved.bundle()));
    }

    private static <V> List<KeyValue<String, V>> tombstone(String key) {
        List<KeyValue<String, V>> one = new ArrayList<>(1);
        one.add(KeyValue.pair(key, null));
        return one;
    }
}
