package dev.eventflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.eventflow.ingest.cli.IngestMain;
import dev.eventflow.localstack.LocalStackConfig;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One match, one event, whatever the source, end to end on the embedded stack: the 2019-20 season from
 * football-data.co.uk's CSV, then The Odds API v4 (odds, scores and a day of historical snapshots) and
 * football-data.org v4 (results) for two of its matches, each provider's responses in its published
 * format from a local HTTP server, polled and backfilled by {@code eventflow ingest}.
 */
class ProvidersIT {

    private static final String LIVERPOOL_NORWICH = "football:e0:2019-08-09:liverpool:norwich-city";
    private static final String WEST_HAM_CITY = "football:e0:2019-08-10:west-ham-united:manchester-city";
    private static final String ODDS_ID_1 = "e912304de2b2ce35b473ce2ecd3d1502";
    private static final String ODDS_ID_2 = "0f5e3d8a6b7c4d2e9a1b3c5d7e9f1a2b";

    /** The Odds API's odds: two bookmakers each, decimal prices, quoted before kick-off. */
    private static final String ODDS = """
            [{"id":"%s","sport_key":"soccer_epl","sport_title":"EPL","commence_time":"2019-08-09T19:00:00Z",
              "home_team":"Liverpool","away_team":"Norwich City","bookmakers":[
               {"key":"williamhill","title":"William Hill","last_update":"2019-08-09T17:00:00Z","markets":[{"key":"h2h",
                "last_update":"2019-08-09T17:00:00Z","outcomes":[{"name":"Liverpool","price":1.15},{"name":"Norwich City","price":17.0},
                {"name":"Draw","price":8.5}]}]},
               {"key":"pinnacle","title":"Pinnacle","last_update":"2019-08-09T18:30:00Z","markets":[{"key":"h2h",
                "last_update":"2019-08-09T18:30:00Z","outcomes":[{"name":"Liverpool","price":1.16},{"name":"Norwich City","price":19.5},
                {"name":"Draw","price":9.1}]}]}]},
             {"id":"%s","sport_key":"soccer_epl","sport_title":"EPL","commence_time":"2019-08-10T11:30:00Z",
              "home_team":"West Ham United","away_team":"Manchester City","bookmakers":[
               {"key":"williamhill","title":"William Hill","last_update":"2019-08-10T10:00:00Z","markets":[{"key":"h2h",
                "last_update":"2019-08-10T10:00:00Z","outcomes":[{"name":"West Ham United","price":11.0},
                {"name":"Manchester City","price":1.25},{"name":"Draw","price":6.0}]}]}]}]
            """.formatted(ODDS_ID_1, ODDS_ID_2);

    /** The Odds API's scores of the same two matches, completed. */
    private static final String SCORES = """
            [{"id":"%s","sport_key":"soccer_epl","sport_title":"EPL","commence_time":"2019-08-09T19:00:00Z","completed":true,
              "home_team":"Liverpool","away_team":"Norwich City","scores":[{"name":"Liverpool","score":"4"},
              {"name":"Norwich City","score":"1"}],"last_update":"2019-08-09T21:05:00Z"},
             {"id":"%s","sport_key":"soccer_epl","sport_title":"EPL","commence_time":"2019-08-10T11:30:00Z","completed":true,
              "home_team":"West Ham United","away_team":"Manchester City","scores":[{"name":"West Ham United","score":"0"},
              {"name":"Manchester City","score":"5"}],"last_update":"2019-08-10T13:35:00Z"}]
            """.formatted(ODDS_ID_1, ODDS_ID_2);

    /** football-data.org's matches of the same two fixtures, finished. */
    private static final String MATCHES = """
            {"filters":{"season":"2019"},"resultSet":{"count":2,"first":"2019-08-09","last":"2019-08-10","played":2},
             "competition":{"id":2021,"name":"Premier League","code":"PL","type":"LEAGUE"},
             "matches":[
              {"area":{"id":2072,"name":"England","code":"ENG"},"competition":{"id":2021,"name":"Premier League","code":"PL","type":"LEAGUE"},
               "season":{"id":468,"startDate":"2019-08-09","endDate":"2020-07-26","currentMatchday":38,"winner":null},
               "id":264341,"utcDate":"2019-08-09T19:00:00Z","status":"FINISHED","matchday":1,"stage":"REGULAR_SEASON","group":null,
               "lastUpdated":"2020-09-10T16:05:03Z",
               "homeTeam":{"id":64,"name":"Liverpool FC","shortName":"Liverpool","tla":"LIV","crest":"https://crests.football-data.org/64.png"},
               "awayTeam":{"id":68,"name":"Norwich City FC","shortName":"Norwich","tla":"NOR","crest":"https://crests.football-data.org/68.png"},
               "score":{"winner":"HOME_TEAM","duration":"REGULAR","fullTime":{"home":4,"away":1},"halfTime":{"home":4,"away":0}},
               "odds":{"msg":"Activate Odds-Package in User-Panel to retrieve odds."},"referees":[]},
              {"area":{"id":2072,"name":"England","code":"ENG"},"competition":{"id":2021,"name":"Premier League","code":"PL","type":"LEAGUE"},
               "season":{"id":468,"startDate":"2019-08-09","endDate":"2020-07-26","currentMatchday":38,"winner":null},
               "id":264342,"utcDate":"2019-08-10T11:30:00Z","status":"FINISHED","matchday":1,"stage":"REGULAR_SEASON","group":null,
               "lastUpdated":"2020-09-10T16:05:03Z",
               "homeTeam":{"id":563,"name":"West Ham United FC","shortName":"West Ham","tla":"WHU","crest":"https://crests.football-data.org/563.png"},
               "awayTeam":{"id":65,"name":"Manchester City FC","shortName":"Man City","tla":"MCI","crest":"https://crests.football-data.org/65.png"},
               "score":{"winner":"AWAY_TEAM","duration":"REGULAR","fullTime":{"home":0,"away":5},"halfTime":{"home":0,"away":1}},
               "odds":{"msg":"Activate Odds-Package in User-Panel to retrieve odds."},"referees":[]}]}
            """;

    /** Two historical snapshots of 9 August 2019: Betfair's price for Liverpool - Norwich at 12:00 and at 18:00. */
    private static String snapshot(String timestamp, String previous, String next, String price) {
        return """
                {"timestamp":"%s","previous_timestamp":"%s","next_timestamp":"%s","data":[
                 {"id":"%s","sport_key":"soccer_epl","sport_title":"EPL","commence_time":"2019-08-09T19:00:00Z",
                  "home_team":"Liverpool","away_team":"Norwich City","bookmakers":[
                   {"key":"betfair_ex_uk","title":"Betfair","last_update":"%s","markets":[{"key":"h2h","last_update":"%s",
                    "outcomes":[{"name":"Liverpool","price":%s},{"name":"Norwich City","price":21.0},{"name":"Draw","price":9.4}]}]}]}]}
                """.formatted(timestamp, previous, next, ODDS_ID_1, timestamp, timestamp, price);
    }

    static LocalPipeline pipeline;
    static HttpServer providers;
    static final List<String> requests = new ArrayList<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(new LocalPipeline.Options(LocalStackConfig.defaults().withFreePorts(), 0, "sink-secret", 500, -1));
        providers = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        providers.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getQuery();
            synchronized (requests) {
                requests.add(path);
            }
            String body;
            if (path.equals("/v4/sports/soccer_epl/odds")) {
                body = ODDS;
            } else if (path.equals("/v4/sports/soccer_epl/scores")) {
                body = SCORES;
            } else if (path.equals("/v4/historical/sports/soccer_epl/odds")) {
                body = query.contains("date=2019-08-09T12:00:00Z")
                        ? snapshot("2019-08-09T12:00:00Z", "2019-08-09T06:00:00Z", "2019-08-09T18:00:00Z", "1.12")
                        : snapshot("2019-08-09T18:00:00Z", "2019-08-09T12:00:00Z", "2019-08-10T00:00:00Z", "1.18");
            } else if (path.equals("/v4/competitions/PL/matches")) {
                body = MATCHES;
            } else {
                body = null;
            }
            byte[] bytes = (body == null ? "{\"message\":\"not found\"}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("x-requests-remaining", "480");
            exchange.getResponseHeaders().set("x-requests-used", "20");
            exchange.getResponseHeaders().set("x-requests-last", "2");
            exchange.getResponseHeaders().set("X-Requests-Available-Minute", "9");
            exchange.getResponseHeaders().set("X-RequestCounter-Reset", "41");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        providers.start();
    }

    @AfterAll
    static void stop() {
        if (providers != null) {
            providers.stop(0);
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void theSameMatchFromTheCsvTheOddsApiAndFootballDataOrgIsOneEventWithEveryonesData() throws Exception {
        assertThat(pipeline.replay(List.of(LocalPipelineIT.DATA.resolve("E0_2019-20.csv")), true).recordsPublished()).isEqualTo(380);
        String base = "http://127.0.0.1:" + providers.getAddress().getPort();
        Path config = dir.resolve("ingest.properties");
        Files.writeString(config, String.join("\n",
                "kafka.bootstrap.servers=" + pipeline.stack().bootstrapServers(),
                "the-odds-api.url=" + base, "the-odds-api.key=providers-it-key", "the-odds-api.sports=soccer_epl",
                "football-data-org.url=" + base, "football-data-org.key=providers-it-token", "football-data-org.competitions=PL",
                "football-data-org.season=2019", "http.retry.max-attempts=1", ""));

        ingest("poll", "--provider", "the-odds-api", "--once", "--config", config.toString());
        ingest("poll", "--provider", "football-data-org", "--once", "--config", config.toString());
        ingest("history", "--provider", "the-odds-api", "--sport", "soccer_epl", "--from", "2019-08-09T12:00:00Z",
                "--to", "2019-08-09T18:00:00Z", "--config", config.toString());
        pipeline.awaitLanded(Duration.ofMinutes(3));

        try (Connection db = pipeline.connection(); Statement sql = db.createStatement()) {
            // One event per match: the season's 380, no more; the season's 20 teams, no more.
            assertThat(single(sql, "SELECT count(*) FROM events")).isEqualTo("380");
            assertThat(single(sql, "SELECT count(*) FROM entities")).isEqualTo("20");
            assertThat(single(sql, "SELECT count(*) FROM events_enriched")).isEqualTo("380");
            // Each match carries every provider's reference, the result and the half-time score.
            assertThat(rows(sql, "SELECT id, status, home_score, away_score, half_time_home_score, half_time_away_score, provider_refs "
                    + "FROM events WHERE id IN ('" + LIVERPOOL_NORWICH + "', '" + WEST_HAM_CITY + "') ORDER BY kickoff"))
                    .containsExactly(
                            LIVERPOOL_NORWICH + "|FINISHED|4|1|4|0|[\"football-data-org:264341\",\"football-data:E0/09/08/2019/Liverpool/Norwich\",\"the-odds-api:" + ODDS_ID_1 + "\"]",
                            WEST_HAM_CITY + "|FINISHED|0|5|0|1|[\"football-data-org:264342\",\"football-data:E0/10/08/2019/West Ham/Man City\",\"the-odds-api:" + ODDS_ID_2 + "\"]");
            // Return rates from both odds sources, each with its bookmakers; the history's at the latest snapshot's time.
            assertThat(rows(sql, "SELECT bookmaker, provider, quoted_at AT TIME ZONE 'UTC', home FROM return_rates WHERE event_id = '"
                    + LIVERPOOL_NORWICH + "' AND provider = 'the-odds-api' ORDER BY bookmaker"))
                    .containsExactly("BETFAIR_EX_UK|the-odds-api|2019-08-09 18:00:00|1.180000",
                            "PINNACLE|the-odds-api|2019-08-09 18:30:00|1.160000",
                            "WILLIAMHILL|the-odds-api|2019-08-09 17:00:00|1.150000");
            assertThat(single(sql, "SELECT count(DISTINCT provider) FROM return_rates WHERE event_id = '" + LIVERPOOL_NORWICH + "'"))
                    .isEqualTo("2");
            // The enrichment joins them all as of the event's time: the CSV's bookmakers and the API's three.
            int csvBookmakers = Integer.parseInt(single(sql, "SELECT count(*) FROM return_rates WHERE event_id = '"
                    + LIVERPOOL_NORWICH + "' AND provider = 'football-data'"));
            assertThat(single(sql, "SELECT bookmakers FROM events_enriched WHERE event_id = '" + LIVERPOOL_NORWICH + "'"))
                    .isEqualTo(Integer.toString(csvBookmakers + 3));
            // Zero orphans: every rate's event and every event's teams are there.
            assertThat(single(sql, "SELECT count(*) FROM return_rates r LEFT JOIN events e ON e.id = r.event_id WHERE e.id IS NULL"))
                    .isEqualTo("0");
            assertThat(single(sql, "SELECT count(*) FROM events e LEFT JOIN entities h ON h.id = e.home_entity_id "
                    + "LEFT JOIN entities a ON a.id = e.away_entity_id WHERE h.id IS NULL OR a.id IS NULL")).isEqualTo("0");
            assertThat(single(sql, "SELECT count(*) FROM quarantine")).isEqualTo("0");
            assertThat(rows(sql, "SELECT provider, status, records_published FROM ingest_runs WHERE provider <> 'football-data' ORDER BY provider, records_published"))
                    .containsExactly("football-data-org|SUCCEEDED|2", "the-odds-api|SUCCEEDED|2", "the-odds-api|SUCCEEDED|4");
        }
        synchronized (requests) {
            assertThat(requests).contains("/v4/sports/soccer_epl/odds", "/v4/sports/soccer_epl/scores",
                    "/v4/historical/sports/soccer_epl/odds", "/v4/competitions/PL/matches");
        }
    }

    private static void ingest(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new IngestMain());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        assertThat(exit).as(String.join(" ", args) + "\n" + out + err).isZero();
        assertThat(out + err.toString()).doesNotContain("providers-it-key", "providers-it-token");
    }

    private static String single(Statement sql, String query) throws Exception {
        try (ResultSet rows = sql.executeQuery(query)) {
            assertThat(rows.next()).as(query).isTrue();
            return rows.getString(1);
        }
    }

    private static List<String> rows(Statement sql, String query) throws Exception {
        List<String> result = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery(query)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(rows.getString(i));
                }
                result.add(String.join("|", values));
            }
        }
        return result;
    }
}
