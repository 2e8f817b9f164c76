package dev.eventflow.processor.topology;

import dev.eventflow.model.DeadLetter;
import dev.eventflow.model.Entity;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.serde.JsonSerde;
import dev.eventflow.processor.ProcessorMetrics;
import dev.eventflow.processor.normalize.ValidationException;
import dev.eventflow.processor.provider.MappedRecord;
import dev.eventflow.processor.provider.MappingRules;
import dev.eventflow.processor.provider.ProviderMapper;
import dev.eventflow.processor.provider.ProviderRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Turns the bytes of one raw record into what the topology routes: entities, the event bundle,
 * and a dead letter when the record (or a part of it) is refused. Pure apart from metrics.
 */
public final class RawRecordMapper {

    private final ProviderRegistry providers;
    private final MappingRules rules;
    private final ProcessorMetrics metrics;
    private final Clock clock;
    private final JsonSerde<RawEnvelope> envelopes = new JsonSerde<>(RawEnvelope.class);

    public RawRecordMapper(ProviderRegistry providers, MappingRules rules, ProcessorMetrics metrics, Clock clock) {
        this.providers = providers;
        this.rules = rules;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Where a raw record was read from, for the dead letter's headers. */
    public record Source(String topic, int partition, long offset) {
    }

    /** The keyed outputs of one raw record, in the order they are forwarded. */
    public record Output(String key, Routed value) {
    }

    public List<Output> map(byte[] key, byte[] value, Source source) {
        RawEnvelope envelope;
        try {
            envelope = envelopes.deserialize(source.topic(), value);
        } catch (SerializationException e) {
            return List.of(deadLetter(key, value, source, null, DeadLetter.STAGE_DESERIALIZE, "malformed-envelope",
                    value == null ? "tombstone on a raw topic (raw records are never deleted)" : e.getMessage()));
        }
        if (envelope == null) {
            return List.of(deadLetter(key, value, source, null, DeadLetter.STAGE_DESERIALIZE, "malformed-envelope",
                    "tombstone on a raw topic (raw records are never deleted)"));
        }
        metrics.recordIn(envelope.provider());
        Optional<ProviderMapper> mapper = providers.mapper(envelope.provider());
        if (mapper.isEmpty()) {
            return List.of(deadLetter(key, value, source, envelope.provider(), DeadLetter.STAGE_VALIDATE, "unknown-provider",
                    "unknown provider '" + envelope.provider() + "' (known: " + providers.providers().stream().sorted().toList() + ")"));
        }
        MappedRecord mapped;
        try {
            mapped = mapper.get().map(envelope, rules);
        } catch (ValidationException e) {
            return List.of(deadLetter(key, value, source, envelope.provider(), DeadLetter.STAGE_VALIDATE, e.code(), e.reason()));
        }
        metrics.incompleteOdds(envelope.provider(), mapped.incompleteOdds());
        List<Output> outputs = new ArrayList<>();
        for (Entity entity : mapped.entities()) {
            outputs.add(new Output(entity.id(), new Routed.EntityOut(entity)));
        }
        if (mapped.event() != null) {
            String eventId = mapped.event().id();
            outputs.add(new Output(eventId, new Routed.BundleOut(new EventBundle(eventId, mapped.event(), mapped.rates()))));
        }
        if (!mapped.rejected().isEmpty()) {
            String reason = mapped.rejected().stream().map(ValidationException::reason).collect(Collectors.joining("; "));
            outputs.add(deadLetter(key, value, source, envelope.provider(), DeadLetter.STAGE_VALIDATE,
                    mapped.rejected().get(0).code(), "partly accepted, refused: " + reason));
        }
        return outputs;
    }

    private Output deadLetter(byte[] key, byte[] value, Source source, String provider, String stage, String code,
                              String reason) {
        metrics.deadLetter(stage, code);
        DeadLetter letter = new DeadLetter(reason, stage, provider, source.topic(), source.partition(), source.offset(),
                clock.instant());
        return new Output(null, new Routed.DeadLetterOut(key, value, letter));
    }
}
