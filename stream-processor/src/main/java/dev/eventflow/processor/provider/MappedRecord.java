package dev.eventflow.processor.provider;

import dev.eventflow.model.Entity;
import dev.eventflow.model.Event;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.processor.normalize.ValidationException;
import java.util.List;

/**
 * What one raw provider record means in canonical terms.
 *
 * @param entities      the participants it names (usually home and away)
 * @param event         the fixture it describes, or null when it describes none
 * @param rates         the complete, valid price sets it holds
 * @param rejected      parts refused while the rest was accepted (for example one bookmaker's
 *                      prices below 1.0); the raw record is dead-lettered with these reasons
 * @param incompleteOdds price sets left out because a price was missing (not an error: counted)
 */
public record MappedRecord(
        List<Entity> entities,
        Event event,
        List<ReturnRate> rates,
        List<ValidationException> rejected,
        int incompleteOdds) {

    public MappedRecord {
        entities = List.copyOf(entities);
        rates = List.copyOf(rates);
        rejected = List.copyOf(rejected);
    }
}
