package dev.eventflow.processor.topology;

/**
 * What the entity step sends on: an entity for {@code entities.clean} (keyed by its id; a null
 * entity is a tombstone retiring the key), or a rename command for one event (keyed by the event id,
 * to the event step). Never serialized.
 */
record EntityOutput(dev.eventflow.model.Entity entity, EventBundle rename) {

    static EntityOutput entity(dev.eventflow.model.Entity entity) {
        return new EntityOutput(entity, null);
    }

    static EntityOutput rename(EventBundle rename) {
        return new EntityOutput(null, rename);
    }

    boolean isRename() {
        return rename != null;
    }
}
