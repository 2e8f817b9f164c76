package dev.eventflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.config.KafkaSecurity;
import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.localstack.LocalStackConfig;
import dev.eventflow.processor.app.ProcessorReset;
import dev.eventflow.security.AccessPlan;
import dev.eventflow.security.AccessPlan.Role;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole pipeline on a secured broker (SASL/SCRAM-SHA-512, StandardAuthorizer, no ACL means denied): every
 * component logs in as its own principal with only the ACLs {@code eventflow security provision} gives it, and the
 * sample seasons land in exactly the rows of the unsecured run ({@link LocalPipelineIT}). The tests share one
 * pipeline and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredPipelineIT {

    static final String ADMIN_PASSWORD = "admin-pw-91d2";
    static final Map<Role, String> PASSWORDS = Map.of(Role.INGEST, "ingest-pw-1", Role.PROCESSOR, "processor-pw-2",
            Role.CONNECT, "connect-pw-3", Role.READER, "reader-pw-4", Role.MONITOR, "monitor-pw-5");
    static LocalPipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(LocalStackConfig.KAFKA_BROKER_SECURITY, "scram",
                AccessPlan.ADMIN_PASSWORD, ADMIN_PASSWORD));
        PASSWORDS.forEach((role, password) -> settings.put(role.passwordKey(), password));
        pipeline = LocalPipeline.start(new LocalPipeline.Options(LocalStackConfig.of(settings).withFreePorts(), 0, "sink-secret", 500, 0));
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    @Order(1)
    void shouldFindEveryUserAndAclInPlaceWhenTheProvisioningCommandRunsOnTheRunningStack() {
        Map<String, String> env = new HashMap<>(Map.of("EVENTFLOW_KAFKA_BOOTSTRAP_SERVERS", pipeline.stack().bootstrapServers(),
                "EVENTFLOW_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "EVENTFLOW_KAFKA_SASL_USERNAME", "eventflow-admin",
                "EVENTFLOW_KAFKA_SASL_PASSWORD", ADMIN_PASSWORD));
        PASSWORDS.forEach((role, password) -> env.put("EVENTFLOW_SECURITY_" + role.name() + "_PASSWORD", password));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = SecurityMain.run(new String[] {"provision"}, new PrintWriter(out, true), new PrintWriter(err, true), env);

        assertThat(exit).as(err.toString()).isZero();
        int acls = AccessPlan.defaults().bindings().size();
        assertThat(out.toString()).startsWith("Users and ACLs on " + pipeline.stack().bootstrapServers() + " (as eventflow-admin):\n"
                        + "  user eventflow-ingest (ingest): SCRAM-SHA-512 password set again\n")
                .endsWith("Set 5 users' passwords; ACLs: 0 created, " + acls + " existed, 0 removed.\n");
    }

    @Test
    @Order(2)
    void shouldLoadTheThreeSampleSeasonsIntoExactRowsWithEveryComponentAsItsOwnPrincipal() throws Exception {
        pipeline.replay(LocalPipelineIT.SEASONS, true);
        pipeline.awaitLanded(LocalPipelineIT.LANDED);

        assertThat(pipeline.rowCounts()).isEqualTo(LocalPipelineIT.counts(48, 1140, 8732, 1140, 0, 1));
        assertThat(rows("SELECT home_name, away_name, status, home_score, away_score, half_time_home_score, half_time_away_score "
                + "FROM events WHERE id = 'football:e0:2019-08-09:liverpool:norwich-city'"))
                .containsExactly(List.of("Liverpool", "Norwich City", "FINISHED", "4", "1", "4", "0"));
        assertThat(rows("SELECT home, draw, away, payout FROM return_rates WHERE id = 'football:e0:2019-08-09:liverpool:norwich-city|B365|1X2'"))
                .containsExactly(List.of("1.140000", "9.500000", "21.000000", "0.970803"));
        assertThat(rows("SELECT bookmakers, best_home, best_draw, best_away, best_payout, avg_payout FROM events_enriched "
                + "WHERE event_id = 'football:e0:2019-08-09:liverpool:norwich-city'"))
                .containsExactly(List.of("6", "1.150000", "10.430000", "23.000000", "0.991158", "0.964403"));
        assertThat(rows("SELECT status, records_read, records_published FROM ingest_runs"))
                .containsExactly(List.of("SUCCEEDED", "1140", "1140"));
        // The processor's principal writes quality.scores and Connect's loads it: every published record counted
        // valid once, in the newest version of its window (the taps send their counts a moment after the records)
        org.awaitility.Awaitility.await("every record in data_quality").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(rows(
                        "SELECT provider, sum(validity_numerator), sum(validity_denominator) FROM data_quality GROUP BY provider"))
                        .containsExactly(List.of("football-data", "1140", "1140")));
    }

    @Test
    @Order(3)
    void shouldQuarantineARecordTheProcessorRefusesThroughTheDeadLetterTopic() throws Exception {
        // The producer's principal publishes a record that is not JSON: the processor dead-letters it, Connect loads it
        String raw = pipeline.stack().topics().eventsRaw().name();
        try (RawPublisher publisher = new RawPublisher(pipeline.stack().bootstrapServers(),
                pipeline.stack().security(Role.INGEST).clientConfig())) {
            publisher.send(raw, "bad-1", "not json".getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
            publisher.flush();
        }
        pipeline.awaitLanded(LocalPipelineIT.LANDED);

        assertThat(rows("SELECT stage, source_topic, value_text FROM quarantine"))
                .containsExactly(List.of("deserialize", raw, "not json"));
        assertThat(pipeline.rowCounts()).isEqualTo(LocalPipelineIT.counts(48, 1140, 8732, 1140, 1, 1));
    }

    @Test
    @Order(4)
    void shouldLetADownstreamReaderConsumeTheEnrichedTopicWithItsGroupPrefix() throws Exception {
        Map<String, Object> config = new HashMap<>(KafkaSecurity.scram("eventflow-reader", PASSWORDS.get(Role.READER)).clientConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.stack().bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "eventflow-reader-it-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Set<String> keys = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(pipeline.stack().topics().eventsEnriched().name()));
            Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
            while (keys.size() < 1140 && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    keys.add(record.key());
                }
            }
            consumer.commitSync();
        }
        assertThat(keys).isEqualTo(new HashSet<>(rows("SELECT event_id FROM events_enriched").stream().map(row -> row.get(0)).toList()));
    }

    @Test
    @Order(5)
    void shouldResetAndReprocessAsTheProcessorsOwnPrincipalIntoTheSameRows() throws Exception {
        Map<String, List<List<String>>> before = snapshot();
        pipeline.stopProcessor();

        // The reset logs in as the processor (its settings hold the processor's login): it moves the group's offsets
        // and deletes the internal topics the processor owns
        ProcessorReset.Result reset = ProcessorReset.run(pipeline.processorConfig(), false);
        assertThat(reset.internalTopics()).isNotEmpty().allMatch(topic -> topic.startsWith("eventflow-stream-processor-"));
        pipeline.startProcessor(pipeline.processorConfig());
        pipeline.awaitLanded(LocalPipelineIT.LANDED);

        // Entities are stamped when first seen, which depends on how the raw partitions interleave (as in LocalPipelineIT)
        Map<String, List<List<String>>> after = snapshot();
        for (Map<String, List<List<String>>> tables : List.of(before, after)) {
            tables.put("entities", tables.get("entities").stream().map(row -> row.subList(0, 4)).toList());
        }
        // the dead letter was quarantined a second time (another offset on the dead-letter topic)
        before.put("quarantine", List.of(before.get("quarantine").get(0), before.get("quarantine").get(0)));
        assertThat(after).isEqualTo(before);
    }

    /** Every row of the data tables, in key order (as {@link LocalPipelineIT} takes them). */
    static Map<String, List<List<String>>> snapshot() throws SQLException {
        return LocalPipelineIT.snapshot(pipeline);
    }

    static List<List<String>> rows(String query) throws SQLException {
        return LocalPipelineIT.rows(pipeline, query);
    }
}
