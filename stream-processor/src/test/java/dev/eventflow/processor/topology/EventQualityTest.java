package dev.eventflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.dedup.LatestWins.Verdict;
import dev.eventflow.processor.enrich.Quote;
import dev.eventflow.processor.quality.QualityDimension;
import dev.eventflow.processor.quality.QualityTally;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventQualityTest {

    static final Instant KICKOFF = Instant.parse("2026-11-28T15:00:00Z");
    static final Instant T = Instant.parse("2026-11-22T09:10:00Z");

    final EventQuality quality = new EventQuality(ProcessorConfig.defaults().quality());

    static Event event(Instant kickoff, Integer home, Integer away, String provider) {
        return new Event("e", "football", "E0", kickoff, "football:a", "football:b", "A", "B",
                home == null ? EventStatus.SCHEDULED : EventStatus.FINISHED, home, away, null, null,
                List.of(provider + ":42"), T);
    }

    static Quote quote(String home, String draw, String away, String payout, Instant at) {
        return new Quote(at, new BigDecimal(home), new BigDecimal(draw), new BigDecimal(away), new BigDecimal(payout), "p");
    }

    @Test
    void shouldAgreeOnKickoffTeamsAndAResultBothKnow() {
        Event known = event(KICKOFF, 2, 1, "p");

        assertThat(EventQuality.agree(known, event(KICKOFF, null, null, "q"))).isTrue();
        assertThat(EventQuality.agree(known, event(KICKOFF, 2, 1, "q"))).isTrue();
        assertThat(EventQuality.agree(known, event(KICKOFF, 2, 2, "q"))).isFalse();
        assertThat(EventQuality.agree(known, event(KICKOFF.plusSeconds(1800), 2, 1, "q"))).isFalse();
    }

    @Test
    void shouldCountARecordAsADuplicateOnlyWhenEverythingInItWas() {
        Event known = event(KICKOFF, null, null, "p");
        Quote current = quote("2.0", "3.4", "3.8", "0.946", T);

        quality.event(known, known, Verdict.DUPLICATE, false);
        quality.quote(current, current, Verdict.DUPLICATE);
        List<QualityObservation> duplicate = quality.drain();
        quality.event(known, known, Verdict.DUPLICATE, false);
        quality.quote(current, quote("2.1", "3.4", "3.6", "0.946", T.plusSeconds(60)), Verdict.CHANGED);
        List<QualityObservation> changed = quality.drain();

        assertThat(duplicate).singleElement().satisfies(observation -> {
            assertThat(observation.provider()).isEqualTo("p");
            assertThat(counts(observation.tally(), QualityDimension.UNIQUENESS)).containsExactly(0L, 1L);
            assertThat(counts(observation.tally(), QualityDimension.CONSISTENCY)).containsExactly(1L, 1L);
            assertThat(counts(observation.tally(), QualityDimension.PLAUSIBILITY)).containsExactly(0L, 0L);
        });
        assertThat(changed).singleElement().satisfies(observation -> {
            assertThat(counts(observation.tally(), QualityDimension.UNIQUENESS)).containsExactly(1L, 1L);
            // the event agrees, the quote is a newer version
            assertThat(counts(observation.tally(), QualityDimension.CONSISTENCY)).containsExactly(2L, 2L);
            // payout in 0.85..1.0, moves of 5 %, 0 %, 5 %
            assertThat(counts(observation.tally(), QualityDimension.PLAUSIBILITY)).containsExactly(2L, 2L);
        });
        assertThat(quality.drain()).isEmpty();
    }

    @Test
    void shouldKeepEachProviderAndWindowApart() {
        quality.event(null, event(KICKOFF, null, null, "p"), Verdict.NEW, false);
        quality.quote(null, quote("2.0", "3.4", "3.8", "0.80", T.minusSeconds(3600)), Verdict.NEW);

        List<QualityObservation> observations = quality.drain();

        assertThat(observations).extracting(QualityObservation::provider, QualityObservation::dataTime).containsExactly(
                org.assertj.core.groups.Tuple.tuple("p", T.toEpochMilli()),
                org.assertj.core.groups.Tuple.tuple("p", T.minusSeconds(3600).toEpochMilli()));
        assertThat(counts(observations.get(0).tally(), QualityDimension.UNIQUENESS)).containsExactly(1L, 1L);
        assertThat(counts(observations.get(1).tally(), QualityDimension.PLAUSIBILITY)).containsExactly(0L, 1L);
        assertThat(counts(observations.get(1).tally(), QualityDimension.UNIQUENESS)).containsExactly(0L, 0L);
    }

    static List<Long> counts(QualityTally tally, QualityDimension dimension) {
        return List.of(tally.numerator(dimension), tally.denominator(dimension));
    }
}
