package dev.eventflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.eventflow.model.DeadLetter;
import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.model.Entity;
import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.processor.RawRecords;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The synthetic format (eventflow's own, the synthetic feed's) through the topology: price formats, latest-wins
 * on snapshots, and the as-of join.
 */
class SyntheticTopologyTest {

    static final String EVENT = "football:e0:2026-11-28:manchester-united:liverpool";
    static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
    static final Instant T1 = Instant.parse("2026-11-21T09:00:00Z");
    static final Instant T2 = Instant.parse("2026-11-22T09:00:00Z");

    final TopologyHarness harness = TopologyHarness.create();

    @AfterEach
    void close() {
        harness.close();
    }

    /** A synthetic event object; each bookmaker is {key, last_update, home, draw, away}. */
    static RawEnvelope odds(Instant lastUpdate, String status, String scores, String[]... bookmakers) {
        StringBuilder books = new StringBuilder();
        for (String[] b : bookmakers) {
            if (books.length() > 0) {
                books.append(',');
            }
            books.append("{'key':'").append(b[0]).append("','last_update':'").append(b[1])
                    .append("','markets':[{'key':'h2h','outcomes':[{'name':'Man Utd','price':").append(b[2])
                    .append("},{'name':'Draw','price':").append(b[3])
                    .append("},{'name':'Liverpool','price':").append(b[4]).append("}]}]}");
        }
        String json = "{'id':'evt-8812','sport':'Football','league':'E0','commence_time':'2026-11-28T15:00:00Z',"
                + "'home_team':'Manchester United','away_team':'Liverpool','status':'" + status + "',"
                + (scores == null ? "" : "'scores':" + scores + ",")
                + "'last_update':'" + lastUpdate + "','bookmakers':[" + books + "]}";
        return RawRecords.envelope("synthetic", "synthetic:42", null, RawRecords.json(json));
    }

    /** The fixture with another away team than Liverpool (the team and its outcome renamed). */
    static RawEnvelope againstAwayTeam(String team, RawEnvelope fixture) {
        String payload = fixture.payload().toString().replace("Liverpool", team);
        return RawRecords.envelope("synthetic", "synthetic:42", null, RawRecords.json(payload));
    }

    void pipe(RawEnvelope envelope) {
        harness.pipeRate("synthetic:evt-8812", envelope, RawRecords.RECEIVED_AT);
    }

    @Test
    void shouldNormalizeFractionalAndAmericanPricesToDecimalOdds() {
        pipe(odds(T0, "scheduled", null, new String[] {"b365", T0.toString(), "'5/2'", "'+250'", "'-200'"}));

        List<TestRecord<String, ReturnRate>> rates = harness.rates();
        assertThat(rates).extracting(TestRecord::key).containsExactly(EVENT + "|B365|1X2");
        // 5/2 = 3.5, +250 = 3.5, -200 = 1.5; payout 1 / (2/7 + 2/7 + 2/3) = 0.807692
        assertThat(rates.get(0).value()).extracting(ReturnRate::home, ReturnRate::draw, ReturnRate::away,
                ReturnRate::impliedHome, ReturnRate::payout, ReturnRate::quotedAt)
                .containsExactly(dec("3.5"), dec("3.5"), dec("1.5"), dec("0.285714"), dec("0.807692"), T0);
        assertThat(harness.events()).extracting(TestRecord::value).extracting(Event::homeEntityId, Event::awayEntityId,
                Event::homeName, Event::status, Event::providerRefs)
                .containsExactly(tuple("football:manchester-united", "football:liverpool", "Manchester United",
                        EventStatus.SCHEDULED, List.of("synthetic:evt-8812")));
    }

    @Test
    void shouldEmitAnEventWithoutRatesWithAnEmptySummaryAndUpdateItWhenRatesArrive() {
        // Given a fixture announced without prices
        pipe(odds(T0, "scheduled", null));
        List<TestRecord<String, EnrichedEvent>> first = harness.enriched();
        assertThat(first).extracting(TestRecord::value).extracting(EnrichedEvent::bookmakers, EnrichedEvent::bestHome,
                EnrichedEvent::avgPayout, EnrichedEvent::ratesAsOf).containsExactly(tuple(0, null, null, T0));
        assertThat(harness.metrics.count("eventflow.enriched.unjoined")).isEqualTo(1);
        assertThat(harness.events()).hasSize(1);

        // When the next poll brings the first prices (the fixture itself unchanged)
        pipe(odds(T1, "scheduled", null, new String[] {"b365", T1.toString(), "2.5", "3.4", "2.9"}));

        // Then the enriched event is updated as of the new time; the event is a duplicate
        assertThat(harness.enriched()).extracting(TestRecord::value).extracting(EnrichedEvent::bookmakers,
                EnrichedEvent::bestHome, EnrichedEvent::bestDraw, EnrichedEvent::bestAway, EnrichedEvent::ratesAsOf)
                .containsExactly(tuple(1, dec("2.5"), dec("3.4"), dec("2.9"), T1));
        assertThat(harness.events()).isEmpty();
        assertThat(harness.metrics.count("eventflow.duplicates.dropped", "topic", "events.clean")).isEqualTo(1);
    }

    @Test
    void shouldJoinAQuoteThatArrivesLateButWasQuotedBeforeTheEventsTime() {
        // Given the event known at T2 with B365's quote
        pipe(odds(T2, "scheduled", null, new String[] {"b365", T2.toString(), "2.5", "3.4", "2.9"}));
        assertThat(harness.enriched()).extracting(r -> r.value().bookmakers()).containsExactly(1);
        harness.events();
        harness.rates();

        // When an older snapshot arrives late, holding PS's quote from T1
        pipe(odds(T1, "scheduled", null, new String[] {"ps", T1.toString(), "2.6", "3.3", "2.8"}));

        // Then PS's quote was valid at T2 too: the enrichment as of T2 now holds both bookmakers
        assertThat(harness.rates()).extracting(TestRecord::key).containsExactly(EVENT + "|PS|1X2");
        assertThat(harness.enriched()).extracting(TestRecord::value).extracting(EnrichedEvent::bookmakers,
                EnrichedEvent::bestHome, EnrichedEvent::bestAway, EnrichedEvent::avgHome, EnrichedEvent::ratesAsOf)
                .containsExactly(tuple(2, dec("2.6"), dec("2.9"), dec("2.55"), T2));
        assertThat(harness.events()).isEmpty();
    }

    @Test
    void shouldSummarizeEachBookmakersNewestQuoteAtTheEventsTimeWhateverOrderTheSnapshotsArriveIn() {
        // Given three snapshots: PS at T0, B365 at T1, PS again at T2 (with a new price)
        RawEnvelope atT0 = odds(T0, "scheduled", null, new String[] {"ps", T0.toString(), "2.0", "3.5", "4.0"});
        RawEnvelope atT1 = odds(T1, "scheduled", null, new String[] {"b365", T1.toString(), "2.1", "3.4", "3.9"});
        RawEnvelope atT2 = odds(T2, "scheduled", null, new String[] {"ps", T2.toString(), "2.2", "3.3", "3.8"});

        // When they arrive newest first (a backfill that found the latest file first)
        pipe(atT2);
        pipe(atT0);
        pipe(atT1);

        // Then the last enrichment is as of T2 and holds PS's T2 quote (not its older T0 one) and B365's T1 quote
        List<TestRecord<String, EnrichedEvent>> outOfOrder = harness.enriched();
        EnrichedEvent last = outOfOrder.get(outOfOrder.size() - 1).value();
        assertThat(last).extracting(EnrichedEvent::bookmakers, EnrichedEvent::bestHome, EnrichedEvent::avgHome,
                EnrichedEvent::ratesAsOf).containsExactly(2, dec("2.2"), dec("2.15"), T2);

        // and live order gives the same final row
        try (TopologyHarness live = TopologyHarness.create()) {
            for (RawEnvelope snapshot : List.of(atT0, atT1, atT2)) {
                live.pipeRate("synthetic:evt-8812", snapshot, RawRecords.RECEIVED_AT);
            }
            List<TestRecord<String, EnrichedEvent>> inOrder = live.enriched();
            assertThat(inOrder).extracting(r -> r.value().ratesAsOf()).containsExactly(T0, T1, T2);
            assertThat(inOrder.get(2).value()).isEqualTo(last);
        }
    }

    @Test
    void shouldNeverGoBackInTimeWhenAnOlderSnapshotArrivesAfterANewerOne() {
        // Given the finished match at T2
        pipe(odds(T2, "finished", "{'home':2,'away':1}", new String[] {"b365", T2.toString(), "2.2", "3.5", "3.1"}));
        assertThat(harness.events()).extracting(r -> r.value().status()).containsExactly(EventStatus.FINISHED);
        FootballDataTopologyTest.drain(harness);

        // When an older snapshot (T1, still scheduled, other prices) is replayed
        pipe(odds(T1, "scheduled", null, new String[] {"b365", T1.toString(), "2.5", "3.4", "2.9"}));

        // Then nothing goes back: no event, no price, no enrichment; the refusals are counted
        assertThat(harness.events()).isEmpty();
        assertThat(harness.rates()).isEmpty();
        assertThat(harness.enriched()).isEmpty();
        assertThat(harness.deadLetters()).isEmpty();
        assertThat(harness.metrics.count("eventflow.refused", "topic", "events.clean", "reason", "stale")).isEqualTo(1);
        assertThat(harness.metrics.count("eventflow.refused", "topic", "return-rates.clean", "reason", "stale")).isEqualTo(1);
    }

    @Test
    void shouldSendRepeatedTeamsOnceAndStillRefuseAnOlderRenameAfterThem() {
        // Given the fixture polled at T0, T1 and T2: the same two teams each time (the away team one the alias
        // table does not know, so that another spelling of it is another name; a known team always gets its
        // canonical name)
        for (Instant t : List.of(T0, T1, T2)) {
            pipe(againstAwayTeam("Mersey Athletic",
                    odds(t, "scheduled", null, new String[] {"b365", t.toString(), "2.2", "3.5", "3.1"})));
        }

        // Then each team is on entities.clean once; the four repeats are held back and counted as duplicates
        List<TestRecord<String, Entity>> teams = harness.entities();
        assertThat(teams).hasSize(2);
        assertThat(harness.metrics.count("eventflow.duplicates.dropped", "topic", "entities.clean")).isEqualTo(4);
        FootballDataTopologyTest.drain(harness);
        KeyValueStore<String, EntityState> latest = harness.driver.getKeyValueStore(EventflowTopology.ENTITIES_LATEST_STORE);
        assertThat(latest.get(teams.get(1).key()).version()).isEqualTo(T0.toEpochMilli());

        // When the wall clock passes the commit interval, the held-back newest time (T2) is sent on (a bump)
        harness.driver.advanceWallClockTime(java.time.Duration.ofSeconds(1));
        assertThat(latest.get(teams.get(0).key()).version()).isEqualTo(T2.toEpochMilli());
        assertThat(latest.get(teams.get(1).key()).version()).isEqualTo(T2.toEpochMilli());
        assertThat(harness.entities()).isEmpty();

        // and an older poll (T1) arrives that spells a team differently
        RawEnvelope older = againstAwayTeam("Mersey Athletic",
                odds(T1, "scheduled", null, new String[] {"b365", T1.toString(), "2.2", "3.5", "3.1"}));
        ((com.fasterxml.jackson.databind.node.ObjectNode) older.payload()).put("away_team", "MERSEY ATHLETIC");
        pipe(older);

        // Then the older spelling is refused: the team's stored time is T2, not T0; the unchanged home
        // team is one more duplicate, and the bump counted none
        assertThat(harness.entities()).isEmpty();
        assertThat(harness.metrics.count("eventflow.refused", "topic", "entities.clean", "reason", "stale")).isEqualTo(1);
        assertThat(harness.metrics.count("eventflow.duplicates.dropped", "topic", "entities.clean")).isEqualTo(5);
    }

    @Test
    void shouldMergeTheSameMatchFromTwoProvidersIntoOneEvent() {
        // Given the synthetic feed's view of Liverpool - Norwich before kick-off ("Norwich City", full names)
        String json = "{'id':'evt-1','sport':'football','league':'E0','commence_time':'2019-08-09T19:00:00Z',"
                + "'home_team':'Liverpool','away_team':'Norwich City','last_update':'2019-08-09T12:00:00Z',"
                + "'bookmakers':[{'key':'BF','markets':[{'key':'1X2','outcomes':[{'name':'home','price':1.2},"
                + "{'name':'draw','price':8.0},{'name':'away','price':15.0}]}]}]}";
        pipe(RawRecords.envelope("synthetic", "synthetic:42", null, RawRecords.json(json)));

        // When football-data's result row arrives ("Norwich")
        harness.pipe(List.of(FootballDataTopologyTest.firstRowOf2019()));

        // Then both describe one event: first scheduled, then finished; the enrichment holds all seven bookmakers
        assertThat(harness.events()).extracting(TestRecord::key, r -> r.value().status()).containsExactly(
                tuple(FootballDataTopologyTest.LIVERPOOL_NORWICH, EventStatus.SCHEDULED),
                tuple(FootballDataTopologyTest.LIVERPOOL_NORWICH, EventStatus.FINISHED));
        assertThat(harness.entities()).extracting(TestRecord::key).containsExactly("football:liverpool", "football:norwich-city");
        List<TestRecord<String, EnrichedEvent>> enriched = harness.enriched();
        assertThat(enriched).extracting(r -> r.value().bookmakers()).containsExactly(1, 7);
        assertThat(enriched.get(1).value().bestAway()).isEqualTo(dec("23"));
    }

    @Test
    void shouldNeverTurnAFinishedMatchBackIntoAScheduledOneNorEraseItsScore() {
        // Given football-data's result of Liverpool - Norwich (4-1)
        harness.pipe(List.of(FootballDataTopologyTest.firstRowOf2019()));
        // When a later synthetic snapshot of the same match, which lacks the result, arrives
        String json = "{'id':'evt-1','sport':'football','league':'E0','commence_time':'2019-08-09T19:00:00Z',"
                + "'home_team':'Liverpool','away_team':'Norwich City','status':'scheduled',"
                + "'last_update':'2019-08-10T08:00:00Z','bookmakers':[]}";
        pipe(RawRecords.envelope("synthetic", "synthetic:42", null, RawRecords.json(json)));

        // Then the event keeps its result and gains the second provider's reference
        List<TestRecord<String, Event>> events = harness.events();
        assertThat(events).extracting(r -> r.value().status(), r -> r.value().homeScore(), r -> r.value().awayScore(),
                r -> r.value().providerRefs().size()).containsExactly(
                tuple(EventStatus.FINISHED, 4, 1, 1),
                tuple(EventStatus.FINISHED, 4, 1, 2));
        assertThat(events.get(1).value().providerRefs()).contains("synthetic:evt-1");
        assertThat(events.get(1).value().updatedAt()).isEqualTo(Instant.parse("2019-08-10T08:00:00Z"));
        assertThat(harness.metrics.count("eventflow.refused", "topic", "events.clean", "reason", "regression")).isEqualTo(1.0);

        // And the same snapshot again changes nothing more: a refused regression, no new version
        pipe(RawRecords.envelope("synthetic", "synthetic:42", null, RawRecords.json(json.replace("08:00:00Z", "09:00:00Z"))));
        assertThat(harness.events()).isEmpty();
        assertThat(harness.metrics.count("eventflow.refused", "topic", "events.clean", "reason", "regression")).isEqualTo(2.0);
    }

    @Test
    void shouldCountTeamNamesNoAliasKnowsAndKeepThemAsEntitiesOfTheirOwn() {
        String json = "{'id':'evt-2','sport':'football','league':'E0','commence_time':'2026-11-28T15:00:00Z',"
                + "'home_team':'Mersey Athletic','away_team':'Liverpool','status':'scheduled',"
                + "'last_update':'2026-11-20T09:00:00Z','bookmakers':[]}";
        pipe(RawRecords.envelope("synthetic", "synthetic:42", null, RawRecords.json(json)));
        pipe(RawRecords.envelope("synthetic", "synthetic:42", null, RawRecords.json(json.replace("09:00:00Z", "10:00:00Z"))));

        assertThat(harness.entities()).extracting(TestRecord::key).containsExactly("football:mersey-athletic", "football:liverpool");
        assertThat(harness.metrics.count("eventflow.entities.unaliased", "provider", "synthetic")).isEqualTo(2.0);
    }

    @Test
    void shouldDeadLetterAFinishedEventWithoutScoresAndAnUnknownStatus() {
        pipe(odds(T0, "finished", null));
        pipe(odds(T0, "abandoned", null));

        assertThat(harness.deadLetters()).extracting(TopologyHarness::deadLetter).extracting(DeadLetter::reason)
                .containsExactly("missing field scores of a finished event",
                        "status 'abandoned' is not one of [cancelled, finished, live, postponed, scheduled]");
        assertThat(harness.allOutputsEmpty()).isTrue();
    }

    static BigDecimal dec(String value) {
        return new BigDecimal(value);
    }
}
