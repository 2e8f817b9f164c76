package dev.eventflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.model.Entity;
import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.processor.RawRecords;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The topology on real football-data rows: mapping, deduplication, latest-wins and enrichment. */
class FootballDataTopologyTest {

    static final String LIVERPOOL_NORWICH = "football:e0:2019-08-09:liverpool:norwich-city";
    static final Instant KICKOFF = Instant.parse("2019-08-09T19:00:00Z");

    final TopologyHarness harness = TopologyHarness.create();

    @AfterEach
    void close() {
        harness.close();
    }

    static RawRecords.Keyed firstRowOf2019() {
        return RawRecords.footballData(RawRecords.DATA.resolve("E0_2019-20.csv")).get(0);
    }

    @Test
    void shouldTurnOneRowIntoItsEventTwoEntitiesEachBookmakersLatestPricesAndTheEnrichedEvent() {
        // Given Liverpool 4-1 Norwich, 09/08/2019 20:00 UK time, six bookmakers with opening and closing prices
        RawRecords.Keyed row = firstRowOf2019();

        // When
        harness.pipe(List.of(row));

        // Then the entities, with canonical names from the alias table
        assertThat(harness.entities()).extracting(TestRecord::key, TestRecord::value).containsExactly(
                tuple("football:liverpool", new Entity("football:liverpool", "football", "Liverpool", "liverpool",
                        KICKOFF.plusSeconds(7200))),
                tuple("football:norwich-city", new Entity("football:norwich-city", "football", "Norwich City",
                        "norwich-city", KICKOFF.plusSeconds(7200))));
        // the event, kick-off converted from UK summer time to UTC, dated at the final whistle
        assertThat(harness.events()).extracting(TestRecord::key, TestRecord::value).containsExactly(tuple(LIVERPOOL_NORWICH,
                new Event(LIVERPOOL_NORWICH, "football", "E0", KICKOFF, "football:liverpool", "football:norwich-city",
                        "Liverpool", "Norwich City", EventStatus.FINISHED, 4, 1, 4, 0,
                        List.of("football-data:E0/09/08/2019/Liverpool/Norwich"), KICKOFF.plusSeconds(7200))));
        // each bookmaker's newest quote of the row, once: its closing quote (at kick-off) where it differs from its
        // opening one (48 h before kick-off); IW (1.15/8/18) and VC (1.14/9.5/23) closed at their opening prices, a
        // duplicate, so their opening quote is the one sent
        List<TestRecord<String, ReturnRate>> rates = harness.rates();
        assertThat(rates).extracting(r -> r.key().substring(LIVERPOOL_NORWICH.length() + 1), r -> r.value().quotedAt())
                .containsExactly(tuple("B365|1X2", KICKOFF), tuple("BW|1X2", KICKOFF),
                        tuple("IW|1X2", KICKOFF.minusSeconds(48 * 3600)), tuple("PS|1X2", KICKOFF), tuple("WH|1X2", KICKOFF),
                        tuple("VC|1X2", KICKOFF.minusSeconds(48 * 3600)));
        assertThat(harness.metrics.count("eventflow.duplicates.dropped", "topic", "return-rates.clean")).isEqualTo(2);
        assertThat(harness.metrics.count("eventflow.records.out", "topic", "return-rates.clean")).isEqualTo(6);
        // B365 closing 1.14/9.5/21: 1 / (1/1.14 + 1/9.5 + 1/21) = 0.970803 (worked out by hand)
        assertThat(rates.get(0).value()).isEqualTo(new ReturnRate(LIVERPOOL_NORWICH + "|B365|1X2", LIVERPOOL_NORWICH,
                "B365", "1X2", KICKOFF, dec("1.14"), dec("9.5"), dec("21"),
                dec("0.877193"), dec("0.105263"), dec("0.047619"), dec("0.970803"), "football-data"));
        // and the event with the closing prices, known at the final whistle
        assertThat(harness.enriched()).extracting(TestRecord::value).containsExactly(new EnrichedEvent(LIVERPOOL_NORWICH,
                "football", "E0", KICKOFF, "football:liverpool", "football:norwich-city", EventStatus.FINISHED, 4, 1, 6,
                dec("1.15"), dec("10.43"), dec("23"), dec("1.136667"), dec("9.321667"), dec("20.438333"),
                dec("0.991158"), dec("0.964403"), KICKOFF.plusSeconds(7200)));
        assertThat(harness.allOutputsEmpty()).isTrue();
    }

    @Test
    void shouldProcessTheThreeSampleSeasonsIntoExactCounts() {
        // Given the three real seasons (380 matches each)
        List<RawRecords.Keyed> rows = RawRecords.sampleSeasons();
        assertThat(rows).hasSize(1140);

        // When
        harness.pipe(rows);

        // Then one event per match, each team once, nothing refused
        List<TestRecord<String, Event>> events = harness.events();
        List<TestRecord<String, Entity>> entities = harness.entities();
        List<TestRecord<String, EnrichedEvent>> enriched = harness.enriched();
        assertThat(events).hasSize(1140);
        assertThat(events.stream().map(TestRecord::key).distinct()).hasSize(1140);
        // 20 + 20 teams in the two English seasons, 12 in both; 20 in La Liga
        assertThat(entities).hasSize(48);
        assertThat(harness.deadLetters()).isEmpty();
        assertThat(enriched).hasSize(1140);
        // Each bookmaker's newest complete triplet per row (its closing one where that differs from its opening one,
        // in 2019-20 only), once: counted independently from the files: 7 books in 2004-05, 10 in 2012-13, 6 (x 380)
        // in 2019-20
        Map<String, Long> ratesBySeason = harness.rates().stream().collect(Collectors.groupingBy(
                r -> r.key().startsWith("football:sp1:") ? "SP1 2012-13"
                        : r.key().startsWith("football:e0:2004-") || r.key().startsWith("football:e0:2005-") ? "E0 2004-05"
                        : "E0 2019-20", Collectors.counting()));
        assertThat(ratesBySeason).isEqualTo(Map.of("E0 2004-05", 2658L, "SP1 2012-13", 3794L, "E0 2019-20", 2280L));

        // Spot values worked out by hand from the files
        Map<String, Event> byId = events.stream().collect(Collectors.toMap(TestRecord::key, TestRecord::value));
        // E0 2004-05, 14/08/04: Aston Villa 2-0 Southampton (date only: midnight UTC)
        Event villa = byId.get("football:e0:2004-08-14:aston-villa:southampton");
        assertThat(villa).extracting(Event::kickoff, Event::homeScore, Event::awayScore, Event::halfTimeHomeScore,
                Event::halfTimeAwayScore).containsExactly(Instant.parse("2004-08-14T00:00:00Z"), 2, 0, 2, 0);
        // SP1 2012-13, 18/08/12: Celta 0-1 Malaga
        assertThat(byId.get("football:sp1:2012-08-18:celta-vigo:malaga"))
                .extracting(Event::homeName, Event::homeScore, Event::awayScore).containsExactly("Celta Vigo", 0, 1);
        // Celta-Malaga B365 2.25/3.25/3.2: payout 1 / (1/2.25 + 1/3.25 + 1/3.2) = 0.941228
        EnrichedEvent celta = enriched.stream().map(TestRecord::value)
                .filter(e -> e.eventId().equals("football:sp1:2012-08-18:celta-vigo:malaga")).findFirst().orElseThrow();
        assertThat(celta.bookmakers()).isEqualTo(10);
        assertThat(harness.metrics.count("eventflow.records.in", "provider", "football-data")).isEqualTo(1140);
        assertThat(harness.metrics.count("eventflow.dead.letters")).isZero();
        assertThat(harness.allOutputsEmpty()).isTrue();

        KeyValueStore<String, EventState> states = harness.driver.getKeyValueStore(EventflowTopology.EVENT_STATE_STORE);
        assertThat(states.approximateNumEntries()).isEqualTo(1140);
        EventState villaState = states.get("football:e0:2004-08-14:aston-villa:southampton");
        assertThat(villaState.event()).isEqualTo(villa);
        assertThat(villaState.rates()).hasSize(7);
    }

    @Test
    void shouldEmitNothingWhenASeasonIsReplayed() {
        // Given a season processed once
        List<RawRecords.Keyed> season = RawRecords.footballData(RawRecords.DATA.resolve("SP1_2012-13.csv"));
        harness.pipe(season);
        int firstPassOutputs = harness.entities().size() + harness.events().size() + harness.rates().size()
                + harness.enriched().size();
        assertThat(firstPassOutputs).isPositive();

        double entityRepeatsInFirstPass = harness.metrics.count("eventflow.duplicates.dropped", "topic", "entities.clean");
        assertThat(entityRepeatsInFirstPass).isEqualTo(380 * 2 - 20);

        // When the same file is replayed (a re-download, a backfill run twice)
        harness.pipe(season);

        // Then nothing new comes out, and every repeat is counted as a dropped duplicate
        assertThat(harness.allOutputsEmpty()).isTrue();
        assertThat(harness.metrics.count("eventflow.duplicates.dropped", "topic", "events.clean")).isEqualTo(380);
        assertThat(harness.metrics.count("eventflow.duplicates.dropped", "topic", "entities.clean"))
                .isEqualTo(entityRepeatsInFirstPass + 380 * 2);
    }

    @Test
    void shouldNeverEmitAnOlderPriceAfterANewerOneOfTheSameBookmaker() {
        // Given a row processed once: the B365 row holds its closing quote (at kick-off)
        RawRecords.Keyed row = firstRowOf2019();
        harness.pipe(List.of(row));
        drain(harness);

        // When an older copy of the row arrives whose closing prices column is empty and whose opening price differs
        var payload = row.envelope().payload().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) payload).put("B365H", "1.15");
        for (String column : List.of("B365CH", "B365CD", "B365CA")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) payload).remove(column);
        }
        harness.pipe(List.of(new RawRecords.Keyed(row.key(), RawRecords.envelope("football-data", "old-copy.csv", 2L, payload))));

        // Then the opening quote (48 h before kick-off) is older than the stored closing quote: refused, nothing emitted
        assertThat(harness.rates()).isEmpty();
        assertThat(harness.events()).isEmpty();
        assertThat(harness.entities()).isEmpty();
        assertThat(harness.enriched()).isEmpty();
        assertThat(harness.deadLetters()).isEmpty();
        // Refused as older versions: B365's changed opening, and the repeated openings of BW, PS and WH, whose
        // stored closing prices differ; IW's and VC's openings equal their closings and count as duplicates.
        assertThat(harness.metrics.count("eventflow.refused", "topic", "return-rates.clean", "reason", "stale")).isEqualTo(4);
    }

    @Test
    void shouldNotLetAnOlderCopyRewriteAQuoteTheHistoryAlreadyHoldsAtTheSameTime() {
        // Given a row whose VC closing prices equal its opening ones (so VC's only stored quote is the opening)
        RawRecords.Keyed row = firstRowOf2019();
        harness.pipe(List.of(row));
        drain(harness);

        // When an older copy arrives with another VC opening price, at the same (derived) quote time
        var payload = row.envelope().payload().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) payload).put("VCH", "1.15");
        harness.pipe(List.of(new RawRecords.Keyed(row.key(), RawRecords.envelope("football-data", "old-copy.csv", 2L, payload))));

        // Then the enrichment keeps the first quote: nothing is emitted anywhere
        assertThat(harness.enriched()).isEmpty();
        assertThat(harness.rates()).isEmpty();
        assertThat(harness.events()).isEmpty();
    }

    @Test
    void shouldForgetAKeyAfterTheRetentionAndEmitItsRepeatAgain() {
        // Given a retention of one day, and a row processed at stream time = its kick-off
        TopologyHarness shortMemory = new TopologyHarness(harness.config
                .with("dedup.retention", "P1D").with("dedup.purge.interval", "PT1M"), tempDir());
        try (shortMemory) {
            RawRecords.Keyed row = firstRowOf2019();
            shortMemory.pipeEvent(row.key(), row.envelope(), KICKOFF);
            assertThat(shortMemory.events()).hasSize(1);
            shortMemory.entities();
            shortMemory.rates();
            shortMemory.enriched();

            // When stream time moves three days on (another match) and the purge runs
            RawRecords.Keyed later = RawRecords.footballData(RawRecords.DATA.resolve("E0_2019-20.csv")).get(20);
            shortMemory.pipeEvent(later.key(), later.envelope(), KICKOFF.plusSeconds(3 * 86_400));
            shortMemory.events();
            shortMemory.entities();
            shortMemory.rates();
            shortMemory.enriched();
            shortMemory.driver.advanceWallClockTime(java.time.Duration.ofMinutes(2));

            // Then the first row, repeated, is new again
            shortMemory.pipeEvent(row.key(), row.envelope(), KICKOFF.plusSeconds(3 * 86_400));
            assertThat(shortMemory.events()).extracting(TestRecord::key).containsExactly(LIVERPOOL_NORWICH);
        }
    }

    static void drain(TopologyHarness harness) {
        harness.entities();
        harness.events();
        harness.rates();
        harness.enriched();
        harness.deadLetters();
    }

    static java.nio.file.Path tempDir() {
        try {
            return java.nio.file.Files.createTempDirectory("eventflow-ttd-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static BigDecimal dec(String value) {
        return new BigDecimal(value);
    }
}
