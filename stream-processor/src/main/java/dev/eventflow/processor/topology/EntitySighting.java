package dev.eventflow.processor.topology;

import dev.eventflow.model.Entity;
import java.util.Objects;

/**
 * An entity as one raw record names it, with the event it names it in (null when the record names
 * no event). Travels through the {@code entities-by-id} repartition topic; the event lets the entity's
 * task find the events of a name no alias knows yet, to move them when an alias for it arrives.
 */
public record EntitySighting(Entity entity, String eventId) {

    public EntitySighting {
        Objects.requireNonNull(entity, "entity");
    }
}
