package dev.eventflow.sink;

import dev.eventflow.ops.OpsServer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventflow.config.Config;
import dev.eventflow.config.ConfigSpec;
import dev.eventflow.config.KafkaSecurity;
import dev.eventflow.model.serde.Json;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.sink.connectors.ConnectClient;
import dev.eventflow.sink.connectors.ConnectorConfigs;
import dev.eventflow.sink.connectors.ConnectorDeployer;
import dev.eventflow.sink.schema.SchemaMigrator;
import dev.eventflow.sink.supervise.SinkSupervisor;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eventflow sink}: applies the PostgreSQL schema and deploys (and supervises) the sink connectors. */
@Command(name = "eventflow sink", mixinStandardHelpOptions = true,
        description = "The PostgreSQL sink: 'migrate' applies the schema, 'connectors' creates or updates the connectors.",
        subcommands = {SinkMain.Migrate.class, SinkMain.Connectors.class})
public final class SinkMain implements Runnable {

    public static final String CONNECT_URL = "connect.url";
    public static final String CONNECT_USER = "connect.user";
    public static final String CONNECT_PASSWORD = "connect.password";
    public static final String JDBC_URL = "sink.jdbc.url";
    public static final String SINK_USER = "sink.user";
    public static final String SINK_PASSWORD = "sink.password";
    public static final String READER_USER = "sink.reader.user";
    public static final String READER_PASSWORD = "sink.reader.password";
    public static final String OWNER_USER = "postgres.owner.user";
    public static final String OWNER_PASSWORD = "postgres.owner.password";
    public static final String TASKS = "sink.tasks.max";
    public static final String BATCH = "sink.batch.size";
    public static final String DLQ = "sink.dlq.topic";
    public static final String DLQ_REPLICATION = "sink.dlq.replication.factor";
    public static final String SUPERVISE_INTERVAL = "supervise.interval";
    public static final String SUPERVISE_METRICS_PORT = "supervise.metrics.port";
    public static final String SUPERVISE_METRICS_HOST = "supervise.metrics.host";
    public static final String SUPERVISE_GROUPS = "supervise.lag.groups";
    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String CLIENT_PREFIX = "kafka.client.";

    public static final ConfigSpec SPEC = ConfigSpec.builder()
            .define(CONNECT_URL, "http://127.0.0.1:8083", "Kafka Connect REST URL")
            .optional(CONNECT_USER, "user of Connect's REST API where it asks for basic authentication (as in docker compose)")
            .optional(CONNECT_PASSWORD, "its password (EVENTFLOW_CONNECT_PASSWORD)")
            .define(JDBC_URL, "jdbc:postgresql://127.0.0.1:5432/postgres", "PostgreSQL JDBC URL")
            .define(SINK_USER, "eventflow_sink", "the role the connectors log in as")
            .optional(SINK_PASSWORD, "its password (EVENTFLOW_SINK_PASSWORD); used when migrate creates the role")
            .define(READER_USER, SchemaMigrator.READER_ROLE, "the read-only role of downstream readers (SELECT on the tables and views)")
            .optional(READER_PASSWORD, "its password (EVENTFLOW_SINK_READER_PASSWORD), used when migrate creates the role; "
                    + "without one it is a group role that cannot log in (GRANT it to the readers' roles)")
            .define(OWNER_USER, "postgres", "the role that owns the schema and runs the migrations")
            .optional(OWNER_PASSWORD, "its password (EVENTFLOW_POSTGRES_OWNER_PASSWORD)")
            .define(TASKS, "1", "tasks per connector")
            .define(BATCH, "2000", "rows per JDBC batch (2,000 loaded 1.2x faster than 500 in the sink benchmark)")
            .define(DLQ, "eventflow.sink.dlq", "Connect's dead-letter topic for records the converter cannot read")
            .define(DLQ_REPLICATION, "1", "its replication factor")
            .define(SUPERVISE_INTERVAL, "PT10S", "how often the supervisor checks the tasks")
            .define(SUPERVISE_METRICS_PORT, "8002", "port of the supervisor's /metrics, /health and /ready (0: any free port)")
            .define(SUPERVISE_METRICS_HOST, OpsServer.DEFAULT_HOST, "address they listen on (0.0.0.0: every interface)")
            .define(SUPERVISE_GROUPS, "eventflow-stream-processor", "consumer groups whose lag the supervisor reports, "
                    + "comma-separated, besides each connector's own (connect-<connector>)")
            .define(BOOTSTRAP_SERVERS, "127.0.0.1:9092", "Kafka bootstrap servers, for the consumer groups' lag")
            .prefix(CLIENT_PREFIX, "admin client configs of the supervisor, for example kafka.client.request.timeout.ms")
            .build()
            .and(KafkaSecurity.configSpec())
            .and(EventflowTopics.configSpec());

    static Map<String, String> environment = System.getenv();

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new SinkMain());
        cli.setOut(new PrintWriter(System.out, true, StandardCharsets.UTF_8));
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            cmd.getErr().println("eventflow sink " + cmd.getCommandName() + ": " + message);
            return 1;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "Choose a command: migrate or connectors");
    }

    /** The sink's and the readers' roles as configured. */
    public static SchemaMigrator.Roles roles(Config config) {
        return new SchemaMigrator.Roles(config.getString(SINK_USER), config.getString(SINK_PASSWORD, ""), config.getString(READER_USER),
                config.getString(READER_PASSWORD, ""));
    }

    /** Options both commands have. */
    static final class Common {
        @Option(names = "--config", paramLabel = "FILE", description = "Properties file; EVENTFLOW_* variables override it.")
        Path configFile;

        Config config() {
            return Config.load(SPEC, configFile, environment);
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true, description = "Applies the pending schema migrations (Flyway) "
            + "as the owner role and creates the sink role.")
    static final class Migrate implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            Config config = common.config();
            int applied = SchemaMigrator.migrate(config.getString(JDBC_URL), config.getString(OWNER_USER),
                    config.getString(OWNER_PASSWORD, ""), roles(config));
            spec.commandLine().getOut().println(applied + " migration(s) applied to " + config.getString(JDBC_URL));
            return 0;
        }
    }

    @Command(name = "connectors", mixinStandardHelpOptions = true, description = "Creates or updates every sink connector "
            + "(PUT /connectors/{name}/config), waits until they run, reports FAILED tasks with their trace; with "
            + "--supervise keeps restarting failed tasks with backoff.")
    static final class Connectors implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--flavour", defaultValue = "copy", description = "copy (default: eventflow's COPY sink for the "
                + "clean tables, Debezium's for quarantine and ingest runs), debezium (Debezium's JDBC sink for every table) "
                + "or confluent (Confluent's JDBC sink).")
        String flavour;

        @Option(names = "--print", description = "Print the rendered configs instead of deploying them.")
        boolean print;

        @Option(names = "--supervise", description = "After deploying, restart failed tasks until stopped.")
        boolean supervise;

        @Override
        public Integer call() throws Exception {
            Config config = common.config();
            Map<String, ObjectNode> configs = connectorConfigs(config, flavour);
            if (print) {
                spec.commandLine().getOut().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(configs));
                return 0;
            }
            ConnectorDeployer deployer = deployer(config);
            deployer.deploy(configs, Duration.ofMinutes(2));
            spec.commandLine().getOut().println(configs.size() + " connectors running on " + config.getString(CONNECT_URL));
            if (supervise) {
                try (SinkSupervisor supervisor = startSupervisor(config, deployer, configs.keySet())) {
                    spec.commandLine().getOut().println("Supervising; metrics on port " + supervisor.port());
                    new CountDownLatch(1).await();
                }
            }
            return 0;
        }
    }

    /** The connector configs of {@code flavour} (copy, debezium or confluent) for these settings. */
    public static Map<String, ObjectNode> connectorConfigs(Config config, String flavour) {
        return ConnectorConfigs.render(flavour, EventflowTopics.from(config),
                new ConnectorConfigs.Settings(config.getString(JDBC_URL), config.getString(SINK_USER), config.getInt(TASKS),
                        config.getInt(BATCH), config.getString(DLQ), config.getInt(DLQ_REPLICATION)));
    }

    /** A deployer for the Connect of these settings, restarting failed tasks after 5 s, doubling up to 5 min. */
    public static ConnectorDeployer deployer(Config config) {
        return new ConnectorDeployer(connectClient(config), Duration.ofSeconds(5), Duration.ofMinutes(5));
    }

    /** A client of the REST API of the Connect of these settings, with their credentials. */
    public static ConnectClient connectClient(Config config) {
        return new ConnectClient(config.getString(CONNECT_URL), config.getString(CONNECT_USER, null),
                config.getString(CONNECT_PASSWORD, ""));
    }

    /**
     * Admin client settings of {@code config}: bootstrap servers, security ({@code kafka.security.protocol},
     * {@code kafka.sasl.*}) and {@code kafka.client.*}.
     */
    public static Map<String, Object> adminConfig(Config config) {
        Map<String, Object> admin = KafkaSecurity.from(config).merge(config.withPrefix(CLIENT_PREFIX), CLIENT_PREFIX);
        admin.put("bootstrap.servers", config.getString(BOOTSTRAP_SERVERS));
        return admin;
    }

    /** The supervisor of {@code connectors}, with the lag of the configured groups and of each connector's group. */
    static SinkSupervisor startSupervisor(Config config, ConnectorDeployer deployer, Set<String> connectors) {
        List<String> groups = new ArrayList<>();
        for (String group : config.getString(SUPERVISE_GROUPS).split(",")) {
            if (!group.isBlank()) {
                groups.add(group.strip());
            }
        }
        connectors.forEach(name -> groups.add("connect-" + name));
        Properties admin = new Properties();
        admin.putAll(adminConfig(config));
        return SinkSupervisor.start(deployer, Optional.of(Admin.create(admin)),
                new SinkSupervisor.Settings(connectors, groups, Optional.of(config.getString(JDBC_URL)),
                        config.getString(SINK_USER), config.getString(SINK_PASSWORD, ""), config.getDuration(SUPERVISE_INTERVAL),
                        config.getString(SUPERVISE_METRICS_HOST), config.getInt(SUPERVISE_METRICS_PORT)));
    }
}
