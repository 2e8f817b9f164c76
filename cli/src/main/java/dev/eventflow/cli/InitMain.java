package dev.eventflow.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventflow.config.Config;
import dev.eventflow.config.ConfigSpec;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicCreator;
import dev.eventflow.sink.SinkMain;
import dev.eventflow.sink.connectors.ConnectClient;
import dev.eventflow.sink.connectors.ConnectorDeployer;
import dev.eventflow.sink.schema.SchemaMigrator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code eventflow init}: everything a deployment needs before its services run, idempotently, then exit 0.
 * The contract's topics (created, then checked), the sink's dead-letter topic, the PostgreSQL schema and
 * the sink role, the sink connectors on Kafka Connect. docker compose's {@code init} service runs it.
 */
@Command(name = "eventflow init", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Prepares a deployment, idempotently: creates and checks the contract's topics, creates the sink's dead-letter "
                    + "topic, applies the PostgreSQL migrations (creating the sink role), and creates or updates the sink "
                    + "connectors once Kafka Connect answers. Exit 0 when all is in place.",
            "Settings: those of 'eventflow topics' and 'eventflow sink', from --config and EVENTFLOW_* variables."
        })
public final class InitMain implements Callable<Integer> {

    static final String CONNECT_WAIT = "init.connect.wait";

    public static final ConfigSpec SPEC = SinkMain.SPEC
            .and(ConfigSpec.builder()
                    .optional(TopicsMain.REPLICATION_FACTOR, "replication factor of the topics created (default: the broker's)")
                    .define(CONNECT_WAIT, "PT5M", "how long to wait for Kafka Connect's REST API to answer")
                    .build());

    static Map<String, String> environment = System.getenv();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file; EVENTFLOW_* variables override it.")
    Path configFile;

    @Option(names = "--flavour", defaultValue = "copy", description = "Sink connectors: copy (default), debezium or confluent.")
    String flavour;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new InitMain());
        cli.setOut(new PrintWriter(System.out, true, StandardCharsets.UTF_8));
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            cmd.getErr().println("eventflow init: " + message);
            return 1;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Config config = Config.load(SPEC, configFile, environment);
        EventflowTopics topics = EventflowTopics.from(config);
        Optional<Short> replication = TopicsMain.Common.replicationFactor(config);
        String bootstrap = config.getString(SinkMain.BOOTSTRAP_SERVERS);

        try (Admin admin = admin(config)) {
            List<String> created = TopicCreator.createMissing(admin, topics.all(), replication);
            List<String> problems = TopicCreator.check(admin, topics.all(), replication);
            if (!problems.isEmpty()) {
                throw new IllegalStateException("the topics on " + bootstrap + " differ from the contract:\n  "
                        + String.join("\n  ", problems));
            }
            out.println("Topics: " + created.size() + " created, all " + topics.all().size() + " match the contract on " + bootstrap + ".");
            String deadLetters = config.getString(SinkMain.DLQ);
            boolean dlqCreated = TopicCreator.createIfMissing(admin, new NewTopic(deadLetters, Optional.of(1),
                    Optional.of((short) config.getInt(SinkMain.DLQ_REPLICATION))));
            out.println("Sink dead-letter topic " + deadLetters + (dlqCreated ? " created." : " exists."));
        }

        SchemaMigrator.Roles roles = SinkMain.roles(config);
        int applied = SchemaMigrator.migrate(config.getString(SinkMain.JDBC_URL), config.getString(SinkMain.OWNER_USER),
                SinkMain.secret(config, SinkMain.OWNER_PASSWORD), roles);
        out.println("PostgreSQL: " + applied + " migration(s) applied, roles " + roles.sinkUser() + " (sink) and " + roles.readerUser()
                + " (read-only) in place.");

        awaitConnect(SinkMain.connectClient(config), config.getString(SinkMain.CONNECT_URL), config.getDuration(CONNECT_WAIT));
        Map<String, ObjectNode> connectors = SinkMain.connectorConfigs(config, flavour);
        ConnectorDeployer deployer = SinkMain.deployer(config);
        deployer.deploy(connectors, Duration.ofMinutes(2));
        out.println("Kafka Connect: " + connectors.size() + " connectors running (" + flavour + ").");
        return 0;
    }

    private static Admin admin(Config config) {
        Properties props = new Properties();
        props.putAll(SinkMain.adminConfig(config));
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        return Admin.create(props);
    }

    /**
     * Waits until Connect's REST API answers (a worker takes a while to join its group after the container starts);
     * stops at once, with a {@link ConnectClient.Refused}, when it refuses the credentials.
     */
    public static void awaitConnect(ConnectClient connect, String url, Duration timeout) throws InterruptedException, IOException {
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            try {
                connect.ping();
                return;
            } catch (ConnectClient.Refused e) {
                throw e;
            } catch (IOException e) {
                last = e.getMessage() != null && e.getMessage().startsWith("HTTP ") ? e.getMessage() : e.toString();
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("Kafka Connect at " + url + " did not answer within " + timeout + " (" + last + ")");
    }
}
