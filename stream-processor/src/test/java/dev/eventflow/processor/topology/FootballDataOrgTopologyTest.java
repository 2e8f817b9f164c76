package dev.eventflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventflow.model.DeadLetter;
import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.RawRecords;
import dev.eventflow.processor.provider.FootballDataOrgMapperTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** football-data.org match objects through the topology: versions of one match, refusals, and the CSV provider's id. */
class FootballDataOrgTopologyTest {

    static final String EVERTON_UNITED = "football:e0:2026-02-23:everton:manchester-united";
    static final String PL_URL = "https://api.football-data.org/v4/competitions/PL/matches?dateFrom=2026-02-20&dateTo=2026-03-02";

    final TopologyHarness harness = harness(ProcessorConfig.defaults());

    static TopologyHarness harness(ProcessorConfig config) {
        try {
            Path aliases = Path.of(FootballDataOrgTopologyTest.class.getResource("/football-data-org/aliases.txt").toURI());
            return new TopologyHarness(config.with("aliases.file", aliases.toString()), Files.createTempDirectory("eventflow-ttd-"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() {
        harness.close();
    }

    static void pipe(TopologyHarness harness, JsonNode match) {
        RawEnvelope envelope = new RawEnvelope("football-data-org", PL_URL, null, null, "test-run", RawRecords.RECEIVED_AT,
                Instant.parse(match.get("lastUpdated").asText()), match);
        harness.pipeEvent("football-data-org:" + match.get("id").asText(), envelope, envelope.eventTime());
    }

    @Test
    void shouldUpdateOneEventFromFixtureToResultAndIgnoreAnOlderVersion() {
        JsonNode fixture = FootballDataOrgMapperTest.matches("pl-2025-fixtures.json").get(0);
        List<JsonNode> live = FootballDataOrgMapperTest.matches("pl-2025-live.json");

        pipe(harness, fixture);
        live.forEach(match -> pipe(harness, match));
        pipe(harness, fixture); // an older version, replayed

        assertThat(harness.events()).extracting(TestRecord::key, r -> r.value().status(), r -> r.value().homeScore(),
                r -> r.value().awayScore(), r -> r.value().halfTimeHomeScore(), r -> r.value().halfTimeAwayScore())
                .containsExactly(
                        tuple(EVERTON_UNITED, EventStatus.SCHEDULED, null, null, null, null),
                        tuple(EVERTON_UNITED, EventStatus.LIVE, 1, 0, null, null),
                        tuple(EVERTON_UNITED, EventStatus.LIVE, 1, 1, 1, 1),
                        tuple(EVERTON_UNITED, EventStatus.FINISHED, 1, 2, 1, 1));
        assertThat(harness.deadLetters()).isEmpty();
        assertThat(harness.rates()).isEmpty();
    }

    @Test
    void shouldDeadLetterUnmappedCompetitionsAndFinishedMatchesWithoutScores() {
        pipe(harness, FootballDataOrgMapperTest.matches("cl-2025.json").get(0));
        pipe(harness, FootballDataOrgMapperTest.matches("pl-2025-finished-without-score.json").get(0));

        assertThat(harness.deadLetters()).extracting(TopologyHarness::deadLetter).extracting(DeadLetter::stage, DeadLetter::provider,
                DeadLetter::reason).containsExactly(
                        tuple(DeadLetter.STAGE_VALIDATE, "football-data-org", "football-data.org competition 'CL' has no eventflow "
                                + "competition code: add CL=<code> to the stream processor setting football-data-org.competition-map"),
                        tuple(DeadLetter.STAGE_VALIDATE, "football-data-org",
                                "finished match without a score: missing score.fullTime.home and score.fullTime.away"));
        assertThat(harness.events()).isEmpty();
    }

    @Test
    void shouldMapACompetitionAddedByTheSetting() {
        try (TopologyHarness configured = harness(ProcessorConfig.defaults().with("football-data-org.competition-map", "CL=CL"))) {
            pipe(configured, FootballDataOrgMapperTest.matches("cl-2025.json").get(0));

            assertThat(configured.events()).extracting(TestRecord::key).containsExactly("football:cl:2026-02-17:arsenal:bayern-munich");
            assertThat(configured.deadLetters()).isEmpty();
        }
    }

    @Test
    void shouldGiveTheMatchTheEventIdOfTheFootballDataCsvRow() {
        RawRecords.Keyed row = RawRecords.footballData(RawRecords.DATA.resolve("E0_2019-20.csv")).get(0);
        harness.pipeEvent(row.key(), row.envelope(), row.envelope().eventTime());
        pipe(harness, FootballDataOrgMapperTest.matches("pl-2019-finished.json").get(0));

        List<TestRecord<String, Event>> events = harness.events();
        assertThat(events).extracting(TestRecord::key).containsOnly("football:e0:2019-08-09:liverpool:norwich-city");
        assertThat(events.get(events.size() - 1).value()).extracting(Event::status, Event::homeScore, Event::awayScore,
                Event::halfTimeHomeScore, Event::halfTimeAwayScore).containsExactly(EventStatus.FINISHED, 4, 1, 4, 0);
        assertThat(events.get(events.size() - 1).value().providerRefs())
                .containsExactlyInAnyOrder("football-data:E0/09/08/2019/Liverpool/Norwich", "football-data-org:264341");
    }
}
