package dev.eventflow.processor.topology;

import dev.eventflow.model.DeadLetter;
import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.model.Entity;
import dev.eventflow.model.Event;
import dev.eventflow.model.ReturnRate;

/** What the topology's processors hand to the branches that write each output topic. Never serialized. */
public sealed interface Routed {

    /** An entity, keyed by entity id, on its way to deduplication. */
    record EntityOut(Entity entity) implements Routed {
    }

    /** An event's bundle, keyed by event id, on its way to the event-state processor. */
    record BundleOut(EventBundle bundle) implements Routed {
    }

    /** A refused raw record: its original bytes and why. */
    record DeadLetterOut(byte[] key, byte[] value, DeadLetter deadLetter) implements Routed {
    }

    /** A new or changed clean event. */
    record CleanEvent(Event event) implements Routed {
    }

    /** A new or changed clean return rate. */
    record CleanRate(ReturnRate rate) implements Routed {
    }

    /** A new or changed enriched event. */
    record Enriched(EnrichedEvent enriched) implements Routed {
    }
}
