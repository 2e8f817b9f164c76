package dev.eventflow.processor.topology;

import dev.eventflow.model.DeadLetter;
import dev.eventflow.model.Entity;
import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.model.serde.JsonSerde;
import dev.eventflow.processor.ProcessorMetrics;
import dev.eventflow.processor.normalize.EntityResolver;
import dev.eventflow.processor.normalize.ValidationException;
import dev.eventflow.processor.provider.MappedRecord;
import dev.eventflow.processor.provider.MappingRules;
import dev.eventflow.processor.provider.ProviderMapper;
import dev.eventflow.processor.provider.ProviderRegistry;
import dev.eventflow.processor.quality.QualityDimension;
import dev.eventflow.processor.quality.QualitySettings;
import dev.eventflow.processor.quality.QualityTally;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the bytes of one raw record into what the topology routes ({@link MappedRaw}): entities, the
 * event bundle, and a dead letter when the record (or a part of it) is refused. Pure apart from metrics.
 */
public final class RawRecordMapper {

    private final ProviderRegistry providers;
    private final MappingRules rules;
    private final ProcessorMetrics metrics;
    private final Clock clock;
    private final QualitySettings quality;
    private final JsonSerde<RawEnvelope> envelopes = new JsonSerde<>(RawEnvelope.class);

    /** The provider of a record whose envelope could not be read. */
    static final String UNKNOWN_PROVIDER = "unknown";

    /** Unaliased entity ids already logged (each once, up to a bound). */
    private static final int MAX_UNALIASED_LOGGED = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(RawRecordMapper.class);
    private final Set<String> unaliased;

    /**
     * @param quality the quality stage's settings (which providers are polled, the quote delay bound); null when the
     *                stage is off ({@code quality.enabled=false}): no record is observed
     */
    public RawRecordMapper(ProviderRegistry providers, MappingRules rules, ProcessorMetrics metrics, Clock clock,
                           QualitySettings quality) {
        this(providers, rules, metrics, clock, quality, ConcurrentHashMap.newKeySet());
    }

    private RawRecordMapper(ProviderRegistry providers, MappingRules rules, ProcessorMetrics metrics, Clock clock,
                            QualitySettings quality, Set<String> unaliased) {
        this.providers = providers;
        this.rules = rules;
        this.metrics = metrics;
        this.clock = clock;
        this.quality = quality;
        this.unaliased = unaliased;
    }

    /** This mapper resolving names with the aliases added at run time ({@code overlay}) first. */
    RawRecordMapper withOverlay(EntityResolver.Overlay overlay) {
        return new RawRecordMapper(providers, rules.withEntities(rules.entities().withOverlay(overlay)), metrics, clock, quality,
                unaliased);
    }

    /** The rules this mapper validates and resolves with. */
    MappingRules rules() {
        return rules;
    }

    /** Where a raw record was read from, for the dead letter's headers. */
    public record Source(String topic, int partition, long offset) {
    }

    MappedRaw map(byte[] key, byte[] value, Source source) {
        RawEnvelope envelope;
        try {
            envelope = envelopes.deserialize(source.topic(), value);
        } catch (SerializationException e) {
            return refused(null, deadLetter(key, value, source, null, DeadLetter.STAGE_DESERIALIZE, "malformed-envelope",
                    value == null ? "tombstone on a raw topic (raw records are never deleted)" : e.getMessage()));
        }
        if (envelope == null) {
            return refused(null, deadLetter(key, value, source, null, DeadLetter.STAGE_DESERIALIZE, "malformed-envelope",
                    "tombstone on a raw topic (raw records are never deleted)"));
        }
        metrics.recordIn(envelope.provider());
        metrics.freshness(envelope.provider(), envelope.receivedAt(), clock.millis());
        Optional<ProviderMapper> mapper = providers.mapper(envelope.provider());
        if (mapper.isEmpty()) {
            return refused(envelope, deadLetter(key, value, source, envelope.provider(), DeadLetter.STAGE_VALIDATE, "unknown-provider",
                    "unknown provider '" + envelope.provider() + "' (known: " + providers.providers().stream().sorted().toList() + ")"));
        }
        MappedRecord mapped;
        try {
            mapped = mapper.get().map(envelope, rules);
        } catch (ValidationException e) {
            return refused(envelope, deadLetter(key, value, source, envelope.provider(), DeadLetter.STAGE_VALIDATE, e.code(), e.reason()));
        }
        metrics.incompleteOdds(envelope.provider(), mapped.incompleteOdds());
        for (Entity entity : mapped.entities()) {
            if (!entity.aliased()) {
                metrics.unaliased(envelope.provider());
                if (unaliased.size() < MAX_UNALIASED_LOGGED && unaliased.add(entity.id())) {
                    LOG.warn("No alias knows the {} name '{}' of provider {}: it is entity {} of its own (view unresolved_names); "
                            + "if it is a club known under another name, run: ./eventflow aliases add --sport {} '{}' 'CANONICAL NAME' "
                            + "(its events move to that entity)", entity.sport(), entity.name(), envelope.provider(), entity.id(),
                            entity.sport(), entity.name());
                }
            }
        }
        EventBundle bundle = mapped.event() == null ? null
                : new EventBundle(mapped.event().id(), mapped.event(), mapped.rates());
        MappedRaw.Refused refused = null;
        if (!mapped.rejected().isEmpty()) {
            String reason = mapped.rejected().stream().map(ValidationException::reason).collect(Collectors.joining("; "));
            refused = deadLetter(key, value, source, envelope.provider(), DeadLetter.STAGE_VALIDATE,
                    mapped.rejected().get(0).code(), "partly accepted, refused: " + reason);
        }
        return new MappedRaw(mapped.entities(), bundle, refused, observed(envelope, mapped, refused == null));
    }

    private MappedRaw refused(RawEnvelope envelope, MappedRaw.Refused refused) {
        if (quality == null) {
            return new MappedRaw(List.of(), null, refused, null);
        }
        QualityTally tally = new QualityTally().count(QualityDimension.VALIDITY, false);
        String provider = envelope == null ? UNKNOWN_PROVIDER : envelope.provider();
        long dataTime = envelope == null || envelope.eventTime() == null ? QualityObservation.RECORD_TIME
                : envelope.eventTime().toEpochMilli();
        return new MappedRaw(List.of(), null, refused, new QualityObservation(provider, dataTime, receivedAt(envelope), tally,
                envelope == null ? null : envelope.ingestRunId()));
    }

    /**
     * Validity (every record read), completeness (of valid records: a finished match with both scores, every quote with
     * all three prices) and, for a polled provider, timeliness of its newest quote.
     */
    private QualityObservation observed(RawEnvelope envelope, MappedRecord mapped, boolean valid) {
        if (quality == null) {
            return null;
        }
        QualityTally tally = new QualityTally().count(QualityDimension.VALIDITY, valid);
        Event event = mapped.event();
        if (valid) {
            boolean scored = event == null || event.status() != EventStatus.FINISHED
                    || (event.homeScore() != null && event.awayScore() != null);
            tally.count(QualityDimension.COMPLETENESS, scored && mapped.incompleteOdds() == 0);
        }
        Instant newestQuote = null;
        for (ReturnRate rate : mapped.rates()) {
            if (newestQuote == null || rate.quotedAt().isAfter(newestQuote)) {
                newestQuote = rate.quotedAt();
            }
        }
        boolean polled = quality.pollingProviders().contains(envelope.provider());
        if (polled && newestQuote != null) {
            tally.count(QualityDimension.TIMELINESS,
                    Duration.between(newestQuote, envelope.receivedAt()).compareTo(quality.quoteDelayMax()) <= 0);
        }
        long dataTime = event != null ? event.updatedAt().toEpochMilli()
                : envelope.eventTime() != null ? envelope.eventTime().toEpochMilli()
                : newestQuote != null ? newestQuote.toEpochMilli() : QualityObservation.RECORD_TIME;
        return new QualityObservation(envelope.provider(), dataTime, receivedAt(envelope), tally, envelope.ingestRunId());
    }

    /** The time of receipt of a polled provider's record (for its poll gaps); {@link QualityObservation#NOT_POLLED} otherwise. */
    private long receivedAt(RawEnvelope envelope) {
        return envelope != null && quality.pollingProviders().contains(envelope.provider())
                ? envelope.receivedAt().toEpochMilli() : QualityObservation.NOT_POLLED;
    }

    private MappedRaw.Refused deadLetter(byte[] key, byte[] value, Source source, String provider, String stage, String code,
                              String reason) {
        metrics.deadLetter(stage, code);
        DeadLetter letter = new DeadLetter(reason, stage, provider, source.topic(), source.partition(), source.offset(),
                clock.instant());
        return new MappedRaw.Refused(key, value, letter);
    }
}
