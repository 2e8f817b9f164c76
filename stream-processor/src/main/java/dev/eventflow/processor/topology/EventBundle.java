package dev.eventflow.processor.topology;

import dev.eventflow.model.Entity;
import dev.eventflow.model.Event;
import dev.eventflow.model.ReturnRate;
import java.util.List;
import java.util.Objects;

/**
 * What one raw record says about one event: the event (or null) and its return rates. Travels
 * through the {@code event-bundles-by-event-id} repartition topic, so all that is known of an
 * event reaches one task together.
 *
 * <p>A bundle with a {@link Rename} is a command instead: one of the event's entities became an
 * alias of another, so the event moves to the id it has under the other entity. The bundle that
 * moves there names that entity in {@code entities}, so that it reaches {@code entities.clean}
 * through the entity step like any other.
 */
public record EventBundle(String eventId, Event event, List<ReturnRate> rates, Rename rename, List<Entity> entities) {

    public EventBundle {
        Objects.requireNonNull(eventId, "eventId");
        rates = rates == null ? List.of() : List.copyOf(rates);
        entities = entities == null ? List.of() : List.copyOf(entities);
    }

    public EventBundle(String eventId, Event event, List<ReturnRate> rates) {
        this(eventId, event, rates, null, List.of());
    }

    /** A rename command for the event {@code eventId}. */
    static EventBundle rename(String eventId, Rename rename) {
        return new EventBundle(eventId, null, List.of(), rename, List.of());
    }

    /** Whether the bundle carries anything for the event step (entities alone go to the entity step). */
    boolean forEventStep() {
        return event != null || !rates.isEmpty() || rename != null;
    }

    /** The entity {@code fromEntityId} is now {@code to}: what an event of the first holds moves to the second. */
    public record Rename(String fromEntityId, Entity to) {

        public Rename {
            Objects.requireNonNull(fromEntityId, "fromEntityId");
            Objects.requireNonNull(to, "to");
        }
    }
}
