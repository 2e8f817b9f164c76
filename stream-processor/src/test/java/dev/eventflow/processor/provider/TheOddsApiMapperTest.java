package dev.eventflow.processor.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.model.serde.Json;
import dev.eventflow.processor.normalize.Prices;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.RawRecords;
import dev.eventflow.processor.normalize.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Odds API v4 payloads as published (samples under src/test/resources/the-odds-api). */
class TheOddsApiMapperTest {

    static final String ODDS_URL = "https://api.the-odds-api.com/v4/sports/soccer_epl/odds?apiKey=REDACTED&regions=uk,eu"
            + "&markets=h2h&oddsFormat=%s&dateFormat=iso";
    static final String SCORES_URL = "https://api.the-odds-api.com/v4/sports/soccer_epl/scores?apiKey=REDACTED&daysFrom=1&dateFormat=iso";
    static final String MUN_FUL = "4f1d8b0c2e6a9d3b7c5e1f0a2b4c6d8e";
    static final String EVENT_ID = "football:e0:2024-08-16:manchester-united:fulham";

    final MappingRules rules = ProcessorConfig.defaults().mappingRules();
    final TheOddsApiMapper mapper = new TheOddsApiMapper();

    static JsonNode sample(String file, String id) {
        try (InputStream in = TheOddsApiMapperTest.class.getResourceAsStream("/the-odds-api/" + file)) {
            for (JsonNode event : Json.mapper().readTree(in)) {
                if (event.path("id").asText().equals(id)) {
                    return event.deepCopy();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException(id + " is not in " + file);
    }

    static RawEnvelope envelope(String source, JsonNode payload) {
        return RawRecords.envelope(TheOddsApiMapper.PROVIDER, source, null, payload);
    }

    @Test
    void shouldMapDecimalOddsPerBookmakerFromTheH2hMarketOnly() throws ValidationException {
        MappedRecord mapped = mapper.map(envelope(ODDS_URL.formatted("decimal"), sample("odds-decimal.json", MUN_FUL)), rules);

        Event event = mapped.event();
        assertThat(event.id()).isEqualTo(EVENT_ID);
        assertThat(event.sport()).isEqualTo("football");
        assertThat(event.competition()).isEqualTo("E0");
        assertThat(event.kickoff()).isEqualTo(Instant.parse("2024-08-16T19:00:00Z"));
        assertThat(event.homeEntityId()).isEqualTo("football:manchester-united");
        assertThat(event.awayEntityId()).isEqualTo("football:fulham");
        assertThat(event.status()).isEqualTo(EventStatus.SCHEDULED);
        assertThat(event.homeScore()).isNull();
        assertThat(event.providerRefs()).containsExactly("the-odds-api:" + MUN_FUL);
        // the newest bookmaker or market last_update
        assertThat(event.updatedAt()).isEqualTo(Instant.parse("2024-08-15T09:13:05Z"));

        // betfair's h2h_lay is not read; 888sport has no draw price: incomplete, counted, not an error
        assertThat(mapped.rates()).extracting(ReturnRate::bookmaker, ReturnRate::quotedAt, ReturnRate::home,
                        ReturnRate::draw, ReturnRate::away, ReturnRate::payout, ReturnRate::provider)
                .containsExactly(
                        tuple("WILLIAMHILL", Instant.parse("2024-08-15T09:12:41Z"), new BigDecimal("1.62"), new BigDecimal("4.2"),
                                new BigDecimal("5.25"), new BigDecimal("0.956155"), "the-odds-api"),
                        tuple("BETFAIR_EX_UK", Instant.parse("2024-08-15T09:13:05Z"), new BigDecimal("1.68"), new BigDecimal("4.5"),
                                new BigDecimal("5.6"), new BigDecimal("1.003984"), "the-odds-api"),
                        // the market's last_update, not the bookmaker's
                        tuple("PINNACLE", Instant.parse("2024-08-15T09:08:57Z"), new BigDecimal("1.66"), new BigDecimal("4.38"),
                                new BigDecimal("5.55"), new BigDecimal("0.989217"), "the-odds-api"));
        assertThat(mapped.rates()).allSatisfy(rate -> assertThat(rate.eventId()).isEqualTo(EVENT_ID));
        assertThat(mapped.incompleteOdds()).isEqualTo(1);
        assertThat(mapped.rejected()).isEmpty();
    }

    @Test
    void shouldConvertAmericanOddsExactlyWhenThePollAskedForThem() throws ValidationException {
        MappedRecord mapped = mapper.map(envelope(ODDS_URL.formatted("american"), sample("odds-american.json", MUN_FUL)), rules);

        assertThat(mapped.event().id()).isEqualTo(EVENT_ID);
        assertThat(mapped.rates()).extracting(ReturnRate::bookmaker, ReturnRate::home, ReturnRate::draw,
                        ReturnRate::away, ReturnRate::payout)
                .containsExactly(
                        // -161 = 1 + 100/161 (rounded to 6 places, the payout is of the rounded price), +320 = 4.2, +425 = 5.25
                        tuple("WILLIAMHILL", new BigDecimal("1.621118"), new BigDecimal("4.2"), new BigDecimal("5.25"),
                                new BigDecimal("0.956544")),
                        tuple("PINNACLE", new BigDecimal("1.657895"), new BigDecimal("4.38"), new BigDecimal("5.55"),
                                new BigDecimal("0.988469")));
        assertThat(Prices.fromAmerican("x", new BigDecimal("150"))).isEqualByComparingTo("2.5");
        assertThat(Prices.fromAmerican("x", new BigDecimal("-200"))).isEqualByComparingTo("1.5");
    }

    @Test
    void shouldTellAmericanFromDecimalByTheValuesWhenTheSourceDoesNotSay() throws ValidationException {
        MappedRecord american = mapper.map(envelope("odds.jsonl", sample("odds-american.json", MUN_FUL)), rules);
        MappedRecord decimal = mapper.map(envelope("odds.jsonl", sample("odds-decimal.json", MUN_FUL)), rules);

        assertThat(american.rates()).extracting(ReturnRate::home)
                .containsExactly(new BigDecimal("1.621118"), new BigDecimal("1.657895"));
        assertThat(decimal.rates()).extracting(ReturnRate::home)
                .containsExactly(new BigDecimal("1.62"), new BigDecimal("1.68"), new BigDecimal("1.66"));
        assertThat(TheOddsApiMapper.americanBySource(ODDS_URL.formatted("american"))).isTrue();
        assertThat(TheOddsApiMapper.americanBySource(ODDS_URL.formatted("decimal"))).isFalse();
        assertThat(TheOddsApiMapper.americanBySource("data/odds.jsonl")).isNull();
    }

    @Test
    void shouldGiveTheSameEventIdToScoresArrivingLaterAndToTheCsvHistory() throws ValidationException {
        MappedRecord odds = mapper.map(envelope(ODDS_URL.formatted("decimal"), sample("odds-decimal.json", MUN_FUL)), rules);
        MappedRecord scores = mapper.map(envelope(SCORES_URL, sample("scores.json", MUN_FUL)), rules);
        ObjectNode csvRow = (ObjectNode) RawRecords.json("{'Div':'E0','Date':'16/08/2024','Time':'20:00','HomeTeam':'Man United',"
                + "'AwayTeam':'Fulham','FTHG':'1','FTAG':'0','FTR':'H'}");
        MappedRecord csv = new FootballDataMapper().map(RawRecords.envelope("football-data", "E0.csv", 2L, csvRow), rules);

        Event finished = scores.event();
        assertThat(finished.id()).isEqualTo(odds.event().id()).isEqualTo(csv.event().id()).isEqualTo(EVENT_ID);
        assertThat(finished.status()).isEqualTo(EventStatus.FINISHED);
        assertThat(finished.homeScore()).isEqualTo(1);
        assertThat(finished.awayScore()).isEqualTo(0);
        assertThat(finished.updatedAt()).isEqualTo(Instant.parse("2024-08-16T21:02:37Z"));
        assertThat(finished.providerRefs()).containsExactly("the-odds-api:" + MUN_FUL);
        assertThat(finished.kickoff()).isEqualTo(csv.event().kickoff());
        assertThat(scores.rates()).isEmpty();
        assertThat(scores.rejected()).isEmpty();
    }

    @Test
    void shouldMapScoresOfMatchesInPlayAndNotStarted() throws ValidationException {
        MappedRecord live = mapper.map(envelope(SCORES_URL, sample("scores.json", "2c4e6a8b0d1f3e5c7a9b1d3f5e7c9a0b")), rules);
        assertThat(live.event().id()).isEqualTo("football:e0:2024-08-17:arsenal:wolverhampton-wanderers");
        assertThat(live.event().status()).isEqualTo(EventStatus.LIVE);
        assertThat(live.event().homeScore()).isEqualTo(1);
        assertThat(live.event().awayScore()).isEqualTo(0);

        // Not started: scores and last_update are null; the version is when the producer received it.
        MappedRecord notStarted = mapper.map(envelope(SCORES_URL, sample("scores.json", "9a7c5e3b1d0f2e4c6a8b0d1f3e5c7a9b")), rules);
        assertThat(notStarted.event().status()).isEqualTo(EventStatus.SCHEDULED);
        assertThat(notStarted.event().homeScore()).isNull();
        assertThat(notStarted.event().updatedAt()).isEqualTo(RawRecords.RECEIVED_AT);

        // The same match from the odds endpoint without any bookmaker yet: an event, no rates.
        MappedRecord noBookmakers = mapper.map(envelope(ODDS_URL.formatted("decimal"),
                sample("odds-decimal.json", "9a7c5e3b1d0f2e4c6a8b0d1f3e5c7a9b")), rules);
        assertThat(noBookmakers.event().id()).isEqualTo(notStarted.event().id()).isEqualTo("football:e0:2024-08-17:ipswich-town:liverpool");
        assertThat(noBookmakers.rates()).isEmpty();
    }

    @Test
    void shouldKeepAPostponedMatchScheduledAndGiveARescheduledOneANewEventId() throws ValidationException {
        // A postponed match stays in /scores as not completed, without scores, past its kick-off: the API has no
        // postponed status, so it stays SCHEDULED (another provider may say POSTPONED).
        ObjectNode postponed = (ObjectNode) sample("scores.json", "9a7c5e3b1d0f2e4c6a8b0d1f3e5c7a9b");
        RawEnvelope days = new RawEnvelope(TheOddsApiMapper.PROVIDER, SCORES_URL, null, null, "run",
                Instant.parse("2024-08-19T08:00:00Z"), null, postponed);
        assertThat(mapper.map(days, rules).event().status()).isEqualTo(EventStatus.SCHEDULED);

        // Re-scheduled to another day under the same provider id: the event id names the kick-off date, so it is a new event.
        postponed.put("commence_time", "2024-09-25T18:45:00Z");
        Event moved = mapper.map(days, rules).event();
        assertThat(moved.id()).isEqualTo("football:e0:2024-09-25:ipswich-town:liverpool");
        assertThat(moved.providerRefs()).containsExactly("the-odds-api:9a7c5e3b1d0f2e4c6a8b0d1f3e5c7a9b");

        // A quote made after kick-off is in play.
        ObjectNode inPlay = (ObjectNode) sample("odds-decimal.json", MUN_FUL);
        inPlay.put("commence_time", "2024-08-15T09:00:00Z");
        assertThat(mapper.map(envelope(ODDS_URL.formatted("decimal"), inPlay), rules).event().status()).isEqualTo(EventStatus.LIVE);
    }

    @Test
    void shouldDeadLetterAnUnknownSportKeyNamingTheSettingAndAcceptItOnceMapped() throws ValidationException {
        ObjectNode mls = (ObjectNode) sample("odds-decimal.json", MUN_FUL);
        mls.put("sport_key", "soccer_usa_mls");

        assertThatThrownBy(() -> mapper.map(envelope(ODDS_URL.formatted("decimal"), mls), rules))
                .isInstanceOf(ValidationException.class)
                .hasMessage("sport_key 'soccer_usa_mls' has no competition code: add it to the stream processor setting "
                        + "the-odds-api.sport-map (for example the-odds-api.sport-map=soccer_usa_mls=CODE)")
                .extracting(e -> ((ValidationException) e).code()).isEqualTo("unknown-sport");

        TheOddsApiMapper configured = new TheOddsApiMapper(TheOddsApiMapper.parseSportMap("soccer_usa_mls=USA1, soccer_epl=EPL"));
        assertThat(configured.map(envelope(ODDS_URL.formatted("decimal"), mls), rules).event().id())
                .isEqualTo("football:usa1:2024-08-16:manchester-united:fulham");
        assertThat(configured.sportMap()).containsEntry("soccer_epl", "EPL").containsEntry("soccer_spl", "SC0");
        assertThat(new TheOddsApiMapper(ProcessorConfig.defaults().with(ProcessorConfig.THE_ODDS_API_SPORT_MAP, "soccer_usa_mls=USA1")
                .theOddsApiSportMap()).sportMap()).containsEntry("soccer_usa_mls", "USA1");
        assertThatThrownBy(() -> TheOddsApiMapper.parseSportMap("soccer_usa_mls"))
                .hasMessageContaining("'soccer_usa_mls' is not sport_key=CODE");
    }

    @Test
    void shouldRefuseBadPricesUnknownOutcomesAndMissingFieldsWithReasons() throws ValidationException {
        ObjectNode payload = (ObjectNode) sample("odds-decimal.json", MUN_FUL);
        JsonNode books = payload.get("bookmakers");
        ((ObjectNode) books.get(0).get("markets").get(0).get("outcomes").get(2)).put("price", 0.95);
        ((ObjectNode) books.get(1).get("markets").get(0).get("outcomes").get(0)).put("name", "Fulham Reserves");

        MappedRecord mapped = mapper.map(envelope(ODDS_URL.formatted("decimal"), payload), rules);

        assertThat(mapped.rates()).extracting(ReturnRate::bookmaker).containsExactly("PINNACLE");
        assertThat(mapped.rejected()).extracting(ValidationException::code, ValidationException::reason).containsExactly(
                tuple("invalid-odds", "WILLIAMHILL Draw 0.95 is not above 1.0"),
                tuple("invalid-outcome", "BETFAIR_EX_UK outcome 'Fulham Reserves' is neither Manchester United, Fulham nor Draw"));

        for (Map.Entry<String, String> missing : Map.of("id", "missing field id", "commence_time", "missing field commence_time",
                "home_team", "missing field home_team", "sport_key", "missing field sport_key").entrySet()) {
            ObjectNode broken = (ObjectNode) sample("odds-decimal.json", MUN_FUL);
            broken.remove(missing.getKey());
            assertThatThrownBy(() -> mapper.map(envelope(ODDS_URL.formatted("decimal"), broken), rules))
                    .as(missing.getKey()).hasMessageContaining(missing.getValue());
        }

        ObjectNode completedWithoutScores = (ObjectNode) sample("scores.json", MUN_FUL);
        completedWithoutScores.putNull("scores");
        assertThatThrownBy(() -> mapper.map(envelope(SCORES_URL, completedWithoutScores), rules))
                .hasMessage("missing field scores of a completed event");

        ObjectNode strangerScore = (ObjectNode) sample("scores.json", MUN_FUL);
        ((ObjectNode) strangerScore.get("scores").get(1)).put("name", "Chelsea");
        assertThatThrownBy(() -> mapper.map(envelope(SCORES_URL, strangerScore), rules))
                .hasMessage("score for 'Chelsea', neither Manchester United nor Fulham");

        ObjectNode neither = (ObjectNode) sample("scores.json", MUN_FUL);
        neither.remove(List.of("completed", "scores"));
        assertThatThrownBy(() -> mapper.map(envelope(SCORES_URL, neither), rules))
                .hasMessageContaining("neither an odds object (bookmakers array) nor a scores object (completed)");
    }

    @Test
    void shouldRefuseANegativeDecimalPriceAsNotAboveOneAndAbsurdNumbersAtOnceWhenTheSourceDoesNotSay() throws Exception {
        // A replayed file: the format is told by the values. A negative price among decimal ones is a bad decimal price
        // (not the sign of an American market, whose lines are all at least 100 in size), so the reason names it
        ObjectNode payload = (ObjectNode) sample("odds-decimal.json", MUN_FUL);
        JsonNode books = payload.get("bookmakers");
        ((ObjectNode) books.get(0).get("markets").get(0).get("outcomes").get(0)).put("price", -2.5);
        ((ObjectNode) books.get(1).get("markets").get(0).get("outcomes").get(1)).put("price", "1e999999999");
        ((ObjectNode) books.get(2).get("markets").get(0).get("outcomes").get(2))
                .set("price", Json.mapper().readTree("1e-999999999"));
        // and a bookmaker key no row could hold (PostgreSQL text cannot hold NUL)
        ObjectNode fourth = books.get(0).deepCopy();
        fourth.put("key", "bet\u0000365");
        ((com.fasterxml.jackson.databind.node.ArrayNode) books).add(fourth);

        long started = System.nanoTime();
        MappedRecord mapped = mapper.map(envelope("odds.jsonl", payload), rules);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(mapped.rates()).isEmpty();
        assertThat(mapped.rejected()).extracting(ValidationException::code, ValidationException::reason).containsExactly(
                tuple("invalid-odds", "WILLIAMHILL Fulham -2.5 is not above 1.0"),
                tuple("invalid-odds", "BETFAIR_EX_UK Manchester United 1E+999999999 is not a plausible price"),
                tuple("invalid-odds", "PINNACLE Draw 1E-999999999 is not a plausible price"),
                tuple("invalid-field", "a bookmaker key holds control characters"));
        assertThat(TheOddsApiMapper.looksAmerican(new BigDecimal[] {new BigDecimal("-110"), new BigDecimal("250"),
            new BigDecimal("240")})).isTrue();
        assertThat(TheOddsApiMapper.looksAmerican(new BigDecimal[] {new BigDecimal("2.1"), new BigDecimal("3.4"),
            new BigDecimal("-2.5")})).isFalse();
    }

    @Test
    void shouldBeRegisteredAndMapTheSportKeyGroup() {
        assertThat(ProviderRegistry.builtIn().mapper("the-odds-api")).containsInstanceOf(TheOddsApiMapper.class);
        assertThat(TheOddsApiMapper.sportOf("soccer_epl")).isEqualTo("football");
        assertThat(TheOddsApiMapper.sportOf("basketball_nba")).isEqualTo("basketball");
        assertThat(TheOddsApiMapper.DEFAULT_SPORT_MAP).hasSize(18).containsEntry("soccer_germany_bundesliga2", "D2");
    }
}
