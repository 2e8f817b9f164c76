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
                SINK_ROLE, "sink-secret")).isEqualTo(4);
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
