package dev.eventflow.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Start-up paths of the stack other than the default one: conflicts, existing services, the CLI. */
class LocalStackStartupIT {

    @TempDir
    Path workDir;

    @Test
    void shouldFailClearlyAndStopWhatHadStartedWhenTheKafkaPortIsTaken() throws Exception {
        int postgresPort = Ports.freePort();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Ports.HOST))) {
            LocalStackConfig config = LocalStackConfig.defaults().withFreePorts()
                    .with(LocalStackConfig.POSTGRES_PORT, Integer.toString(postgresPort))
                    .with(LocalStackConfig.KAFKA_PORT, Integer.toString(taken.getLocalPort()))
                    .with(LocalStackConfig.WORK_DIR, workDir.toString());

            assertThatThrownBy(() -> LocalStack.start(config))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageStartingWith("Port " + taken.getLocalPort() + " requested for the Kafka broker is already in use");
        }
        // PostgreSQL had started before the conflict was found: it is stopped again.
        assertThat(Ports.isListening(postgresPort)).isFalse();
        try (Stream<Path> left = Files.list(workDir)) {
            assertThat(left.flatMap(LocalStackStartupIT::walk).filter(p -> p.endsWith("postmaster.pid")).toList()).isEmpty();
        }
    }

    @Test
    void shouldUseExistingKafkaConnectAndPostgresInsteadOfStartingThem() throws Exception {
        try (LocalStack existing = LocalStack.start(LocalStackConfig.defaults().withFreePorts())) {
            LocalStackConfig config = LocalStackConfig.defaults().withFreePorts()
                    .with(LocalStackConfig.KAFKA_BOOTSTRAP_SERVERS, existing.bootstrapServers())
                    .with(LocalStackConfig.CONNECT_URL, existing.connectUrl() + "/")
                    .with(LocalStackConfig.POSTGRES_URL, existing.jdbcUrl())
                    .with(LocalStackConfig.POSTGRES_USER, existing.jdbcUser())
                    .with("topic.entities-clean.name", "other.entities");

            try (LocalStack stack = LocalStack.start(config)) {
                assertThat(stack.embeddedBroker()).isEmpty();
                assertThat(stack.embeddedConnect()).isEmpty();
                assertThat(stack.embeddedPostgres()).isEmpty();
                assertThat(stack.bootstrapServers()).isEqualTo(existing.bootstrapServers());
                assertThat(stack.connectUrl()).isEqualTo(existing.connectUrl());
                try (Admin admin = Admin.create(stack.clientConfig())) {
                    assertThat(admin.listTopics().names().get()).contains("other.entities", "entities.clean");
                }
                try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword());
                     ResultSet rs = db.createStatement().executeQuery("SELECT 1")) {
                    assertThat(rs.next()).isTrue();
                }
            }
            // Closing a stack of existing services leaves them running.
            assertThat(Ports.isListening(existing.embeddedBroker().orElseThrow().port())).isTrue();
            assertThat(Ports.isListening(existing.embeddedPostgres().orElseThrow().port())).isTrue();
        }
    }

    @Test
    void shouldPrintTheEndpointsAndExitZeroWithOnce() {
        StringWriter output = new StringWriter();
        CommandLine cli = new CommandLine(new LocalStackMain(Map.of(), new PrintWriter(output, true)));

        int exitCode = cli.execute("--once", "--free-ports");

        assertThat(exitCode).isZero();
        List<String> lines = output.toString().lines().toList();
        assertThat(lines.get(0)).startsWith("eventflow local stack is running (started in ");
        assertThat(lines.get(1)).matches("  Kafka bootstrap servers  127\\.0\\.0\\.1:\\d+");
        assertThat(lines.get(2)).matches("  Kafka Connect REST API   http://127\\.0\\.0\\.1:\\d+");
        assertThat(lines.get(3)).matches("  PostgreSQL JDBC URL      jdbc:postgresql://127\\.0\\.0\\.1:\\d+/postgres \\(user postgres\\)");
        assertThat(lines.get(4)).matches("  psql                     psql -h 127\\.0\\.0\\.1 -p \\d+ -U postgres postgres");
        assertThat(lines.get(5)).isEqualTo("  Topics                   provider.events.raw, provider.return-rates.raw, entities.clean, "
                + "events.clean, return-rates.clean, events.enriched, eventflow.dlq, ingest.runs, ingest.checkpoints, "
                + "entities.aliases, eventflow.event-moves, quality.scores, quality.run-scores");
        assertThat(lines.get(6)).isEqualTo("Stopped.");
        assertThat(lines).hasSize(7);
    }

    @Test
    void shouldExitNonZeroWithAOneLineReasonOnAnUnknownSetting() {
        StringWriter errors = new StringWriter();
        CommandLine cli = new CommandLine(new LocalStackMain(Map.of("EVENTFLOW_KAFKA_PROT", "1"), new PrintWriter(new StringWriter())))
                .setErr(new PrintWriter(errors, true))
                .setExecutionExceptionHandler(LocalStackMain.ONE_LINE_ERRORS);

        int exitCode = cli.execute("--once");

        assertThat(exitCode).isEqualTo(1);
        assertThat(errors.toString()).isEqualTo("eventflow stack: Unknown configuration key in environment variable EVENTFLOW_KAFKA_PROT"
                + System.lineSeparator());
    }

    private static Stream<Path> walk(Path path) {
        try {
            return Files.walk(path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
