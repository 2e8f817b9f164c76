package dev.eventflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventflow.config.Config;
import dev.eventflow.security.AccessPlan.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessPlanTest {

    @Test
    void shouldLetTheIngestProducerWriteTheRawRunAndCheckpointTopicsAndReadOnlyItsCheckpoints() {
        assertThat(lines(AccessPlan.defaults(), Role.INGEST)).containsExactly(
                "User:eventflow-ingest ALLOW WRITE TOPIC provider.events.raw (literal)",
                "User:eventflow-ingest ALLOW DESCRIBE TOPIC provider.events.raw (literal)",
                "User:eventflow-ingest ALLOW WRITE TOPIC provider.return-rates.raw (literal)",
                "User:eventflow-ingest ALLOW DESCRIBE TOPIC provider.return-rates.raw (literal)",
                "User:eventflow-ingest ALLOW WRITE TOPIC ingest.runs (literal)",
                "User:eventflow-ingest ALLOW DESCRIBE TOPIC ingest.runs (literal)",
                "User:eventflow-ingest ALLOW READ TOPIC ingest.checkpoints (literal)",
                "User:eventflow-ingest ALLOW WRITE TOPIC ingest.checkpoints (literal)",
                "User:eventflow-ingest ALLOW DESCRIBE TOPIC ingest.checkpoints (literal)",
                "User:eventflow-ingest ALLOW READ GROUP eventflow-checkpoints- (prefixed)",
                "User:eventflow-ingest ALLOW IDEMPOTENT_WRITE CLUSTER kafka-cluster (literal)");
    }

    @Test
    void shouldLetTheProcessorReadRawWriteCleanAndOwnItsInternalTopicsGroupAndTransactions() {
        assertThat(lines(AccessPlan.defaults(), Role.PROCESSOR)).containsExactly(
                "User:eventflow-processor ALLOW READ TOPIC provider.events.raw (literal)",
                "User:eventflow-processor ALLOW DESCRIBE TOPIC provider.events.raw (literal)",
                "User:eventflow-processor ALLOW READ TOPIC provider.return-rates.raw (literal)",
                "User:eventflow-processor ALLOW DESCRIBE TOPIC provider.return-rates.raw (literal)",
                "User:eventflow-processor ALLOW READ TOPIC entities.aliases (literal)",
                "User:eventflow-processor ALLOW DESCRIBE TOPIC entities.aliases (literal)",
                "User:eventflow-processor ALLOW READ TOPIC ingest.runs (literal)",
                "User:eventflow-processor ALLOW DESCRIBE TOPIC ingest.runs (literal)",
                "User:eventflow-processor ALLOW WRITE TOPIC entities.clean (literal)",
                "User:eventflow-processor ALLOW DESCRIBE TOPIC entities.clean (literal)",
                "User:eventflow-processor ALLOW WRITE TOPIC events.clean (literal)",
                "User:eventflow-processor ALLOW DESCRIBE TOPIC events.clean (literal)",
                "User:eventflow-processor ALLOW WRITE TOPIC return-rates.clean (literal)",
                "User:eventflow-processor ALLOW DESCRIBE TOPIC return-rates.clean (literal)",
                "User:eventflow-processor ALLOW WRITE TOPIC events.enriched (literal)",
                "User:eventflow-processor ALLOW DESCRIBE TOPIC events.enriched (literal)",
                "User:eventflow-processor ALLOW WRITE TOPIC quality.scores (literal)",
                "User:eventflow-processor ALLOW DESCRIBE TOPIC quality.scores (literal)",
                "User:eventflow-processor ALLOW WRITE TOPIC quality.run-scores (literal)",
                "User:eventflow-processor ALLOW DESCRIBE TOPIC quality.run-scores (literal)",
                "User:eventflow-processor ALLOW WRITE TOPIC eventflow.dlq (literal)",
                "User:eventflow-processor ALLOW DESCRIBE TOPIC eventflow.dlq (literal)",
                "User:eventflow-processor ALLOW READ TOPIC eventflow.event-moves (literal)",
                "User:eventflow-processor ALLOW WRITE TOPIC eventflow.event-moves (literal)",
                "User:eventflow-processor ALLOW DESCRIBE TOPIC eventflow.event-moves (literal)",
                "User:eventflow-processor ALLOW ALL TOPIC eventflow-stream-processor- (prefixed)",
                "User:eventflow-processor ALLOW READ GROUP eventflow-stream-processor (literal)",
                "User:eventflow-processor ALLOW WRITE TRANSACTIONAL_ID eventflow-stream-processor- (prefixed)",
                "User:eventflow-processor ALLOW DESCRIBE TRANSACTIONAL_ID eventflow-stream-processor- (prefixed)",
                "User:eventflow-processor ALLOW IDEMPOTENT_WRITE CLUSTER kafka-cluster (literal)");
    }

    @Test
    void shouldLetConnectReadTheSinkTopicsAndItsOwnAndWriteOnlyItsInternalAndDeadLetterTopics() {
        assertThat(lines(AccessPlan.defaults(), Role.CONNECT)).containsExactly(
                "User:eventflow-connect ALLOW READ GROUP eventflow-connect (literal)",
                "User:eventflow-connect ALLOW CREATE TOPIC eventflow-connect (prefixed)",
                "User:eventflow-connect ALLOW DESCRIBE TOPIC eventflow-connect (prefixed)",
                "User:eventflow-connect ALLOW DESCRIBE_CONFIGS TOPIC eventflow-connect (prefixed)",
                "User:eventflow-connect ALLOW READ TOPIC eventflow-connect (prefixed)",
                "User:eventflow-connect ALLOW WRITE TOPIC eventflow-connect (prefixed)",
                "User:eventflow-connect ALLOW READ TOPIC entities.clean (literal)",
                "User:eventflow-connect ALLOW DESCRIBE TOPIC entities.clean (literal)",
                "User:eventflow-connect ALLOW READ TOPIC events.clean (literal)",
                "User:eventflow-connect ALLOW DESCRIBE TOPIC events.clean (literal)",
                "User:eventflow-connect ALLOW READ TOPIC return-rates.clean (literal)",
                "User:eventflow-connect ALLOW DESCRIBE TOPIC return-rates.clean (literal)",
                "User:eventflow-connect ALLOW READ TOPIC events.enriched (literal)",
                "User:eventflow-connect ALLOW DESCRIBE TOPIC events.enriched (literal)",
                "User:eventflow-connect ALLOW READ TOPIC quality.scores (literal)",
                "User:eventflow-connect ALLOW DESCRIBE TOPIC quality.scores (literal)",
                "User:eventflow-connect ALLOW READ TOPIC quality.run-scores (literal)",
                "User:eventflow-connect ALLOW DESCRIBE TOPIC quality.run-scores (literal)",
                "User:eventflow-connect ALLOW READ TOPIC eventflow.dlq (literal)",
                "User:eventflow-connect ALLOW DESCRIBE TOPIC eventflow.dlq (literal)",
                "User:eventflow-connect ALLOW READ TOPIC ingest.runs (literal)",
                "User:eventflow-connect ALLOW DESCRIBE TOPIC ingest.runs (literal)",
                "User:eventflow-connect ALLOW READ GROUP connect- (prefixed)",
                "User:eventflow-connect ALLOW WRITE TOPIC eventflow.sink.dlq (literal)",
                "User:eventflow-connect ALLOW DESCRIBE TOPIC eventflow.sink.dlq (literal)",
                "User:eventflow-connect ALLOW IDEMPOTENT_WRITE CLUSTER kafka-cluster (literal)");
    }

    @Test
    void shouldLetAReaderReadTheCleanTopicsOnlyUnderItsGroupPrefix() {
        assertThat(lines(AccessPlan.defaults(), Role.READER)).containsExactly(
                "User:eventflow-reader ALLOW READ TOPIC entities.clean (literal)",
                "User:eventflow-reader ALLOW DESCRIBE TOPIC entities.clean (literal)",
                "User:eventflow-reader ALLOW READ TOPIC events.clean (literal)",
                "User:eventflow-reader ALLOW DESCRIBE TOPIC events.clean (literal)",
                "User:eventflow-reader ALLOW READ TOPIC return-rates.clean (literal)",
                "User:eventflow-reader ALLOW DESCRIBE TOPIC return-rates.clean (literal)",
                "User:eventflow-reader ALLOW READ TOPIC events.enriched (literal)",
                "User:eventflow-reader ALLOW DESCRIBE TOPIC events.enriched (literal)",
                "User:eventflow-reader ALLOW READ TOPIC quality.scores (literal)",
                "User:eventflow-reader ALLOW DESCRIBE TOPIC quality.scores (literal)",
                "User:eventflow-reader ALLOW READ TOPIC quality.run-scores (literal)",
                "User:eventflow-reader ALLOW DESCRIBE TOPIC quality.run-scores (literal)",
                "User:eventflow-reader ALLOW READ GROUP eventflow-reader (prefixed)");
    }

    @Test
    void shouldLetTheMonitorDescribeOnly() {
        assertThat(lines(AccessPlan.defaults(), Role.MONITOR)).containsExactly(
                "User:eventflow-monitor ALLOW DESCRIBE TOPIC provider.events.raw (literal)",
                "User:eventflow-monitor ALLOW DESCRIBE TOPIC provider.return-rates.raw (literal)",
                "User:eventflow-monitor ALLOW DESCRIBE TOPIC entities.clean (literal)",
                "User:eventflow-monitor ALLOW DESCRIBE TOPIC events.clean (literal)",
                "User:eventflow-monitor ALLOW DESCRIBE TOPIC return-rates.clean (literal)",
                "User:eventflow-monitor ALLOW DESCRIBE TOPIC events.enriched (literal)",
                "User:eventflow-monitor ALLOW DESCRIBE TOPIC quality.scores (literal)",
                "User:eventflow-monitor ALLOW DESCRIBE TOPIC quality.run-scores (literal)",
                "User:eventflow-monitor ALLOW DESCRIBE TOPIC eventflow.dlq (literal)",
                "User:eventflow-monitor ALLOW DESCRIBE TOPIC ingest.runs (literal)",
                "User:eventflow-monitor ALLOW DESCRIBE TOPIC eventflow-stream-processor- (prefixed)",
                "User:eventflow-monitor ALLOW DESCRIBE GROUP eventflow-stream-processor (literal)",
                "User:eventflow-monitor ALLOW DESCRIBE GROUP connect- (prefixed)");
    }

    @Test
    void shouldNameTopicsUsersAndPrefixesAsConfigured() {
        // Given renamed topics, users, application id and Connect group, as EVENTFLOW_* variables
        AccessPlan plan = AccessPlan.from(Config.load(AccessPlan.configSpec(), null, Map.of(
                "EVENTFLOW_TOPIC_EVENTS_CLEAN_NAME", "acme.events", "EVENTFLOW_SECURITY_READER_USER", "bi-team",
                "EVENTFLOW_SECURITY_READER_GROUP_PREFIX", "bi-", "EVENTFLOW_APPLICATION_ID", "acme-processor",
                "EVENTFLOW_SECURITY_PROCESSOR_PASSWORD", "not-shown")));

        assertThat(lines(plan, Role.READER)).contains("User:bi-team ALLOW READ TOPIC acme.events (literal)",
                "User:bi-team ALLOW READ GROUP bi- (prefixed)").noneMatch(line -> line.contains("events.clean"));
        assertThat(lines(plan, Role.PROCESSOR)).contains("User:eventflow-processor ALLOW WRITE TOPIC acme.events (literal)",
                "User:eventflow-processor ALLOW READ GROUP acme-processor (literal)",
                "User:eventflow-processor ALLOW WRITE TRANSACTIONAL_ID acme-processor- (prefixed)");
        assertThat(plan.password(Role.PROCESSOR)).contains("not-shown");
        assertThat(plan.password(Role.INGEST)).isEmpty();
    }

    @Test
    void shouldRefuseAComponentThatWouldBeTheSuperUserOrShareAnotherOnesPrincipal() {
        assertThatThrownBy(() -> AccessPlan.from(Config.load(AccessPlan.configSpec(), null,
                Map.of("EVENTFLOW_SECURITY_READER_USER", "eventflow-admin"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'security.reader.user' must not be the admin (eventflow-admin)");
        assertThatThrownBy(() -> AccessPlan.from(Config.load(AccessPlan.configSpec(), null,
                Map.of("EVENTFLOW_SECURITY_READER_USER", "eventflow-ingest"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'security.ingest.user' and 'security.reader.user' are both eventflow-ingest: each component needs "
                        + "a principal of its own");
    }

    private static List<String> lines(AccessPlan plan, Role role) {
        return plan.bindings(role).stream().map(AccessProvisioner::describe).toList();
    }
}
