package dev.eventflow.processor.topology;

import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.model.Event;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.processor.ProcessorMetrics;
import dev.eventflow.processor.dedup.Fingerprints;
import dev.eventflow.processor.dedup.LatestWins;
import dev.eventflow.processor.dedup.Stamp;
import dev.eventflow.processor.enrich.OddsSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-event heart of the topology, on records partitioned by event id:
 *
 * <ol>
 *   <li>deduplicates the event and keeps only newer versions ({@link LatestWins}), emitting
 *       {@code events.clean};</li>
 *   <li>does the same per return rate (key {@code eventId|bookmaker|market}), emitting
 *       {@code return-rates.clean}, and records every quote in a versioned store by its quote time;</li>
 *   <li>joins the event with the rates as of the event's time: each bookmaker's newest quote at or
 *       before the newest source time the current event content was seen with, emitting
 *       {@code events.enriched} whenever the result changes.</li>
 * </ol>
 *
 * A quote that arrives late (quoted before the event's time, received after the event) changes the
 * enrichment and re-emits it; a quote newer than the event's time waits in the versioned store
 * until the event is seen at a later time. The enrichment time only moves forward, so a row never
 * goes back in time, and the final row is the same whatever order the records came in.
 */
final class EventStateProcessor implements Processor<String, EventBundle, String, Routed> {

    private static final Logger LOG = LoggerFactory.getLogger(EventStateProcessor.class);

    private final StoreNames stores;
    private final OutputTopics topics;
    private final Retention retention;
    private final ProcessorMetrics metrics;
    private ProcessorContext<String, Routed> context;
    private KeyValueStore<String, EventState> eventStates;
    private VersionedKeyValueStore<String, ReturnRate> rateHistory;

    /** Names of the two stores this processor uses. */
    record StoreNames(String eventState, String rateHistory) {
    }

    /** Output topic names, for metrics. */
    record OutputTopics(String events, String rates, String enriched) {
    }

    EventStateProcessor(StoreNames stores, OutputTopics topics, Retention retention, ProcessorMetrics metrics) {
        this.stores = stores;
        this.topics = topics;
        this.retention = retention;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        this.eventStates = context.getStateStore(stores.eventState());
        this.rateHistory = context.getStateStore(stores.rateHistory());
        retention.schedule(context, eventStates, EventState::lastSeen);
    }

    @Override
    public void process(Record<String, EventBundle> record) {
        String eventId = record.key();
        EventBundle bundle = record.value();
        EventState stored = eventStates.get(eventId);
        EventState state = stored == null ? EventState.empty() : stored;
        long asOfBefore = state.event() == null ? Long.MIN_VALUE : state.eventVersion();

        if (bundle.event() != null) {
            state = applyEvent(record, state, bundle.event());
        }
        boolean ratesMatter = false;
        Map<String, Stamp> rates = new LinkedHashMap<>(state.rates());
        long lastSeen = state.lastSeen();
        for (ReturnRate rate : bundle.rates()) {
            long quotedAt = rate.quotedAt().toEpochMilli();
            lastSeen = Math.max(lastSeen, quotedAt);
            if (applyRate(record, rate, rates) && quotedAt <= state.eventVersion()) {
                ratesMatter = true;
            }
        }
        state = new EventState(state.event(), state.eventFingerprint(), state.eventVersion(), rates,
                state.enrichedFingerprint(), Math.max(lastSeen, state.eventVersion()));

        boolean asOfMoved = state.event() != null && state.eventVersion() != asOfBefore;
        if (state.event() != null && (asOfMoved || ratesMatter)) {
            state = enrich(record, state);
        }
        eventStates.put(eventId, state);
    }

    private EventState applyEvent(Record<String, EventBundle> record, EventState state, Event event) {
        String fingerprint = Fingerprints.of(event);
        long version = event.updatedAt().toEpochMilli();
        Stamp stamp = state.event() == null ? null : new Stamp(state.eventFingerprint(), state.eventVersion());
        LatestWins.Verdict verdict = LatestWins.judge(stamp, fingerprint, version);
        switch (verdict) {
            case NEW, CHANGED -> {
                metrics.recordOut(topics.events());
                context.forward(record.withValue(new Routed.CleanEvent(event)));
                return new EventState(event, fingerprint, version, state.rates(), state.enrichedFingerprint(),
                        Math.max(state.lastSeen(), version));
            }
            case DUPLICATE -> {
                metrics.duplicate(topics.events());
                long newest = Math.max(state.eventVersion(), version);
                return new EventState(state.event(), state.eventFingerprint(), newest, state.rates(),
                        state.enrichedFingerprint(), Math.max(state.lastSeen(), newest));
            }
            case STALE -> metrics.refused(topics.events(), "stale");
            case CONFLICT -> metrics.refused(topics.events(), "conflict");
        }
        return state;
    }

    /** Deduplicates one rate against {@code rates} (updated in place) and records its quote; returns whether the quote history changed. */
    private boolean applyRate(Record<String, EventBundle> record, ReturnRate rate, Map<String, Stamp> rates) {
        Stamp stored = rates.get(rate.id());
        String fingerprint = Fingerprints.of(rate);
        long quotedAt = rate.quotedAt().toEpochMilli();
        LatestWins.Verdict verdict = LatestWins.judge(stored, fingerprint, quotedAt);
        Stamp next = LatestWins.next(stored, verdict, fingerprint, quotedAt);
        if (next != null) {
            rates.put(rate.id(), next);
        }
        switch (verdict) {
            case NEW, CHANGED -> {
                metrics.recordOut(topics.rates());
                context.forward(record.withKey(rate.id()).withValue(new Routed.CleanRate(rate)));
                return remember(rate, quotedAt);
            }
            case STALE -> {
                // Too old for the clean topic (the row holds a newer quote), but still what the
                // bookmaker offered at that time: the as-of join needs it, unless the history already
                // has a quote at that very time (the same one, or a different one that came first:
                // the first wins here too, so an older copy of a file cannot rewrite history).
                metrics.refused(topics.rates(), "stale");
                VersionedRecord<ReturnRate> known = rateHistory.get(rate.id(), quotedAt);
                if (known != null && known.timestamp() == quotedAt) {
                    return false;
                }
                return remember(rate, quotedAt);
            }
            case DUPLICATE -> metrics.duplicate(topics.rates());
            case CONFLICT -> metrics.refused(topics.rates(), "conflict");
        }
        return false;
    }

    private boolean remember(ReturnRate rate, long quotedAt) {
        if (rateHistory.put(rate.id(), rate, quotedAt) == VersionedKeyValueStore.PUT_RETURN_CODE_NOT_PUT) {
            LOG.warn("Quote {} at {} is older than the join history retention and cannot be joined", rate.id(), rate.quotedAt());
            metrics.refused(topics.enriched(), "older-than-history-retention");
            return false;
        }
        return true;
    }

    private EventState enrich(Record<String, EventBundle> record, EventState state) {
        long asOf = state.eventVersion();
        List<ReturnRate> quotes = new ArrayList<>(state.rates().size());
        for (String rateId : state.rates().keySet()) {
            VersionedRecord<ReturnRate> quote = rateHistory.get(rateId, asOf);
            if (quote != null) {
                quotes.add(quote.value());
            }
        }
        EnrichedEvent enriched = OddsSummary.of(quotes).enrich(state.event(), Instant.ofEpochMilli(asOf));
        String fingerprint = Fingerprints.of(enriched);
        if (fingerprint.equals(state.enrichedFingerprint())) {
            return state;
        }
        if (enriched.bookmakers() == 0) {
            metrics.unjoined();
        }
        metrics.recordOut(topics.enriched());
        context.forward(record.withValue(new Routed.Enriched(enriched)));
        return new EventState(state.event(), state.eventFingerprint(), state.eventVersion(), state.rates(),
                fingerprint, state.lastSeen());
    }
}
