package dev.eventflow.processor.topology;

import dev.eventflow.model.DeadLetter;
import dev.eventflow.model.Entity;
import java.util.List;

/**
 * What one raw record yields, as {@link MapRawRecordsProcessor} hands it to the three branches
 * that re-key entities, re-key the event bundle and write dead letters. Never serialized.
 *
 * @param entities the entities to send on (identical repeats are held back before this)
 * @param bundle   what the record says about one event, or null
 * @param refused  the raw record as a dead letter when it (or a part of it) was refused, or null
 * @param quality  what the record showed of its provider's data quality (validity, completeness, timeliness), or null
 */
record MappedRaw(List<Entity> entities, EventBundle bundle, Refused refused, QualityObservation quality) {

    MappedRaw {
        entities = List.copyOf(entities);
    }

    MappedRaw(List<Entity> entities, EventBundle bundle, Refused refused) {
        this(entities, bundle, refused, null);
    }

    /** A refused raw record: its original bytes and why. */
    record Refused(byte[] key, byte[] value, DeadLetter deadLetter) {
    }

    List<Refused> refusals() {
        return refused == null ? List.of() : List.of(refused);
    }

    List<QualityObservation> qualities() {
        return quality == null ? List.of() : List.of(quality);
    }
}
