package dev.eventflow.processor.provider;

import dev.eventflow.model.RawEnvelope;
import dev.eventflow.processor.normalize.ValidationException;

/**
 * Reads one provider's raw payloads. Adding a provider means one implementation of this interface
 * and its registration in {@link ProviderRegistry#builtIn}: the rest of the topology is shared.
 */
public interface ProviderMapper {

    /** The provider id this mapper reads, as written in {@link RawEnvelope#provider()}. */
    String provider();

    /**
     * Maps one raw record.
     *
     * @throws ValidationException when the record as a whole is unusable (missing team, bad date,
     *                             ...); it is dead-lettered with the exception's reason
     */
    MappedRecord map(RawEnvelope envelope, MappingRules rules) throws ValidationException;
}
