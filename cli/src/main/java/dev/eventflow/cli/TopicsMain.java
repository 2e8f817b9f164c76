package dev.eventflow.cli;

import dev.eventflow.config.Config;
import dev.eventflow.config.ConfigSpec;
import dev.eventflow.config.KafkaSecurity;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicCreator;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code eventflow topics create|check}: the contract's topics on any Kafka. {@code create} makes the
 * missing ones (partitions and topic configs from the contract and its settings) and then checks them
 * all; {@code check} only compares. Both exit 1 when a topic differs from the contract, naming it and
 * the difference; an existing topic is never changed.
 */
@Command(name = "eventflow topics", mixinStandardHelpOptions = true,
        description = {
            "The contract's topics (docs/topics.md) on any Kafka: 'create' creates the missing ones and checks all, "
                    + "'check' only checks. Exit 1 when a topic is missing or differs from the contract (partitions, "
                    + "topic configs such as compaction, replication).",
            "Settings: topic.<id>.name|partitions|config.<kafka config>, topics.replication.factor, kafka.bootstrap.servers, "
                    + "kafka.security.protocol, kafka.sasl.username and its password (EVENTFLOW_KAFKA_SASL_PASSWORD), "
                    + "kafka.client.<admin client config>; as EVENTFLOW_* variables too."
        },
        subcommands = {TopicsMain.Create.class, TopicsMain.Check.class})
public final class TopicsMain implements Runnable {

    static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    static final String REPLICATION_FACTOR = "topics.replication.factor";
    static final String CLIENT_PREFIX = "kafka.client.";

    public static final ConfigSpec SPEC = ConfigSpec.builder()
            .define(BOOTSTRAP_SERVERS, "127.0.0.1:9092", "Kafka bootstrap servers")
            .optional(REPLICATION_FACTOR, "replication factor of the topics created, and the least a check accepts "
                    + "(default: the broker's default.replication.factor; not checked)")
            .prefix(CLIENT_PREFIX, "admin client configs, for example kafka.client.request.timeout.ms")
            .build()
            .and(KafkaSecurity.configSpec())
            .and(EventflowTopics.configSpec());

    static Map<String, String> environment = System.getenv();

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new TopicsMain());
        cli.setOut(new PrintWriter(System.out, true, StandardCharsets.UTF_8));
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            cmd.getErr().println("eventflow topics " + cmd.getCommandName() + ": " + message);
            return 1;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "Choose a command: create or check");
    }

    /** Options both commands have. */
    public static final class Common {
        @Option(names = "--config", paramLabel = "FILE", description = "Properties file; EVENTFLOW_* variables override it.")
        Path configFile;

        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers "
                + "(default 127.0.0.1:9092, the local stack).")
        String bootstrapServers;

        @Option(names = "--replication-factor", paramLabel = "N", description = "Replication factor of created topics, "
                + "and the least a check accepts.")
        Short replicationFactor;

        Config config() {
            Config config = Config.load(SPEC, configFile, environment);
            if (bootstrapServers != null) {
                config = config.with(BOOTSTRAP_SERVERS, bootstrapServers);
            }
            if (replicationFactor != null) {
                config = config.with(REPLICATION_FACTOR, replicationFactor.toString());
            }
            return config;
        }

        static Optional<Short> replicationFactor(Config config) {
            return config.has(REPLICATION_FACTOR) ? Optional.of((short) config.getInt(REPLICATION_FACTOR)) : Optional.empty();
        }

        /** Runs {@code before} with an admin client, then checks every topic and reports; the exit code. */
        int withAdmin(CommandLine.Model.CommandSpec spec, Step before) {
            Config config = config();
            EventflowTopics topics = EventflowTopics.from(config);
            Optional<Short> replication = replicationFactor(config);
            try (Admin admin = admin(config)) {
                before.run(admin, topics, replication);
                return report(spec, TopicCreator.check(admin, topics.all(), replication), topics.all().size(),
                        config.getString(BOOTSTRAP_SERVERS));
            }
        }

        /** What a command does before the check. */
        interface Step {
            void run(Admin admin, EventflowTopics topics, Optional<Short> replication);
        }

        static Admin admin(Config config) {
            Properties props = new Properties();
            props.putAll(clientConfig(config));
            props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
            return Admin.create(props);
        }

        /** Bootstrap servers, security ({@code kafka.security.protocol}, {@code kafka.sasl.*}) and {@code kafka.client.*}. */
        static Map<String, Object> clientConfig(Config config) {
            Map<String, Object> client = KafkaSecurity.from(config).merge(config.withPrefix(CLIENT_PREFIX), CLIENT_PREFIX);
            client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.getString(BOOTSTRAP_SERVERS));
            return client;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates the contract's missing topics, "
            + "then checks every topic against the contract. Existing topics are never changed.")
    static final class Create implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            return common.withAdmin(spec, (admin, topics, replication) -> {
                List<String> created = TopicCreator.createMissing(admin, topics.all(), replication);
                spec.commandLine().getOut().println(created.isEmpty() ? "No topic created: all " + topics.all().size() + " exist."
                        : "Created " + created.size() + " topic(s): " + String.join(", ", created));
            });
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, description = "Checks that every topic of the contract "
            + "exists with its partitions and topic configs; exit 1 naming each difference.")
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            return common.withAdmin(spec, (admin, topics, replication) -> { });
        }
    }

    private static int report(CommandLine.Model.CommandSpec spec, List<String> problems, int count, String bootstrap) {
        if (problems.isEmpty()) {
            spec.commandLine().getOut().println("All " + count + " topics of the contract match it on " + bootstrap + ".");
            return 0;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println(problems.size() + " difference(s) from the contract on " + bootstrap + ":");
        problems.forEach(problem -> err.println("  " + problem));
        return 1;
    }
}
