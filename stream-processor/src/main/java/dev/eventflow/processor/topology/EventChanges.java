package dev.eventflow.processor.topology;

import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.model.Event;
import dev.eventflow.model.ReturnRate;
import java.util.List;

/**
 * What one record changed of an event, as {@link EventStateProcessor} hands it to the three
 * branches that write {@code events.clean}, {@code return-rates.clean} and {@code events.enriched}.
 * Never serialized.
 *
 * @param event    the new or changed event, or null
 * @param rates    the new or changed return rates, at most one per rate id (the newest)
 * @param enriched the new or changed enriched event, or null
 */
record EventChanges(Event event, List<ReturnRate> rates, EnrichedEvent enriched) {

    EventChanges {
        rates = List.copyOf(rates);
    }

    boolean isEmpty() {
        return event == null && rates.isEmpty() && enriched == null;
    }

    List<Event> events() {
        return event == null ? List.of() : List.of(event);
    }

    List<EnrichedEvent> enrichedEvents() {
        return enriched == null ? List.of() : List.of(enriched);
    }
}
