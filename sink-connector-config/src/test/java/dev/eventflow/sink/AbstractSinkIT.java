package dev.eventflow.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eventflow.model.DeadLetter;
import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.model.Entity;
import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.IngestRunStatus;
import dev.eventflow.model.QualityRunScore;
import dev.eventflow.model.QualityScore;
import dev.eventflow.model.QualityScore.Dimension;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.sink.connectors.ConnectClient;
import dev.eventflow.sink.connectors.ConnectorConfigs;
import dev.eventflow.sink.connectors.ConnectorDeployer;
import dev.eventflow.sink.schema.SchemaMigrator;
import dev.eventflow.testing.IsolatedTopics;
import dev.eventflow.testing.LocalStackExtension;
import dev.eventflow.testing.SqlRows;
import dev.eventflow.testing.TopicClient;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

/**
 * The clean topics through a real Connect worker and one flavour of the shipped sink connectors into a
 * real PostgreSQL: the same rows whichever sink writes them. Tests run in order, on a stack of their own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractSinkIT {

    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final Instant T = Instant.parse("2019-08-09T19:00:00Z");
    static final String SINK_ROLE = "eventflow_sink";
    EventflowTopics topics;
    private LocalStackExtension stack;

    /** The connector flavour under test: a folder of {@code connectors/}. */
    abstract String flavour();

    /** The running stack of the concrete test class. */
    abstract LocalStackExtension stackExtension();

    @BeforeAll
    void deploy() throws Exception {
        stack = stackExtension();
        LocalStackExtension STACK = stack;
        assertThat(SchemaMigrator.migrate(STACK.stack().jdbcUrl(), STACK.stack().jdbcUser(), STACK.stack().jdbcPassword(),
                SINK_ROLE, "sink-secret")).isEqualTo(6);
        topics = IsolatedTopics.create(STACK.cluster()).topics();
        var configs = ConnectorConfigs.render(flavour(), topics, new ConnectorConfigs.Settings(STACK.stack().jdbcUrl(), SINK_ROLE,
                1, 500, "sink-dlq-" + topics.eventsClean().name(), 1));
        new ConnectorDeployer(new ConnectClient(STACK.stack().connectUrl()), Duration.ofSeconds(1), Duration.ofSeconds(30))
                .deploy(configs, TIMEOUT);
    }

    @Test
    @Order(1)
    void shouldUpsertEveryCleanTopicIntoItsTableAndDeleteOnATombstone() throws Exception {
        LocalStackExtension STACK = stack;
        TopicClient client = new TopicClient(STACK.cluster());
        Event scheduled = new Event("e1", "football", "E0", T, "football:liverpool", "football:norwich-city", "Liverpool",
                "Norwich City", EventStatus.SCHEDULED, null, null, null, null, List.of("synthetic:1"), T.minusSeconds(3600));
        Event finished = new Event("e1", "football", "E0", T, "football:liverpool", "football:norwich-city", "Liverpool",
                "Norwich City", EventStatus.FINISHED, 4, 1, 4, 0, List.of("football-data:x"), T.plusSeconds(7200));
        Event other = new Event("e2", "football", "E0", T, "football:arsenal", "football:everton", "Arsenal", "Everton",
                EventStatus.SCHEDULED, null, null, null, null, List.of(), T);
        client.produce(topics.entitiesClean(),
                Map.entry("football:liverpool", new Entity("football:liverpool", "football", "Liverpool", "liverpool", T)));
        client.produce(topics.eventsClean(), Map.entry("e1", scheduled), Map.entry("e1", finished), Map.entry("e2", other));
        client.produce(topics.returnRatesClean(), Map.entry("e1|B365|1X2", new ReturnRate("e1|B365|1X2", "e1", "B365", "1X2", T,
                new BigDecimal("1.14"), new BigDecimal("9.5"), new BigDecimal("21"), new BigDecimal("0.877193"),
                new BigDecimal("0.105263"), new BigDecimal("0.047619"), new BigDecimal("0.970803"), "football-data")));
        client.produce(topics.eventsEnriched(), Map.entry("e1", new EnrichedEvent("e1", "football", "E0", T, "football:liverpool",
                "football:norwich-city", EventStatus.FINISHED, 4, 1, 0, null, null, null, null, null, null, null, null,
                T.plusSeconds(7200))));
        client.produce(topics.ingestRuns(), Map.entry("run-1", new IngestRun("run-1", "replay", "football-data", "E0.csv",
                IngestRunStatus.SUCCEEDED, T, T.plusSeconds(3), 381, 380, 1, Map.of("blank row", 1L), Map.of(), null)));
        produceDeadLetter();

        await("rows in every table").atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(rows("SELECT id, name, normalized_name, updated_at FROM entities"))
                    .containsExactly(List.of("football:liverpool", "Liverpool", "liverpool", "2019-08-09 19:00:00+00"));
            assertThat(rows("SELECT id, status, home_score, away_score, half_time_home_score, provider_refs, updated_at FROM events ORDER BY id"))
                    .containsExactly(List.of("e1", "FINISHED", "4", "1", "4", "[\"football-data:x\"]", "2019-08-09 21:00:00+00"),
                            java.util.Arrays.asList("e2", "SCHEDULED", null, null, null, "[]", "2019-08-09 19:00:00+00"));
            assertThat(rows("SELECT id, event_id, bookmaker, quoted_at, home, draw, away, payout FROM return_rates"))
                    .containsExactly(List.of("e1|B365|1X2", "e1", "B365", "2019-08-09 19:00:00+00", "1.140000", "9.500000",
                            "21.000000", "0.970803"));
            assertThat(rows("SELECT event_id, bookmakers, best_home, rates_as_of FROM events_enriched"))
                    .containsExactly(java.util.Arrays.asList("e1", "0", null, "2019-08-09 21:00:00+00"));
            assertThat(rows("SELECT run_id, status, records_read, records_published, skipped_by_reason FROM ingest_runs"))
                    .containsExactly(List.of("run-1", "SUCCEEDED", "381", "380", "{\"blank row\":1}"));
            assertThat(rows("SELECT reason, stage, provider, source_topic, source_partition, source_offset, value_text FROM quarantine"))
                    .containsExactly(List.of("missing field AwayTeam", "validate", "football-data", "provider.events.raw", "3", "41",
                            "{\"Div\":\"E0\"}"));
        });

        // A tombstone deletes the row
        client.produce(topics.eventsClean(), new AbstractMap.SimpleEntry<>("e2", null));
        await("e2 deleted").atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(rows("SELECT id FROM events")).containsExactly(List.of("e1")));
    }

    @Test
    @Order(2)
    void shouldGiveTheSinkRoleRowsButNoSchemaChanges() throws Exception {
        LocalStackExtension STACK = stack;
        try (Connection sink = DriverManager.getConnection(STACK.stack().jdbcUrl(), SINK_ROLE, "sink-secret");
             Statement sql = sink.createStatement()) {
            sql.execute("SELECT count(*) FROM events");
            assertThatThrownBy(() -> sql.execute("CREATE TABLE intruder (id int)")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> sql.execute("DROP TABLE events")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("must be owner");
        }
    }

    @Test
    @Order(3)
    void shouldDetectAFailedTaskAndRestartItOnceTheCauseIsFixedWithoutLosingARow() throws Exception {
        LocalStackExtension STACK = stack;
        ConnectorDeployer deployer = new ConnectorDeployer(new ConnectClient(STACK.stack().connectUrl()), Duration.ofMillis(500),
                Duration.ofSeconds(5));
        List<String> entitiesSink = List.of("eventflow-entities-sink");
        TopicClient client = new TopicClient(STACK.cluster());
        try (Connection owner = DriverManager.getConnection(STACK.stack().jdbcUrl(), STACK.stack().jdbcUser(), STACK.stack().jdbcPassword());
             Statement sql = owner.createStatement()) {
            // Given the sink may no longer write entities
            sql.execute("REVOKE INSERT, UPDATE ON entities FROM " + SINK_ROLE);
            client.produce(topics.entitiesClean(), Map.entry("football:everton",
                    new Entity("football:everton", "football", "Everton", "everton", T)));

            // Then the task fails, and the failure is reported with its cause
            await("the entities sink task FAILED").atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .until(() -> deployer.problems(entitiesSink).stream().anyMatch(p -> p.state().equals("FAILED")));
            ConnectorDeployer.TaskState failure = deployer.problems(entitiesSink).get(0);
            assertThat(failure.task()).isZero();
            assertThat(failure.trace()).contains("permission denied");

            // When the grant is back, the supervisor restarts the task, and the row that failed lands
            sql.execute("GRANT INSERT, UPDATE ON entities TO " + SINK_ROLE);
        }
        assertThat(deployer.superviseOnce(entitiesSink)).extracting(ConnectorDeployer.TaskState::connector)
                .containsExactly("eventflow-entities-sink");
        await("Everton in entities after the restart").atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(rows("SELECT id FROM entities WHERE id = 'football:everton'"))
                        .containsExactly(List.of("football:everton")));
        assertThat(deployer.problems(entitiesSink)).isEmpty();
    }

    @Test
    @Order(4)
    void shouldUpsertAQualityScoreByProviderAndWindowAndReplaceItByTheWindowsNextVersion() throws Exception {
        LocalStackExtension STACK = stack;
        TopicClient client = new TopicClient(STACK.cluster());
        Instant window = Instant.parse("2019-08-09T19:00:00Z");
        Instant next = window.plusSeconds(3600);

        // Given the first version of a window, the next window, and the first window's second (closed) version
        client.produce(topics.qualityScores(), Map.entry(QualityScore.keyOf("football-data", window), FIRST_VERSION),
                Map.entry(QualityScore.keyOf("football-data", next), score("football-data", next, 1, false, T.plusSeconds(4000))),
                Map.entry(QualityScore.keyOf("football-data", window), SECOND_VERSION));

        // Then one row per provider and window, the first window as its second version says
        await("the second version of the 19:00 window").atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(rows(QUALITY_ROWS)).containsExactly(
                        java.util.Arrays.asList("football-data", "2019-08-09 19:00:00+00", "2019-08-09 20:00:00+00", "98", "100",
                                "0.980000", "97", "98", "0.989796", "0", "0", null, "0.881459", "t", "2", "2019-08-09 20:20:00+00"),
                        java.util.Arrays.asList("football-data", "2019-08-09 20:00:00+00", "2019-08-09 21:00:00+00", "49", "50",
                                "0.980000", "48", "49", "0.979592", "0", "0", null, "0.879418", "f", "1", "2019-08-09 20:06:40+00")));
        assertThat(rows("SELECT uniqueness_numerator, uniqueness_denominator, uniqueness_score, timeliness_score, consistency_score "
                + "FROM data_quality WHERE window_start = '2019-08-09T19:00:00Z'"))
                .containsExactly(List.of("600", "640", "0.937500", "1.000000", "0.500000"));
    }

    @Test
    @Order(5)
    void shouldUpsertARunsQualityScoreByProviderAndRunAndReplaceItByItsClosedVersion() throws Exception {
        LocalStackExtension STACK = stack;
        TopicClient client = new TopicClient(STACK.cluster());
        QualityScore window = score("football-data", QUALITY_WINDOW, 1, false, T.plusSeconds(600));
        // Given a run's first (open) version, another run's, and the first run's closed version
        client.produce(topics.qualityRunScores(), Map.entry(QualityRunScore.keyOf("football-data", "replay-1"), runScore(window, "replay-1", null, false, 1)),
                Map.entry(QualityRunScore.keyOf("football-data", "replay-2"), runScore(window, "replay-2", 50L, false, 1)),
                Map.entry(QualityRunScore.keyOf("football-data", "replay-1"), runScore(window, "replay-1", 50L, true, 2)));

        // Then one row per provider and run, the first run as its closed version says
        await("the closed version of replay-1").atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(rows("SELECT provider, ingest_run_id, records_published, validity_numerator, validity_denominator, "
                        + "validity_score, plausibility_score, overall, closed, version FROM data_quality_runs ORDER BY ingest_run_id"))
                        .containsExactly(
                                java.util.Arrays.asList("football-data", "replay-1", "50", "49", "50", "0.980000", null, "0.879418", "t", "2"),
                                java.util.Arrays.asList("football-data", "replay-2", "50", "49", "50", "0.980000", null, "0.879418", "f", "1")));
    }

    static QualityRunScore runScore(QualityScore like, String run, Long published, boolean closed, long version) {
        return new QualityRunScore(like.provider(), run, published, like.validity(), like.completeness(), like.uniqueness(),
                like.timeliness(), like.consistency(), like.plausibility(), like.overall(), closed, version, like.updatedAt().plusSeconds(version));
    }

    /** Every column a reader sums or alerts on, in key order. */
    static final String QUALITY_ROWS = "SELECT provider, window_start, window_end, validity_numerator, validity_denominator, "
            + "validity_score, completeness_numerator, completeness_denominator, completeness_score, plausibility_numerator, "
            + "plausibility_denominator, plausibility_score, overall, closed, version, updated_at FROM data_quality "
            + "ORDER BY provider, window_start";
    static final Instant QUALITY_WINDOW = Instant.parse("2019-08-09T19:00:00Z");
    static final QualityScore FIRST_VERSION = score("football-data", QUALITY_WINDOW, 1, false, T.plusSeconds(600));
    static final QualityScore SECOND_VERSION = score("football-data", QUALITY_WINDOW, 2, true, T.plusSeconds(4800));

    /**
     * A score of one window: the first version has counted 49 of 50 valid records, the second 98 of 100; the quotes
     * were never checked for plausibility (a null score).
     */
    static QualityScore score(String provider, Instant start, long version, boolean closed, Instant updatedAt) {
        boolean second = version > 1 && start.equals(QUALITY_WINDOW);
        Dimension validity = second ? new Dimension(98, 100, new BigDecimal("0.98")) : new Dimension(49, 50, new BigDecimal("0.98"));
        Dimension completeness = second ? new Dimension(97, 98, new BigDecimal("0.989796"))
                : new Dimension(48, 49, new BigDecimal("0.979592"));
        BigDecimal overall = second ? new BigDecimal("0.881459") : new BigDecimal("0.879418");
        return new QualityScore(provider, start, start.plusSeconds(3600), validity, completeness,
                new Dimension(600, 640, new BigDecimal("0.9375")), new Dimension(10, 10, BigDecimal.ONE),
                new Dimension(1, 2, new BigDecimal("0.5")), new Dimension(0, 0, null), overall, closed, version, updatedAt);
    }

    void produceDeadLetter() throws Exception {
        LocalStackExtension STACK = stack;
        RecordHeaders headers = new RecordHeaders();
        new DeadLetter("missing field AwayTeam", "validate", "football-data", "provider.events.raw", 3, 41L, T).writeTo(headers);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.stack().bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.deadLetters().name(), null, null, "E0/x".getBytes(StandardCharsets.UTF_8),
                    "{\"Div\":\"E0\"}".getBytes(StandardCharsets.UTF_8), headers)).get();
        }
    }

    List<List<String>> rows(String query) throws SQLException {
        LocalStackExtension STACK = stack;
        return SqlRows.query(STACK.stack().jdbcUrl(), STACK.stack().jdbcUser(), STACK.stack().jdbcPassword(), query);
    }
}
