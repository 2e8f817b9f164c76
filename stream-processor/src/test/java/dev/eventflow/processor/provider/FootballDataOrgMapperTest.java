package dev.eventflow.processor.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.serde.Json;
import dev.eventflow.processor.RawRecords;
import dev.eventflow.processor.normalize.AliasTable;
import dev.eventflow.processor.normalize.EntityResolver;
import dev.eventflow.processor.normalize.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** football-data.org v4 match objects, from real-format responses under {@code src/test/resources/football-data-org}. */
public class FootballDataOrgMapperTest {

    static final MappingRules RULES = rules();
    static final String PL_URL = "https://api.football-data.org/v4/competitions/PL/matches?dateFrom=2026-02-20&dateTo=2026-03-02";
    final FootballDataOrgMapper mapper = new FootballDataOrgMapper();

    static MappingRules rules() {
        try (InputStream in = FootballDataOrgMapperTest.class.getResourceAsStream("/football-data-org/aliases.txt")) {
            AliasTable aliases = AliasTable.builtIn().overriddenBy(AliasTable.parse(in, "aliases.txt"));
            return new MappingRules(new EntityResolver(aliases), new BigDecimal("0.75"), new BigDecimal("1.05"), new BigDecimal("10000"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The matches of a sample response, in order. */
    public static List<JsonNode> matches(String resource) {
        try (InputStream in = FootballDataOrgMapperTest.class.getResourceAsStream("/football-data-org/" + resource)) {
            List<JsonNode> list = new java.util.ArrayList<>();
            Json.mapper().readTree(in).get("matches").forEach(list::add);
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RawEnvelope envelope(JsonNode match) {
        return RawRecords.envelope(FootballDataOrgMapper.PROVIDER, PL_URL, null, match);
    }

    Event event(JsonNode match) throws ValidationException {
        MappedRecord mapped = mapper.map(envelope(match), RULES);
        assertThat(mapped.rates()).isEmpty();
        assertThat(mapped.rejected()).isEmpty();
        return mapped.event();
    }

    @Test
    void shouldMapAFinishedMatchToTheSameEventAsTheFootballDataCsvRow() throws ValidationException {
        JsonNode liverpoolNorwich = matches("pl-2019-finished.json").get(0);

        MappedRecord mapped = mapper.map(envelope(liverpoolNorwich), RULES);

        assertThat(mapped.event()).isEqualTo(new Event("football:e0:2019-08-09:liverpool:norwich-city", "football", "E0",
                Instant.parse("2019-08-09T19:00:00Z"), "football:liverpool", "football:norwich-city", "Liverpool", "Norwich City",
                EventStatus.FINISHED, 4, 1, 4, 0, List.of("football-data-org:264341"), Instant.parse("2020-09-10T18:10:32Z")));
        assertThat(mapped.entities()).extracting(e -> e.id()).containsExactly("football:liverpool", "football:norwich-city");
        assertThat(mapped.rates()).isEmpty();

        // The same match from football-data.co.uk's E0_2019-20.csv gets the same event id
        JsonNode row = RawRecords.json("{'Div':'E0','Date':'09/08/2019','Time':'20:00','HomeTeam':'Liverpool','AwayTeam':'Norwich',"
                + "'FTHG':'4','FTAG':'1','FTR':'H','HTHG':'4','HTAG':'0','HTR':'H'}");
        Event fromCsv = new FootballDataMapper().map(RawRecords.envelope("football-data", "E0_2019-20.csv", 2L, row), RULES).event();
        assertThat(fromCsv.id()).isEqualTo(mapped.event().id());
        assertThat(fromCsv.kickoff()).isEqualTo(mapped.event().kickoff());
    }

    @Test
    void shouldMapScheduledAndTimedFixturesWithoutScores() throws ValidationException {
        List<JsonNode> fixtures = matches("pl-2025-fixtures.json");

        assertThat(event(fixtures.get(0))).isEqualTo(new Event("football:e0:2026-02-23:everton:manchester-united", "football", "E0",
                Instant.parse("2026-02-23T20:00:00Z"), "football:everton", "football:manchester-united", "Everton", "Manchester United",
                EventStatus.SCHEDULED, null, null, null, null, List.of("football-data-org:538050"), Instant.parse("2026-02-23T00:20:57Z")));
        assertThat(event(fixtures.get(1))).isEqualTo(new Event("football:e0:2026-02-27:wolverhampton-wanderers:aston-villa",
                "football", "E0", Instant.parse("2026-02-27T20:00:00Z"), "football:wolverhampton-wanderers", "football:aston-villa",
                "Wolverhampton Wanderers", "Aston Villa", EventStatus.SCHEDULED, null, null, null, null,
                List.of("football-data-org:538064"), Instant.parse("2026-02-20T01:32:04Z")));
    }

    @Test
    void shouldMapAPostponedMatchWithItsKickOffDate() throws ValidationException {
        JsonNode postponed = matches("pl-2025-fixtures.json").get(2);

        assertThat(event(postponed)).isEqualTo(new Event("football:e0:2026-03-01:brighton-and-hove-albion:nottingham-forest",
                "football", "E0", Instant.parse("2026-03-01T14:00:00Z"), "football:brighton-and-hove-albion",
                "football:nottingham-forest", "Brighton and Hove Albion", "Nottingham Forest", EventStatus.POSTPONED,
                null, null, null, null, List.of("football-data-org:538056"), Instant.parse("2026-02-26T16:41:09Z")));

        // Rescheduled: the same match id with another date is another event id (the id holds the kick-off date)
        ObjectNode rescheduled = postponed.deepCopy();
        rescheduled.put("status", "TIMED").put("utcDate", "2026-04-14T18:45:00Z").put("lastUpdated", "2026-03-05T09:00:00Z");
        Event moved = event(rescheduled);
        assertThat(moved.id()).isEqualTo("football:e0:2026-04-14:brighton-and-hove-albion:nottingham-forest");
        assertThat(moved.status()).isEqualTo(EventStatus.SCHEDULED);
        assertThat(moved.providerRefs()).containsExactly("football-data-org:538056");
    }

    @Test
    void shouldMapInPlayAndPausedMatchesAsLiveWithTheCurrentScore() throws ValidationException {
        List<JsonNode> live = matches("pl-2025-live.json");

        Event inPlay = event(live.get(0));
        assertThat(inPlay).extracting(Event::id, Event::status, Event::homeScore, Event::awayScore, Event::halfTimeHomeScore,
                Event::halfTimeAwayScore, Event::updatedAt).containsExactly("football:e0:2026-02-23:everton:manchester-united",
                EventStatus.LIVE, 1, 0, null, null, Instant.parse("2026-02-23T20:31:12Z"));
        Event paused = event(live.get(1));
        assertThat(paused).extracting(Event::id, Event::status, Event::homeScore, Event::awayScore, Event::halfTimeHomeScore,
                Event::halfTimeAwayScore, Event::updatedAt).containsExactly("football:e0:2026-02-23:everton:manchester-united",
                EventStatus.LIVE, 1, 1, 1, 1, Instant.parse("2026-02-23T20:48:40Z"));
    }

    @Test
    void shouldFillInTheScoresOfTheSameEventWhenTheResultArrivesLater() throws ValidationException {
        Event fixture = event(matches("pl-2025-fixtures.json").get(0));
        Event result = event(matches("pl-2025-live.json").get(2));

        assertThat(result).isEqualTo(new Event(fixture.id(), "football", "E0", fixture.kickoff(), fixture.homeEntityId(),
                fixture.awayEntityId(), "Everton", "Manchester United", EventStatus.FINISHED, 1, 2, 1, 1,
                List.of("football-data-org:538050"), Instant.parse("2026-02-23T22:05:03Z")));
        assertThat(result.updatedAt()).isAfter(fixture.updatedAt());
    }

    @Test
    void shouldRefuseAnUnmappedCompetitionNamingTheSetting() {
        JsonNode championsLeague = matches("cl-2025.json").get(0);

        assertThatThrownBy(() -> mapper.map(envelope(championsLeague), RULES))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.code()).isEqualTo("unmapped-competition");
                    assertThat(e.reason()).isEqualTo("football-data.org competition 'CL' has no eventflow competition code: "
                            + "add CL=<code> to the stream processor setting football-data-org.competition-map");
                });
    }

    @Test
    void shouldMapACompetitionTheSettingAdds() throws ValidationException {
        FootballDataOrgMapper configured = new FootballDataOrgMapper(FootballDataOrgMapper.competitionMap("CL=CL, PL="));
        JsonNode championsLeague = matches("cl-2025.json").get(0);

        Event event = configured.map(envelope(championsLeague), RULES).event();
        assertThat(event).extracting(Event::id, Event::competition, Event::status, Event::homeScore, Event::awayScore)
                .containsExactly("football:cl:2026-02-17:arsenal:bayern-munich", "CL", EventStatus.FINISHED, 2, 2);
        // PL= removed the default
        assertThatThrownBy(() -> configured.map(envelope(matches("pl-2025-fixtures.json").get(0)), RULES))
                .hasMessageContaining("competition 'PL' has no eventflow competition code");
    }

    @Test
    void shouldRefuseAFinishedMatchWithoutAScore() {
        JsonNode finished = matches("pl-2025-finished-without-score.json").get(0);

        assertThatThrownBy(() -> mapper.map(envelope(finished), RULES)).isInstanceOfSatisfying(ValidationException.class, e -> {
            assertThat(e.code()).isEqualTo("missing-field");
            assertThat(e.reason()).isEqualTo("finished match without a score: missing score.fullTime.home and score.fullTime.away");
        });
        // A half score is refused as well
        ObjectNode half = finished.deepCopy();
        ((ObjectNode) half.get("score").get("fullTime")).put("home", 2);
        assertThatThrownBy(() -> mapper.map(envelope(half), RULES)).hasMessage("score.fullTime has only one of home and away");
        // A score that is not a number says which score it is
        ObjectNode word = finished.deepCopy();
        ((ObjectNode) word.get("score").get("fullTime")).put("home", "two").put("away", 0);
        assertThatThrownBy(() -> mapper.map(envelope(word), RULES)).hasMessage("score.fullTime.home 'two' is not a non-negative integer");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"SCHEDULED, SCHEDULED", "TIMED, SCHEDULED", "IN_PLAY, LIVE", "PAUSED, LIVE", "LIVE, LIVE", "EXTRA_TIME, LIVE",
        "PENALTY_SHOOTOUT, LIVE", "FINISHED, FINISHED", "AWARDED, FINISHED", "POSTPONED, POSTPONED", "SUSPENDED, POSTPONED",
        "CANCELLED, CANCELLED", "CANCELED, CANCELLED"})
    void shouldMapEveryStatus(String status, EventStatus expected) throws ValidationException {
        ObjectNode match = matches("pl-2019-finished.json").get(1).deepCopy();
        match.put("status", status);

        assertThat(event(match).status()).isEqualTo(expected);
    }

    @Test
    void shouldRefuseAnUnknownStatus() {
        ObjectNode match = matches("pl-2019-finished.json").get(1).deepCopy();
        match.put("status", "ABANDONED");

        assertThatThrownBy(() -> mapper.map(envelope(match), RULES)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.code()).isEqualTo("invalid-status"));
    }

    @Test
    void shouldTakeTheNinetyMinuteScoreOfAMatchDecidedInExtraTimeOrOnPenalties() throws ValidationException {
        ObjectNode match = matches("cl-2025.json").get(0).deepCopy();
        ObjectNode score = (ObjectNode) match.get("score");
        score.put("duration", "PENALTY_SHOOTOUT").put("winner", "HOME_TEAM");
        score.set("fullTime", RawRecords.json("{'home':7,'away':6}"));
        score.set("regularTime", RawRecords.json("{'home':2,'away':2}"));
        score.set("extraTime", RawRecords.json("{'home':0,'away':0}"));
        score.set("penalties", RawRecords.json("{'home':5,'away':4}"));

        Event event = new FootballDataOrgMapper(Map.of("CL", "CL")).map(envelope(match), RULES).event();
        assertThat(event).extracting(Event::homeScore, Event::awayScore, Event::halfTimeHomeScore, Event::halfTimeAwayScore)
                .containsExactly(2, 2, 1, 0);
    }

    @Test
    void shouldReadTheCompetitionFromTheRequestUrlWhenTheMatchLacksIt() throws ValidationException {
        ObjectNode match = matches("pl-2019-finished.json").get(1).deepCopy();
        match.remove("competition");

        assertThat(event(match).competition()).isEqualTo("E0");
        assertThatThrownBy(() -> mapper.map(RawRecords.envelope(FootballDataOrgMapper.PROVIDER, "somewhere", null, match), RULES))
                .hasMessage("missing field competition.code");
    }

    @Test
    void shouldRefuseMatchesWithoutTeamsOrTimes() {
        ObjectNode noTeam = matches("pl-2019-finished.json").get(1).deepCopy();
        ((ObjectNode) noTeam.get("homeTeam")).putNull("name");
        assertThatThrownBy(() -> mapper.map(envelope(noTeam), RULES)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("homeTeam.name");

        ObjectNode noDate = matches("pl-2019-finished.json").get(1).deepCopy();
        noDate.remove("utcDate");
        assertThatThrownBy(() -> mapper.map(envelope(noDate), RULES)).hasMessage("missing field utcDate");

        ObjectNode noVersion = matches("pl-2019-finished.json").get(1).deepCopy();
        noVersion.remove("lastUpdated");
        assertThatThrownBy(() -> mapper.map(envelope(noVersion), RULES)).hasMessage("missing field lastUpdated");
    }

    @Test
    void shouldFallBackOnTheShortNameOnlyWhenTheFullNameIsUnknown() throws ValidationException {
        ObjectNode match = matches("pl-2025-fixtures.json").get(0).deepCopy();
        ((ObjectNode) match.get("homeTeam")).put("name", "Everton Football Club");
        ((ObjectNode) match.get("awayTeam")).put("name", "Manchester United Football Club").put("shortName", "Unknown Utd");

        Event event = event(match);
        assertThat(event.homeEntityId()).as("unknown name, known shortName").isEqualTo("football:everton");
        assertThat(event.awayEntityId()).as("neither known: the name, as given").isEqualTo("football:manchester-united-football-club");
    }

    @Test
    void shouldResolveFootballDataOrgNamesWithTheBuiltInAliasTable() throws ValidationException {
        MappingRules builtIn = new MappingRules(new EntityResolver(AliasTable.builtIn()), new BigDecimal("0.75"),
                new BigDecimal("1.05"), new BigDecimal("10000"));
        for (String resource : List.of("pl-2019-finished.json", "pl-2025-fixtures.json")) {
            for (JsonNode match : matches(resource)) {
                assertThat(mapper.map(envelope(match), builtIn).event()).isEqualTo(event(match));
            }
        }
    }

    @Test
    void shouldParseTheCompetitionMapSetting() {
        assertThat(FootballDataOrgMapper.competitionMap(null)).isEqualTo(FootballDataOrgMapper.DEFAULT_COMPETITIONS);
        assertThat(FootballDataOrgMapper.DEFAULT_COMPETITIONS).containsEntry("PL", "E0").containsEntry("ELC", "E1")
                .containsEntry("PD", "SP1").containsEntry("SD", "SP2").containsEntry("BL1", "D1").containsEntry("BL2", "D2")
                .containsEntry("SA", "I1").containsEntry("FL1", "F1").containsEntry("DED", "N1").containsEntry("PPL", "P1");
        Map<String, String> map = FootballDataOrgMapper.competitionMap(" cl = CL ,PL=E0X,BL2=");
        assertThat(map).containsEntry("CL", "CL").containsEntry("PL", "E0X").doesNotContainKey("BL2");
        assertThatThrownBy(() -> FootballDataOrgMapper.competitionMap("PL"))
                .hasMessage("football-data-org.competition-map: 'PL' is not CODE=COMPETITION (for example CL=CL or PL=E0)");
    }

    @Test
    void shouldBeABuiltInProvider() {
        assertThat(ProviderRegistry.builtIn().mapper("football-data-org")).get().isInstanceOf(FootballDataOrgMapper.class);
    }
}
