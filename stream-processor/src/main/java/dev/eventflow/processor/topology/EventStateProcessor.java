package dev.eventflow.processor.topology;

import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.model.Event;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.processor.ProcessorMetrics;
import dev.eventflow.processor.dedup.EventMerge;
import dev.eventflow.processor.dedup.Fingerprints;
import dev.eventflow.processor.dedup.LatestWins;
import dev.eventflow.processor.enrich.Quote;
import dev.eventflow.processor.quality.QualitySettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The per-event step of the topology, on bundles partitioned by event id. It reads the event's
 * {@link EventState} once, and with it:
 *
 * <ol>
 *   <li>merges the event's record into the event ({@link EventMerge}: newest wins, but a record never
 *       erases a known result and an older one fills what is missing; one event whatever the provider);</li>
 *   <li>judges each return rate the same way and keeps its quotes ({@link RateHistory});</li>
 *   <li>joins the event with the rates as of the event's time ({@link AsOfJoin}) when that time
 *       moved or a quote at or before it arrived.</li>
 * </ol>
 *
 * It writes the state back only when it changed, and forwards what changed as one
 * {@link EventChanges}: each rate at most once per record (a football-data row's opening prices are
 * overwritten by its closing prices before they leave). A quote that arrives late changes the
 * enrichment and re-emits it; a quote newer than the event's time waits in the state until the event
 * is seen at a later time. The join's time only moves forward, so a row never goes back in time, and
 * the final row is the same whatever order the records came in.
 */
final class EventStateProcessor implements Processor<String, EventBundle, String, EventChanges> {

    private final String storeName;
    private final OutputTopics topics;
    private final Retention retention;
    private final ProcessorMetrics metrics;
    private final EventQuality quality;
    private ProcessorContext<String, EventChanges> context;
    private KeyValueStore<String, EventState> eventStates;

    /** Output topic names, for metrics. */
    record OutputTopics(String events, String rates, String enriched) {
    }

    EventStateProcessor(String storeName, OutputTopics topics, Retention retention, ProcessorMetrics metrics,
                        QualitySettings quality) {
        this.storeName = storeName;
        this.topics = topics;
        this.retention = retention;
        this.metrics = metrics;
        this.quality = new EventQuality(quality);
    }

    @Override
    public void init(ProcessorContext<String, EventChanges> context) {
        this.context = context;
        this.eventStates = context.getStateStore(storeName);
        retention.schedule(context, eventStates, EventState::lastSeen);
    }

    @Override
    public void process(Record<String, EventBundle> record) {
        org.apache.kafka.common.header.Header run = record.headers().lastHeader(BundleOfRecordProcessor.INGEST_RUN_HEADER);
        if (run != null) {
            // Read here, not written to the clean topics.
            record = record.withHeaders(new org.apache.kafka.common.header.internals.RecordHeaders(record.headers().toArray()));
            record.headers().remove(BundleOfRecordProcessor.INGEST_RUN_HEADER);
        }
        quality.ingestRun(run == null ? null : new String(run.value(), java.nio.charset.StandardCharsets.UTF_8));
        EventBundle bundle = record.value();
        if (bundle.rename() != null) {
            move(record, bundle.rename());
            return;
        }
        EventState stored = eventStates.get(record.key());
        EventState before = stored == null ? EventState.empty() : stored;
        // A bundle that moved here from another id (it names its new entity) was judged where it came from.
        boolean observed = bundle.entities().isEmpty();

        Event changedEvent = null;
        Event event = before.event();
        long eventVersion = before.eventVersion();
        if (bundle.event() != null) {
            Event incoming = bundle.event();
            long version = incoming.updatedAt().toEpochMilli();
            EventMerge.Result merge = EventMerge.merge(event, eventVersion, incoming);
            if (observed) {
                quality.event(event, incoming, merge.verdict(), merge.regressionRefused());
            }
            switch (merge.verdict()) {
                case NEW, CHANGED -> {
                    if (merge.regressionRefused()) {
                        metrics.refused(topics.events(), "regression");
                    }
                    changedEvent = merge.event();
                    event = merge.event();
                    eventVersion = Math.max(eventVersion, version);
                }
                case DUPLICATE -> {
                    if (merge.regressionRefused()) {
                        metrics.refused(topics.events(), "regression");
                    } else {
                        metrics.duplicate(topics.events());
                    }
                    eventVersion = Math.max(eventVersion, version);
                }
                case STALE -> metrics.refused(topics.events(), "stale");
                case CONFLICT -> metrics.refused(topics.events(), "conflict");
            }
        }
        long asOf = event == null ? Long.MIN_VALUE : eventVersion;
        long lastSeen = Math.max(before.lastSeen(), eventVersion);

        Map<String, RateHistory> rates = before.rates();
        Map<String, ReturnRate> changedRates = new LinkedHashMap<>();
        boolean ratesChanged = false;
        boolean ratesMatter = false;
        for (ReturnRate rate : bundle.rates()) {
            Quote quote = Quote.of(rate);
            long quotedAt = quote.quotedAtMillis();
            lastSeen = Math.max(lastSeen, quotedAt);
            RateHistory known = rates.get(rate.id());
            LatestWins.Verdict verdict = known == null ? LatestWins.Verdict.NEW : known.judge(quote);
            RateHistory next = known == null ? RateHistory.first(quote) : known.apply(quote, verdict);
            if (observed) {
                quality.quote(known == null ? null : known.current(), quote, known == null ? verdict : known.qualityVerdict(quote, verdict));
            }
            switch (verdict) {
                case NEW, CHANGED -> changedRates.put(rate.id(), rate);
                case DUPLICATE -> metrics.duplicate(topics.rates());
                case STALE -> metrics.refused(topics.rates(), "stale");
                case CONFLICT -> metrics.refused(topics.rates(), "conflict");
            }
            if (next != known) {
                if (!ratesChanged) {
                    rates = new LinkedHashMap<>(rates);
                    ratesChanged = true;
                }
                rates.put(rate.id(), next);
                ratesMatter |= (known == null || next.quotes() != known.quotes()) && quotedAt <= asOf;
            }
        }

        EventState state = new EventState(event, eventVersion, rates, before.enrichedFingerprint(), lastSeen);
        EnrichedEvent enriched = null;
        if (event != null && (asOf != before.asOf() || ratesMatter)) {
            EnrichedEvent candidate = AsOfJoin.of(state);
            String fingerprint = Fingerprints.of(candidate);
            if (!fingerprint.equals(state.enrichedFingerprint())) {
                enriched = candidate;
                state = new EventState(event, eventVersion, rates, fingerprint, lastSeen);
            }
        }
        boolean stateChanged = changedEvent != null || ratesChanged || enriched != null
                || eventVersion != before.eventVersion() || lastSeen != before.lastSeen();
        if (stateChanged) {
            // Written anyway: drop the quotes no join can reach any more on the way.
            eventStates.put(record.key(), event == null ? state : new EventState(event, eventVersion,
                    pruned(state.rates(), asOf), state.enrichedFingerprint(), lastSeen));
        }
        forward(record, new EventChanges(changedEvent, changedRates.values().stream().toList(), enriched, null, quality.drain()));
    }

    /**
     * One of the event's entities became an alias of another: the event leaves its id. Its rows under the
     * old id are deleted (tombstones), and everything it held (the event and every quote the join may
     * still ask for) goes as one bundle to its new id, where it merges like any record: one event per
     * match, whichever name it arrived under.
     */
    private void move(Record<String, EventBundle> record, EventBundle.Rename rename) {
        String fromId = record.key();
        EventState state = eventStates.get(fromId);
        if (state == null) {
            return;
        }
        String toId = EventMoves.renamedId(fromId, rename);
        if (toId == null) {
            return;
        }
        Event event = state.event() == null ? null : EventMoves.renamed(state.event(), toId, state.eventVersion(), rename);
        List<ReturnRate> rates = EventMoves.renamedRates(state.rates(), fromId, toId);
        eventStates.delete(fromId);
        EventChanges.Moved moved = new EventChanges.Moved(fromId, state.event() != null,
                state.rates().keySet().stream().toList(), state.enrichedFingerprint() != null, new EventBundle(toId, event, rates, null, List.of(rename.to())));
        if (moved.event()) {
            metrics.recordOut(topics.events());
        }
        for (int i = 0; i < moved.rateIds().size(); i++) {
            metrics.recordOut(topics.rates());
        }
        if (moved.enriched()) {
            metrics.recordOut(topics.enriched());
        }
        context.forward(record.withValue(new EventChanges(null, List.of(), null, moved)));
    }

    private void forward(Record<String, EventBundle> record, EventChanges changes) {
        if (changes.isEmpty()) {
            if (!changes.quality().isEmpty()) {
                context.forward(record.withValue(changes));
            }
            return;
        }
        if (changes.event() != null) {
            metrics.recordOut(topics.events());
        }
        for (int i = 0; i < changes.rates().size(); i++) {
            metrics.recordOut(topics.rates());
        }
        if (changes.enriched() != null) {
            metrics.recordOut(topics.enriched());
            if (changes.enriched().bookmakers() == 0) {
                metrics.unjoined();
            }
        }
        context.forward(record.withValue(changes));
    }

    /** Every rate's history without the quotes no join can reach any more (see {@link RateHistory#prunedTo}). */
    private static Map<String, RateHistory> pruned(Map<String, RateHistory> rates, long asOf) {
        Map<String, RateHistory> pruned = null;
        for (Map.Entry<String, RateHistory> entry : rates.entrySet()) {
            RateHistory history = entry.getValue().prunedTo(asOf);
            if (history != entry.getValue()) {
                if (pruned == null) {
                    pruned = new LinkedHashMap<>(rates);
                }
                pruned.put(entry.getKey(), history);
            }
        }
        return pruned == null ? rates : pruned;
    }
}
