package dev.eventflow.processor.topology;

import dev.eventflow.model.Event;
import dev.eventflow.model.ReturnRate;
import java.util.List;
import java.util.Objects;

/**
 * What one raw record says about one event: the event (or null) and its return rates. Travels
 * through the {@code event-bundles-by-event-id} repartition topic, so all that is known of an
 * event reaches one task together.
 */
public record EventBundle(String eventId, Event event, List<ReturnRate> rates) {

    public EventBundle {
        Objects.requireNonNull(eventId, "eventId");
        rates = rates == null ? List.of() : List.copyOf(rates);
    }
}
