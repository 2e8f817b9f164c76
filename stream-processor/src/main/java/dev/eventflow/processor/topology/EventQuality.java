package dev.eventflow.processor.topology;

import dev.eventflow.model.Event;
import dev.eventflow.processor.dedup.LatestWins;
import dev.eventflow.processor.enrich.Quote;
import dev.eventflow.processor.quality.QualityDimension;
import dev.eventflow.processor.quality.QualitySettings;
import dev.eventflow.processor.quality.QualityTally;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the event step's verdicts show of data quality: uniqueness (records that were exact duplicates), consistency (repeat sightings of
 * an event that disagree, stale and conflicting versions) and plausibility (payout range, price moves). Collects the
 * observations of one record, by provider and window; one instance per processor, drained after each record.
 */
final class EventQuality {

    private final QualitySettings settings;
    private final double priceMoveMax;
    private final List<QualityObservation> observations = new ArrayList<>(2);
    private String ingestRun;
    /** The record's event (its provider and time place the record's uniqueness), or null before it is seen. */
    private Event recordEvent;
    /** Whether everything of the record seen so far was an exact duplicate of what was known. */
    private boolean allDuplicates = true;

    /** @param settings the quality stage's settings; null when the stage is off ({@code quality.enabled=false}): nothing is observed */
    EventQuality(QualitySettings settings) {
        this.settings = settings;
        this.priceMoveMax = settings == null ? 0 : settings.priceMoveMax().doubleValue();
    }

    /** The ingest run of the record being judged (null when not known): its observations carry it. */
    void ingestRun(String run) {
        this.ingestRun = run;
    }

    /** An event of a record, judged against the event as known ({@code known}, null when new). */
    void event(Event known, Event incoming, LatestWins.Verdict verdict, boolean regressionRefused) {
        if (settings == null) {
            return;
        }
        QualityTally tally = tally(providerOf(incoming), incoming.updatedAt().toEpochMilli());
        recordEvent = incoming;
        allDuplicates &= verdict == LatestWins.Verdict.DUPLICATE;
        if (known != null) {
            tally.count(QualityDimension.CONSISTENCY, verdict != LatestWins.Verdict.STALE && verdict != LatestWins.Verdict.CONFLICT
                    && !regressionRefused && agree(known, incoming));
        }
    }

    /**
     * A quote of a record, judged against the rate's current quote ({@code current}, null when new); {@code verdict} is
     * null for a quote older than the rate's kept history, which is neither counted nor makes its record unique.
     */
    void quote(Quote current, Quote quote, LatestWins.Verdict verdict) {
        if (settings == null || verdict == null) {
            return;
        }
        allDuplicates &= verdict == LatestWins.Verdict.DUPLICATE;
        if (verdict == LatestWins.Verdict.DUPLICATE) {
            return;
        }
        QualityTally tally = tally(quote.provider(), quote.quotedAtMillis());
        if (current != null) {
            tally.count(QualityDimension.CONSISTENCY, verdict == LatestWins.Verdict.CHANGED);
        }
        tally.count(QualityDimension.PLAUSIBILITY,
                quote.payout().compareTo(settings.payoutMin()) >= 0 && quote.payout().compareTo(settings.payoutMax()) <= 0);
        if (current != null) {
            tally.count(QualityDimension.PLAUSIBILITY, movedWithin(current.home(), quote.home())
                    && movedWithin(current.draw(), quote.draw()) && movedWithin(current.away(), quote.away()));
        }
    }

    /**
     * The observations of the record since the last call, and none after it. The record counts for uniqueness (in the
     * provider and window of its event) unless its event and every quote were exact duplicates of what was known.
     */
    List<QualityObservation> drain() {
        if (recordEvent != null) {
            tally(providerOf(recordEvent), recordEvent.updatedAt().toEpochMilli()).count(QualityDimension.UNIQUENESS, !allDuplicates);
        }
        recordEvent = null;
        allDuplicates = true;
        if (observations.isEmpty()) {
            return List.of();
        }
        List<QualityObservation> drained = List.copyOf(observations);
        observations.clear();
        return drained;
    }

    /** Kick-off, teams and (where both know it) the result are the same. */
    static boolean agree(Event known, Event incoming) {
        return known.kickoff().equals(incoming.kickoff())
                && known.homeEntityId().equals(incoming.homeEntityId()) && known.awayEntityId().equals(incoming.awayEntityId())
                && (known.homeScore() == null || incoming.homeScore() == null
                    || (Objects.equals(known.homeScore(), incoming.homeScore()) && Objects.equals(known.awayScore(), incoming.awayScore())));
    }

    /** {@code |to / from - 1| <= quality.plausibility.price-move.max} (in doubles: a bound, not an amount of money). */
    private boolean movedWithin(BigDecimal from, BigDecimal to) {
        return Math.abs(to.doubleValue() / from.doubleValue() - 1) <= priceMoveMax;
    }

    private QualityTally tally(String provider, long dataTime) {
        long window = settings.windowStart(dataTime);
        for (QualityObservation observation : observations) {
            if (observation.provider().equals(provider) && settings.windowStart(observation.dataTime()) == window) {
                return observation.tally().seenAt(dataTime);
            }
        }
        QualityObservation observation = new QualityObservation(provider, dataTime, QualityObservation.NOT_POLLED,
                new QualityTally().seenAt(dataTime), ingestRun);
        observations.add(observation);
        return observation.tally();
    }

    /** The provider of an event record: the provider of its (first) reference, {@code provider:natural-id}. */
    static String providerOf(Event event) {
        if (event.providerRefs().isEmpty()) {
            return RawRecordMapper.UNKNOWN_PROVIDER;
        }
        String ref = event.providerRefs().get(0);
        int colon = ref.indexOf(':');
        return colon < 0 ? ref : ref.substring(0, colon);
    }
}
