package dev.eventflow.processor.topology;

import dev.eventflow.model.Entity;
import java.util.List;
import java.util.Objects;

/**
 * What the topology keeps per entity id (store {@code entities-latest}).
 *
 * @param entity   the entity as last sent to {@code entities.clean} (provider references merged)
 * @param version  newest source time its content was seen with (epoch ms)
 * @param eventIds while no alias knows the entity's name: the ids of the events it was seen in, to move
 *                 them when an alias arrives; empty once a name is known
 */
public record EntityState(Entity entity, long version, List<String> eventIds) {

    public EntityState {
        Objects.requireNonNull(entity, "entity");
        eventIds = eventIds == null ? List.of() : List.copyOf(eventIds);
    }
}
