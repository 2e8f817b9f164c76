package dev.eventflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventflow.localstack.LocalStackConfig;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.topics.TopicDefinition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import dev.eventflow.testing.SqlRows;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline end to end on real parts: producer, broker, stream processor, Connect with the
 * Debezium JDBC sink, PostgreSQL. The tests share one pipeline and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalPipelineIT {

    static final Path DATA = (Files.isDirectory(Path.of("..", "data", "football-data"))
            ? Path.of("..", "data", "football-data") : Path.of("data", "football-data")).toAbsolutePath().normalize();
    static final List<Path> SEASONS = List.of(DATA.resolve("E0_2004-05.csv"), DATA.resolve("SP1_2012-13.csv"), DATA.resolve("E0_2019-20.csv"));
    static final Duration LANDED = Duration.ofMinutes(4);
    static LocalPipeline pipeline;
    static Map<String, List<List<String>>> afterFirstReplay;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(new LocalPipeline.Options(LocalStackConfig.defaults().withFreePorts(), 0, "sink-secret", 500, 0));
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    @Order(1)
    void shouldLoadTheThreeSampleSeasonsIntoExactRows() throws Exception {
        pipeline.replay(SEASONS, true);
        pipeline.awaitLanded(LANDED);

        // One row per key: 8,732 return-rate keys (2,658 + 3,794 + 380 matches x 6 bookmakers in 2019-20, whose
        // closing quotes replaced the opening ones in place), out of the 10,917 records on return-rates.clean
        assertThat(pipeline.rowCounts()).isEqualTo(counts(48, 1140, 8732, 1140, 0, 1));
        assertThat(rows("SELECT home_name, away_name, status, home_score, away_score, half_time_home_score, half_time_away_score "
                + "FROM events WHERE id = 'football:e0:2019-08-09:liverpool:norwich-city'"))
                .containsExactly(List.of("Liverpool", "Norwich City", "FINISHED", "4", "1", "4", "0"));
        // B365's closing prices, and 1 / (1/1.14 + 1/9.5 + 1/21) = 0.970803 (worked out by hand)
        assertThat(rows("SELECT home, draw, away, payout FROM return_rates WHERE id = 'football:e0:2019-08-09:liverpool:norwich-city|B365|1X2'"))
                .containsExactly(List.of("1.140000", "9.500000", "21.000000", "0.970803"));
        assertThat(rows("SELECT bookmakers, best_home, best_draw, best_away, best_payout, avg_payout FROM events_enriched "
                + "WHERE event_id = 'football:e0:2019-08-09:liverpool:norwich-city'"))
                .containsExactly(List.of("6", "1.150000", "10.430000", "23.000000", "0.991158", "0.964403"));
        assertThat(rows("SELECT status, records_read, records_published FROM ingest_runs"))
                .containsExactly(List.of("SUCCEEDED", "1140", "1140"));
        afterFirstReplay = snapshot();
    }

    @Test
    @Order(2)
    void shouldLeaveEveryTableIdenticalWhenTheSameDataIsReplayedAgain() throws Exception {
        pipeline.replay(SEASONS, true);
        pipeline.awaitLanded(LANDED);

        assertThat(snapshot()).isEqualTo(afterFirstReplay);
        assertThat(pipeline.rowCounts().get("ingest_runs")).isEqualTo(2);
    }

    @Test
    @Order(3)
    void shouldNotLetAnOlderCopyOfASeasonMoveAnyRowBackInTime() throws Exception {
        // An older download of E0 2019-20: the first 50 matches, with no closing prices yet and B365's opening home
        // price 0.01 higher (a plausible earlier quote)
        Path older = dir.resolve("E0_2019-20_old.csv");
        List<String> lines = Files.readAllLines(DATA.resolve("E0_2019-20.csv"), StandardCharsets.UTF_8);
        List<String> header = List.of(lines.get(0).split(",", -1));
        int closing = header.indexOf("B365CH");
        List<String> copy = new ArrayList<>();
        copy.add(String.join(",", header.subList(0, closing)));
        for (String line : lines.subList(1, 51)) {
            List<String> fields = new ArrayList<>(List.of(line.split(",", -1)).subList(0, closing));
            int home = header.indexOf("B365H");
            fields.set(home, new java.math.BigDecimal(fields.get(home)).add(new java.math.BigDecimal("0.01")).toPlainString());
            copy.add(String.join(",", fields));
        }
        Files.write(older, copy, StandardCharsets.UTF_8);

        pipeline.replay(List.of(older), true);
        pipeline.awaitLanded(LANDED);

        assertThat(snapshot()).isEqualTo(afterFirstReplay);
    }

    @Test
    @Order(4)
    void shouldQuarantineMalformedRecordsWithTheirReasonsAndKeepRunning() throws Exception {
        TopicDefinition<String, RawEnvelope> raw = pipeline.stack().topics().eventsRaw();
        ObjectNode noAwayTeam = (ObjectNode) dev.eventflow.model.serde.Json.mapper().readTree(
                "{\"Div\":\"E0\",\"Date\":\"01/01/2030\",\"HomeTeam\":\"Liverpool\",\"FTHG\":\"1\",\"FTAG\":\"0\"}");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.stack().bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(raw.name(), "bad-1".getBytes(StandardCharsets.UTF_8), "not json".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(raw.name(), "bad-2".getBytes(StandardCharsets.UTF_8), raw.valueSerde().serializer().serialize(raw.name(),
                    new RawEnvelope("football-data", "test", 2L, null, "test", Instant.now(), null, noAwayTeam)))).get();
        }
        pipeline.awaitLanded(LANDED);

        Map<String, Long> reasons = pipeline.deadLettersByReason();
        assertThat(reasons).hasSize(2).containsEntry("validate: missing field AwayTeam", 1L);
        assertThat(reasons.keySet()).anyMatch(reason -> reason.startsWith("deserialize: Malformed RawEnvelope JSON"));
        List<List<String>> quarantine = rows("SELECT stage, provider, source_topic, value_text FROM quarantine ORDER BY stage");
        assertThat(quarantine.get(0)).isEqualTo(java.util.Arrays.asList("deserialize", null, raw.name(), "not json"));
        assertThat(quarantine.get(1).subList(0, 3)).isEqualTo(List.of("validate", "football-data", raw.name()));
        assertThat(quarantine.get(1).get(3)).contains("\"HomeTeam\":\"Liverpool\"");
        // and the pipeline goes on: a good row after them lands
        Path one = dir.resolve("one.csv");
        Files.writeString(one, "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG\nE0,02/01/2030,Arsenal,Chelsea,2,2\n");
        pipeline.replay(List.of(one), true);
        pipeline.awaitLanded(LANDED);
        assertThat(rows("SELECT home_score, away_score FROM events WHERE id = 'football:e0:2030-01-02:arsenal:chelsea'"))
                .containsExactly(List.of("2", "2"));
    }

    @Test
    @Order(5)
    void shouldLoadAFileOfAnotherLeagueAndEraItHasNeverSeen() throws Exception {
        // A Bundesliga-style file from 1995: other columns in another order, other bookmakers, two-digit years,
        // a blank row, a closing price set, and a column the format never had
        Path file = dir.resolve("D1_1995-96.csv");
        Files.writeString(file, String.join("\r\n",
                "Date,Div,AwayTeam,HomeTeam,FTAG,FTHG,FTR,IWH,IWD,IWA,SBH,SBD,SBA,SBCH,SBCD,SBCA,Attendance",
                "18/08/95,D1,Bayern Munich,Hamburg,2,0,A,4.20,3.30,1.75,4.0,3.25,1.80,4.5,3.4,1.7,57000",
                ",,,,,,,,,,,,,,,,",
                "19/08/95,D1,Dortmund,Schalke 04,1,1,D,2.60,3.10,2.50,,,,,,,61000",
                ""), StandardCharsets.UTF_8);

        pipeline.replay(List.of(file), true);
        pipeline.awaitLanded(LANDED);

        assertThat(rows("SELECT id, kickoff, home_score, away_score, status FROM events WHERE competition = 'D1' ORDER BY id"))
                .containsExactly(
                        List.of("football:d1:1995-08-18:hamburger-sv:bayern-munich", "1995-08-18 00:00:00+00", "0", "2", "FINISHED"),
                        List.of("football:d1:1995-08-19:schalke-04:borussia-dortmund", "1995-08-19 00:00:00+00", "1", "1", "FINISHED"));
        // SB's closing prices replaced its opening ones; the second match has IW only (SB left blank)
        assertThat(rows("SELECT id, home, draw, away FROM return_rates WHERE event_id LIKE 'football:d1:%' ORDER BY id"))
                .containsExactly(
                        List.of("football:d1:1995-08-18:hamburger-sv:bayern-munich|IW|1X2", "4.200000", "3.300000", "1.750000"),
                        List.of("football:d1:1995-08-18:hamburger-sv:bayern-munich|SB|1X2", "4.500000", "3.400000", "1.700000"),
                        List.of("football:d1:1995-08-19:schalke-04:borussia-dortmund|IW|1X2", "2.600000", "3.100000", "2.500000"));
        assertThat(rows("SELECT status, records_read, records_published, skipped_by_reason FROM ingest_runs WHERE source LIKE '%D1_1995-96.csv'"))
                .containsExactly(List.of("SUCCEEDED", "3", "2", "{\"blank row\":1}"));
    }

    @Test
    @Order(6)
    void shouldReprocessTheRawTopicsWithARenamedEntityAfterAReset() throws Exception {
        Map<String, Long> before = pipeline.rowCounts();
        Map<String, List<List<String>>> tablesBefore = snapshot();
        long ratesOfTheTeam = Long.parseLong(rows("SELECT count(*) FROM return_rates WHERE event_id IN (SELECT id FROM events "
                + "WHERE 'football:manchester-united' IN (home_entity_id, away_entity_id))").get(0).get(0));
        // The processor's settings as a file, for the command
        Path config = dir.resolve("processor.properties");
        java.util.Properties settings = new java.util.Properties();
        settings.putAll(pipeline.processorConfig().config().asMap());
        try (var out = Files.newOutputStream(config)) {
            settings.store(out, null);
        }
        Path stateDir = Path.of(pipeline.processorConfig().streamsProperties().getProperty("state.dir"))
                .resolve(pipeline.processorConfig().applicationId());
        assertThat(stateDir).isDirectory();

        // Given a stopped processor and an alias file that renames Man United
        pipeline.stopProcessor();
        Path aliases = dir.resolve("aliases.txt");
        Files.writeString(aliases, "[football]\nManchester United FC = Man United, Man Utd, Manchester Utd\n");

        // When the processor is reset and started again with the alias file
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine command = dev.eventflow.processor.app.StreamProcessorMain.commandLine();
        command.setOut(new java.io.PrintWriter(out, true));
        command.setErr(new java.io.PrintWriter(err, true));
        assertThat(command.execute("reset", "--config", config.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("Reset of eventflow-stream-processor:\n")
                .contains("  local state " + stateDir + ": removed\n");
        assertThat(stateDir).doesNotExist();
        pipeline.startProcessor(pipeline.processorConfig().with(dev.eventflow.processor.ProcessorConfig.ALIASES_FILE, aliases.toString()));
        pipeline.awaitLanded(LANDED);

        // Then the raw topics were reprocessed: the team is an entity under its new name, and its 76 matches
        // (38 in each E0 season) are events of the new entity, with new ids
        assertThat(rows("SELECT id, sport, name, normalized_name FROM entities WHERE id LIKE 'football:manchester-united%' ORDER BY id"))
                .containsExactly(
                        List.of("football:manchester-united", "football", "Manchester United", "manchester-united"),
                        List.of("football:manchester-united-fc", "football", "Manchester United FC", "manchester-united-fc"));
        assertThat(rows("SELECT id, home_entity_id, away_entity_id, home_name, away_name, home_score, away_score FROM events "
                + "WHERE id LIKE 'football:e0:2019-08-11:manchester-united%' ORDER BY id"))
                .containsExactly(
                        List.of("football:e0:2019-08-11:manchester-united-fc:chelsea", "football:manchester-united-fc",
                                "football:chelsea", "Manchester United FC", "Chelsea", "4", "0"),
                        List.of("football:e0:2019-08-11:manchester-united:chelsea", "football:manchester-united",
                                "football:chelsea", "Manchester United", "Chelsea", "4", "0"));
        assertThat(rows("SELECT count(*) FROM events WHERE 'football:manchester-united-fc' IN (home_entity_id, away_entity_id)"))
                .containsExactly(List.of("76"));
        assertThat(rows("SELECT count(*) FROM events_enriched WHERE 'football:manchester-united-fc' IN (home_entity_id, away_entity_id)"))
                .containsExactly(List.of("76"));
        // The rows under the old name stay: nothing on the clean topics deletes them (docs/stream-processor.md)
        assertThat(rows("SELECT count(*) FROM events WHERE 'football:manchester-united' IN (home_entity_id, away_entity_id)"))
                .containsExactly(List.of("76"));
        // and every other row is exactly as before (but for the entities' updated_at: an entity is written when first
        // seen, and which of its matches is processed first depends on how the raw partitions interleave, which differs
        // between the first run and a reprocessing of all of it); the two dead letters were quarantined a second time
        Map<String, Long> after = pipeline.rowCounts();
        assertThat(after).isEqualTo(counts(before.get("entities") + 1, before.get("events") + 76,
                before.get("return_rates") + ratesOfTheTeam, before.get("events_enriched") + 76, before.get("quarantine") + 2,
                before.get("ingest_runs")));
        Map<String, List<List<String>>> tablesAfter = snapshot();
        for (Map<String, List<List<String>>> tables : List.of(tablesBefore, tablesAfter)) {
            tables.put("entities", tables.get("entities").stream().map(row -> row.subList(0, 4)).toList());
        }
        for (String table : List.of("entities", "events", "return_rates", "events_enriched")) {
            assertThat(tablesAfter.get(table).stream().filter(row -> !String.valueOf(row).contains("manchester-united-fc")).toList())
                    .as(table).isEqualTo(tablesBefore.get(table));
        }
    }

    @Test
    @Order(7)
    void shouldMoveTheEventsOfAnUnknownNameToItsCanonicalEntityWhenAnAliasIsAdded() throws Exception {
        // Given one file naming Arsenal, with Bet365's prices, and another naming the same club by a spelling no alias
        // knows, with William Hill's prices for that match and for two more
        Path arsenal = dir.resolve("E0_2031_arsenal.csv");
        Files.writeString(arsenal, "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,B365H,B365D,B365A\n"
                + "E0,09/01/2031,Arsenal,Chelsea,2,1,2.10,3.50,3.40\n");
        Path unknown = dir.resolve("E0_2031_unknown.csv");
        Files.writeString(unknown, "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,WHH,WHD,WHA\n"
                + "E0,09/01/2031,Gunners Town,Chelsea,2,1,2.20,3.40,3.30\n"
                + "E0,16/01/2031,Everton,Gunners Town,0,0,3.10,3.30,2.30\n"
                + "E0,23/01/2031,Gunners Town,Liverpool,1,3,3.60,3.60,1.95\n");
        pipeline.replay(List.of(arsenal, unknown), true);
        pipeline.awaitLanded(LANDED);
        long entities = pipeline.rowCounts().get("entities");
        long events = pipeline.rowCounts().get("events");
        assertThat(rows("SELECT sport, name, entity_id, provider_refs, events FROM unresolved_names"))
                .containsExactly(List.of("football", "Gunners Town", "football:gunners-town", "[]", "3"));

        // When the alias is added
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        assertThat(AliasesMain.run(new String[] {"add", "--bootstrap-servers", pipeline.stack().bootstrapServers(),
                "Gunners Town", "Arsenal"}, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true)))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("Alias added: football 'Gunners Town' is 'Arsenal'.");
        Instant added = Instant.now();
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> rows("SELECT count(*) FROM events WHERE id LIKE '%gunners-town%'").equals(List.of(List.of("0")))
                        && rows("SELECT count(*) FROM unresolved_names").equals(List.of(List.of("0"))));
        pipeline.awaitLanded(LANDED);
        System.out.printf("Alias to rows: the three events moved and the old rows deleted %.1f s after 'aliases add'%n",
                Duration.between(added, Instant.now()).toMillis() / 1000.0);

        // Then the unknown spelling's entity and rows are gone, the shared match is one event with both files' references
        // and both bookmakers, and the other two are Arsenal's
        assertThat(rows("SELECT count(*) FROM entities WHERE id = 'football:gunners-town'")).containsExactly(List.of("0"));
        assertThat(rows("SELECT count(*) FROM return_rates WHERE id LIKE '%gunners-town%'")).containsExactly(List.of("0"));
        assertThat(rows("SELECT count(*) FROM events_enriched WHERE event_id LIKE '%gunners-town%'")).containsExactly(List.of("0"));
        assertThat(rows("SELECT id, home_name, away_name, home_score, away_score, provider_refs FROM events "
                + "WHERE id LIKE 'football:e0:2031-01-%' ORDER BY id"))
                .containsExactly(
                        List.of("football:e0:2031-01-09:arsenal:chelsea", "Arsenal", "Chelsea", "2", "1",
                                "[\"football-data:E0/09/01/2031/Arsenal/Chelsea\",\"football-data:E0/09/01/2031/Gunners Town/Chelsea\"]"),
                        List.of("football:e0:2031-01-16:everton:arsenal", "Everton", "Arsenal", "0", "0",
                                "[\"football-data:E0/16/01/2031/Everton/Gunners Town\"]"),
                        List.of("football:e0:2031-01-23:arsenal:liverpool", "Arsenal", "Liverpool", "1", "3",
                                "[\"football-data:E0/23/01/2031/Gunners Town/Liverpool\"]"));
        assertThat(rows("SELECT id, home, draw, away FROM return_rates WHERE event_id LIKE 'football:e0:2031-01-%' ORDER BY id"))
                .containsExactly(
                        List.of("football:e0:2031-01-09:arsenal:chelsea|B365|1X2", "2.100000", "3.500000", "3.400000"),
                        List.of("football:e0:2031-01-09:arsenal:chelsea|WH|1X2", "2.200000", "3.400000", "3.300000"),
                        List.of("football:e0:2031-01-16:everton:arsenal|WH|1X2", "3.100000", "3.300000", "2.300000"),
                        List.of("football:e0:2031-01-23:arsenal:liverpool|WH|1X2", "3.600000", "3.600000", "1.950000"));
        assertThat(rows("SELECT event_id, bookmakers, best_home FROM events_enriched WHERE event_id LIKE 'football:e0:2031-01-%' "
                + "ORDER BY event_id"))
                .containsExactly(
                        List.of("football:e0:2031-01-09:arsenal:chelsea", "2", "2.200000"),
                        List.of("football:e0:2031-01-16:everton:arsenal", "1", "3.100000"),
                        List.of("football:e0:2031-01-23:arsenal:liverpool", "1", "3.600000"));
        assertThat(pipeline.rowCounts().get("entities")).isEqualTo(entities - 1);
        assertThat(pipeline.rowCounts().get("events")).isEqualTo(events - 1);
        assertThat(rows("SELECT count(*) FROM unresolved_names")).containsExactly(List.of("0"));
    }

    @Test
    @Order(8)
    void shouldNeverTurnAFinishedMatchBackNorEraseItsScoreWhenALaterSnapshotLacksTheResult() throws Exception {
        String id = "football:e0:2019-08-09:liverpool:norwich-city";
        List<List<String>> before = rows("SELECT status, home_score, away_score, half_time_home_score, half_time_away_score "
                + "FROM events WHERE id = '" + id + "'");
        assertThat(before).containsExactly(List.of("FINISHED", "4", "1", "4", "0"));
        // Given a football-data.org snapshot of the match taken after the result (a provider that has it as
        // scheduled, without a score), newer than everything the CSV said
        TopicDefinition<String, RawEnvelope> raw = pipeline.stack().topics().eventsRaw();
        ObjectNode stale = (ObjectNode) dev.eventflow.model.serde.Json.mapper().readTree("""
                {"id":264341,"utcDate":"2019-08-09T19:00:00Z","status":"TIMED","lastUpdated":"2019-08-12T08:00:00Z",
                 "competition":{"id":2021,"name":"Premier League","code":"PL"},
                 "homeTeam":{"id":64,"name":"Liverpool FC","shortName":"Liverpool","tla":"LIV"},
                 "awayTeam":{"id":68,"name":"Norwich City FC","shortName":"Norwich","tla":"NOR"},
                 "score":{"winner":null,"duration":"REGULAR","fullTime":{"home":null,"away":null},"halfTime":{"home":null,"away":null}}}
                """);
        try (KafkaProducer<String, RawEnvelope> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.stack().bootstrapServers()), raw.keySerde().serializer(),
                raw.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(raw.name(), "football-data-org:264341", new RawEnvelope("football-data-org",
                    "https://api.football-data.org/v4/competitions/PL/matches", null, null, "regression-it", Instant.now(),
                    Instant.parse("2019-08-12T08:00:00Z"), stale))).get();
        }
        pipeline.awaitLanded(LANDED);

        // Then the match is still FINISHED 4-1 (4-0 at half time), and it gained the provider's reference and time
        assertThat(rows("SELECT status, home_score, away_score, half_time_home_score, half_time_away_score, provider_refs, updated_at "
                + "FROM events WHERE id = '" + id + "'"))
                .containsExactly(List.of("FINISHED", "4", "1", "4", "0",
                        "[\"football-data-org:264341\",\"football-data:E0/09/08/2019/Liverpool/Norwich\"]", "2019-08-12 08:00:00+00"));
        assertThat(rows("SELECT status, home_score, away_score FROM events_enriched WHERE event_id = '" + id + "'"))
                .containsExactly(List.of("FINISHED", "4", "1"));
        // and the two teams gained football-data.org's ids
        assertThat(rows("SELECT id, provider_refs FROM entities WHERE id IN ('football:liverpool', 'football:norwich-city') ORDER BY id"))
                .containsExactly(List.of("football:liverpool", "[\"football-data-org:64\"]"),
                        List.of("football:norwich-city", "[\"football-data-org:68\"]"));
    }

    static Map<String, Long> counts(long entities, long events, long rates, long enriched, long quarantine, long runs) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("entities", entities);
        counts.put("events", events);
        counts.put("return_rates", rates);
        counts.put("events_enriched", enriched);
        counts.put("quarantine", quarantine);
        counts.put("ingest_runs", runs);
        return counts;
    }

    /** Every row of the data tables, in key order. */
    static Map<String, List<List<String>>> snapshot() throws SQLException {
        return snapshot(pipeline);
    }

    /** Every row of the data tables of {@code of}, in key order. */
    static Map<String, List<List<String>>> snapshot(LocalPipeline of) throws SQLException {
        Map<String, List<List<String>>> tables = new LinkedHashMap<>();
        tables.put("entities", rows(of, "SELECT * FROM entities ORDER BY id"));
        tables.put("events", rows(of, "SELECT * FROM events ORDER BY id"));
        tables.put("return_rates", rows(of, "SELECT * FROM return_rates ORDER BY id"));
        tables.put("events_enriched", rows(of, "SELECT * FROM events_enriched ORDER BY event_id"));
        tables.put("quarantine", rows(of, "SELECT reason FROM quarantine ORDER BY 1"));
        return tables;
    }

    static List<List<String>> rows(String query) throws SQLException {
        return rows(pipeline, query);
    }

    static List<List<String>> rows(LocalPipeline of, String query) throws SQLException {
        var stack = of.stack();
        return SqlRows.query(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), query);
    }
}
