package dev.eventflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.localstack.LocalStack;
import dev.eventflow.sink.connectors.ConnectClient;
import dev.eventflow.sink.connectors.ConnectorConfigs;
import dev.eventflow.testing.LocalStackExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** {@code eventflow init} against a real broker, Connect worker and PostgreSQL: all in place, twice. */
class InitMainIT {

    @RegisterExtension
    static final LocalStackExtension STACK = LocalStackExtension.full();

    @Test
    void preparesTheDeploymentAndCanRunAgain() throws Exception {
        LocalStack stack = STACK.stack();
        Map<String, String> env = Map.of(
                "EVENTFLOW_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "EVENTFLOW_SINK_JDBC_URL", stack.jdbcUrl(),
                "EVENTFLOW_POSTGRES_OWNER_USER", stack.jdbcUser(),
                "EVENTFLOW_POSTGRES_OWNER_PASSWORD", stack.jdbcPassword(),
                "EVENTFLOW_SINK_PASSWORD", "init-it-secret",
                "EVENTFLOW_CONNECT_URL", stack.connectUrl(),
                "EVENTFLOW_TOPICS_REPLICATION_FACTOR", "1");

        List<String> first = run(env);
        assertThat(first).containsExactly(
                "Topics: 0 created, all 13 match the contract on " + stack.bootstrapServers() + ".",
                "Sink dead-letter topic eventflow.sink.dlq created.",
                "PostgreSQL: 6 migration(s) applied, roles eventflow_sink (sink) and eventflow_reader (read-only) in place.",
                "Kafka Connect: 8 connectors running (copy).");
        List<String> second = run(env);
        assertThat(second).containsExactly(
                "Topics: 0 created, all 13 match the contract on " + stack.bootstrapServers() + ".",
                "Sink dead-letter topic eventflow.sink.dlq exists.",
                "PostgreSQL: 0 migration(s) applied, roles eventflow_sink (sink) and eventflow_reader (read-only) in place.",
                "Kafka Connect: 8 connectors running (copy).");

        ConnectClient connect = new ConnectClient(stack.connectUrl());
        for (String name : ConnectorConfigs.NAMES) {
            assertThat(connect.status(name).path("tasks").get(0).path("state").asText()).as(name).isEqualTo("RUNNING");
        }
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), "eventflow_sink", "init-it-secret");
             ResultSet tables = db.createStatement().executeQuery(
                     "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> "
                             + "'flyway_schema_history' ORDER BY table_name")) {
            List<String> names = new ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString(1));
            }
            assertThat(names).containsExactly("data_quality", "data_quality_runs", "entities", "events", "events_enriched", "ingest_runs", "quarantine",
                    "return_rates");
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("eventflow.sink.dlq");
        }
    }

    @Test
    void anUnknownVariableStopsItNamingTheVariable() {
        InitMain.environment = Map.of("EVENTFLOW_SINK_PASWORD", "typo");
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new InitMain());
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println(e.getMessage());
            return 1;
        });
        assertThat(cli.execute()).isEqualTo(1);
        assertThat(err.toString()).contains("EVENTFLOW_SINK_PASWORD");
    }

    private static List<String> run(Map<String, String> env) {
        InitMain.environment = env;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new InitMain());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute();
        assertThat(exit).as(err.toString()).isZero();
        return out.toString().lines().toList();
    }
}
