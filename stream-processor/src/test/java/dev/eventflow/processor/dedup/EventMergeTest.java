package dev.eventflow.processor.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventMergeTest {

    private static final Instant KICKOFF = Instant.parse("2019-08-09T19:00:00Z");

    private static Event event(EventStatus status, Integer home, Integer away, String ref, String updatedAt) {
        return new Event("football:e0:2019-08-09:liverpool:norwich-city", "football", "E0", KICKOFF, "football:liverpool",
                "football:norwich-city", "Liverpool", "Norwich City", status, home, away, null, null, List.of(ref),
                Instant.parse(updatedAt));
    }

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void aNewerSnapshotWithoutTheResultKeepsTheResultAndAddsItsReference() {
        Event finished = event(EventStatus.FINISHED, 4, 1, "football-data:E0/09/08/2019/Liverpool/Norwich", "2019-08-09T21:00:00Z");
        Event snapshot = event(EventStatus.SCHEDULED, null, null, "the-odds-api:abc", "2019-08-10T08:00:00Z");

        EventMerge.Result result = EventMerge.merge(finished, millis("2019-08-09T21:00:00Z"), snapshot);

        assertThat(result.verdict()).isEqualTo(LatestWins.Verdict.CHANGED);
        assertThat(result.regressionRefused()).isTrue();
        assertThat(result.event()).isEqualTo(new Event(finished.id(), "football", "E0", KICKOFF, "football:liverpool",
                "football:norwich-city", "Liverpool", "Norwich City", EventStatus.FINISHED, 4, 1, null, null,
                List.of("football-data:E0/09/08/2019/Liverpool/Norwich", "the-odds-api:abc"), Instant.parse("2019-08-10T08:00:00Z")));
    }

    @Test
    void aNewerSnapshotOfTheSameProviderWithoutTheResultIsARefusedRegression() {
        Event finished = event(EventStatus.FINISHED, 4, 1, "synthetic:1", "2019-08-09T21:00:00Z");
        Event later = event(EventStatus.SCHEDULED, null, null, "synthetic:1", "2019-08-10T08:00:00Z");

        EventMerge.Result result = EventMerge.merge(finished, millis("2019-08-09T21:00:00Z"), later);

        assertThat(result.verdict()).isEqualTo(LatestWins.Verdict.DUPLICATE);
        assertThat(result.regressionRefused()).isTrue();
        assertThat(result.event()).isSameAs(finished);
    }

    @Test
    void anOlderResultFillsAMatchStillShownAsScheduled() {
        Event scheduled = event(EventStatus.SCHEDULED, null, null, "the-odds-api:abc", "2019-08-10T08:00:00Z");
        Event result = event(EventStatus.FINISHED, 4, 1, "football-data-org:1", "2019-08-09T21:00:00Z");

        EventMerge.Result merged = EventMerge.merge(scheduled, millis("2019-08-10T08:00:00Z"), result);

        assertThat(merged.verdict()).isEqualTo(LatestWins.Verdict.CHANGED);
        assertThat(merged.event().status()).isEqualTo(EventStatus.FINISHED);
        assertThat(merged.event().homeScore()).isEqualTo(4);
        assertThat(merged.event().awayScore()).isEqualTo(1);
        assertThat(merged.event().providerRefs()).containsExactly("football-data-org:1", "the-odds-api:abc");
        assertThat(merged.event().updatedAt()).isEqualTo(Instant.parse("2019-08-10T08:00:00Z"));
    }

    @Test
    void anOlderRecordThatAddsNothingIsStaleAndASameTimeOneAConflict() {
        Event newer = event(EventStatus.FINISHED, 4, 1, "football-data:x", "2019-08-10T00:00:00Z");
        Event older = event(EventStatus.FINISHED, 3, 1, "football-data:x", "2019-08-09T21:00:00Z");
        Event sameTime = event(EventStatus.FINISHED, 2, 2, "football-data:x", "2019-08-10T00:00:00Z");

        assertThat(EventMerge.merge(newer, millis("2019-08-10T00:00:00Z"), older).verdict()).isEqualTo(LatestWins.Verdict.STALE);
        assertThat(EventMerge.merge(newer, millis("2019-08-10T00:00:00Z"), sameTime).verdict()).isEqualTo(LatestWins.Verdict.CONFLICT);
    }

    @Test
    void aNewerCorrectionOfTheScoreReplacesIt() {
        Event first = event(EventStatus.FINISHED, 4, 1, "football-data-org:1", "2019-08-09T21:00:00Z");
        Event corrected = event(EventStatus.FINISHED, 4, 2, "football-data-org:1", "2019-08-10T09:00:00Z");

        EventMerge.Result result = EventMerge.merge(first, millis("2019-08-09T21:00:00Z"), corrected);

        assertThat(result.verdict()).isEqualTo(LatestWins.Verdict.CHANGED);
        assertThat(result.regressionRefused()).isFalse();
        assertThat(result.event()).isEqualTo(corrected);
    }

    @Test
    void theSameContentIsADuplicateAndTheFirstRecordIsNew() {
        Event a = event(EventStatus.SCHEDULED, null, null, "synthetic:1", "2019-08-09T10:00:00Z");
        assertThat(EventMerge.merge(null, Long.MIN_VALUE, a).verdict()).isEqualTo(LatestWins.Verdict.NEW);
        assertThat(EventMerge.merge(a, millis("2019-08-09T10:00:00Z"), event(EventStatus.SCHEDULED, null, null, "synthetic:1",
                "2019-08-09T11:00:00Z")).verdict()).isEqualTo(LatestWins.Verdict.DUPLICATE);
    }

    @Test
    void anOlderLiveScoreFillsAScheduledMatchWithItsStatusButNeverAPostponedOne() {
        Event scheduled = event(EventStatus.SCHEDULED, null, null, "the-odds-api:abc", "2019-08-09T19:30:00Z");
        Event live = event(EventStatus.LIVE, 1, 0, "the-odds-api:abc", "2019-08-09T19:20:00Z");
        Event postponed = event(EventStatus.POSTPONED, null, null, "football-data-org:1", "2019-08-09T19:30:00Z");

        EventMerge.Result filled = EventMerge.merge(scheduled, millis("2019-08-09T19:30:00Z"), live);
        assertThat(filled.verdict()).isEqualTo(LatestWins.Verdict.CHANGED);
        assertThat(filled.event()).extracting(Event::status, Event::homeScore, Event::awayScore)
                .containsExactly(EventStatus.LIVE, 1, 0);
        EventMerge.Result intoPostponed = EventMerge.merge(postponed, millis("2019-08-09T19:30:00Z"), live);
        assertThat(intoPostponed.event()).extracting(Event::status, Event::homeScore, Event::awayScore, Event::providerRefs)
                .containsExactly(EventStatus.POSTPONED, null, null, List.of("football-data-org:1", "the-odds-api:abc"));
    }
}
