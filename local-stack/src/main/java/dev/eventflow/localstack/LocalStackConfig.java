package dev.eventflow.localstack;

import dev.eventflow.config.Config;
import dev.eventflow.config.ConfigSpec;
import dev.eventflow.config.KafkaSecurity;
import dev.eventflow.security.AccessPlan;
import dev.eventflow.model.topics.EventflowTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The configuration keys of the local stack, and typed access to them. */
public final class LocalStackConfig {

    public static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String KAFKA_PORT = "kafka.port";
    public static final String KAFKA_CONTROLLER_PORT = "kafka.controller.port";
    public static final String KAFKA_BROKER_SECURITY = "kafka.broker.security";
    public static final String CONNECT_ENABLED = "connect.enabled";
    public static final String CONNECT_URL = "connect.url";
    public static final String CONNECT_PORT = "connect.port";
    public static final String CONNECT_PLUGIN_PATH = "connect.plugin.path";
    public static final String CONNECT_GROUP_ID = "connect.group.id";
    public static final String POSTGRES_ENABLED = "postgres.enabled";
    public static final String POSTGRES_URL = "postgres.url";
    public static final String POSTGRES_USER = "postgres.user";
    public static final String POSTGRES_PASSWORD = "postgres.password";
    public static final String POSTGRES_PORT = "postgres.port";
    public static final String WORK_DIR = "work.dir";
    public static final String TOPICS_REPLICATION_FACTOR = "topics.replication.factor";
    public static final String SINK_PASSWORD = "sink.password";

    /** System property the build sets to the directory it unpacked the sink connector into. */
    public static final String PLUGIN_PATH_PROPERTY = "eventflow.connect.plugin.path";
    /** Where the build unpacks the connector plugins, relative to the project root. */
    public static final Path DEFAULT_PLUGIN_PATH = Path.of("local-stack", "target", "connect-plugins");
    /** Where the build puts eventflow's own Connect plugin (the contract converter), relative to the project root. */
    public static final Path CONVERTER_PLUGIN_PATH = Path.of("sink-connector-config", "target", "connect-plugins");

    private static final ConfigSpec SPEC = ConfigSpec.builder()
            .optional(KAFKA_BOOTSTRAP_SERVERS, "use this existing Kafka cluster instead of starting a broker")
            .define(KAFKA_PORT, "9092", "client port of the embedded broker (0: any free port)")
            .define(KAFKA_CONTROLLER_PORT, "9093", "KRaft controller port of the embedded broker (0: any free port)")
            .define(KAFKA_BROKER_SECURITY, "none", "none (PLAINTEXT, no ACLs) or scram: the embedded broker takes SASL/SCRAM-SHA-512 "
                    + "logins only and allows only what an ACL allows; the stack provisions one user per component "
                    + "(docs/security.md)")
            .define(CONNECT_ENABLED, "true", "whether the stack provides a Kafka Connect worker")
            .optional(CONNECT_URL, "use this existing Kafka Connect REST URL instead of starting a worker")
            .define(CONNECT_PORT, "8083", "REST port of the embedded Connect worker (0: any free port)")
            .optional(CONNECT_PLUGIN_PATH, "Connect plugin directories, comma-separated (default: the build's "
                    + "local-stack/target/connect-plugins and sink-connector-config/target/connect-plugins)")
            .define(CONNECT_GROUP_ID, "eventflow-connect", "Connect cluster id; also prefixes its internal topics")
            .define(POSTGRES_ENABLED, "true", "whether the stack provides a PostgreSQL")
            .optional(POSTGRES_URL, "use this existing PostgreSQL (JDBC URL) instead of starting one")
            .define(POSTGRES_USER, "postgres", "PostgreSQL user for an existing PostgreSQL")
            .optional(POSTGRES_PASSWORD, "PostgreSQL password for an existing PostgreSQL")
            .define(POSTGRES_PORT, "5432", "port of the embedded PostgreSQL (0: any free port)")
            .optional(WORK_DIR, "directory for the stack's data (default: a new temporary directory, deleted on stop)")
            .optional(TOPICS_REPLICATION_FACTOR, "replication factor of the topics the stack creates (default: 1 "
                    + "for the embedded broker, the broker's default otherwise)")
            // The embedded Connect worker resolves the sink connectors' ${env:EVENTFLOW_SINK_PASSWORD} from this
            // process's environment, so the variable belongs to the stack as much as to `sink` and `init`.
            .optional(SINK_PASSWORD, "password of the sink role (eventflow_sink): the embedded Connect worker gives the "
                    + "sink connectors EVENTFLOW_SINK_PASSWORD from its environment, and `eventflow local` creates the role "
                    + "with it (default there: eventflow-local)")
            .build()
            .and(KafkaSecurity.configSpec())
            .and(AccessPlan.configSpec())
            .and(EventflowTopics.configSpec());

    private final Config config;

    private LocalStackConfig(Config config) {
        this.config = config;
    }

    /** Every key the local stack accepts, including the topic contract's. */
    public static ConfigSpec spec() {
        return SPEC;
    }

    public static LocalStackConfig defaults() {
        return new LocalStackConfig(Config.defaults(SPEC));
    }

    /** Defaults, then {@code file} (may be null), then {@code EVENTFLOW_*} variables of {@code env}. */
    public static LocalStackConfig load(Path file, Map<String, String> env) {
        return new LocalStackConfig(Config.load(SPEC, file, env));
    }

    public static LocalStackConfig of(Map<String, String> values) {
        return new LocalStackConfig(Config.of(SPEC, values));
    }

    /** A copy with one key changed. */
    public LocalStackConfig with(String key, String value) {
        if (!SPEC.accepts(key)) {
            throw new IllegalArgumentException("Unknown configuration key '" + key + "'");
        }
        return new LocalStackConfig(config.with(key, value));
    }

    /** Every port set to 0, so nothing clashes with another stack or test on the machine. */
    public LocalStackConfig withFreePorts() {
        return with(KAFKA_PORT, "0").with(KAFKA_CONTROLLER_PORT, "0").with(CONNECT_PORT, "0").with(POSTGRES_PORT, "0");
    }

    public Config config() {
        return config;
    }

    public EventflowTopics topics() {
        return EventflowTopics.from(config);
    }

    /** Whether the embedded broker runs secured ({@code kafka.broker.security=scram}). */
    public boolean securedBroker() {
        String security = config.getString(KAFKA_BROKER_SECURITY).toLowerCase(java.util.Locale.ROOT);
        return switch (security) {
            case "none" -> false;
            case "scram" -> true;
            default -> throw new IllegalArgumentException("'" + KAFKA_BROKER_SECURITY + "' must be none or scram, was '" + security + "'");
        };
    }

    /**
     * Connect's plugin directories: the configured ones (comma-separated), else the sink connector the
     * build unpacked and, when it has been built, eventflow's converter plugin next to it.
     */
    List<Path> pluginPath() {
        if (config.has(CONNECT_PLUGIN_PATH)) {
            return Arrays.stream(config.getString(CONNECT_PLUGIN_PATH).split(",")).map(String::strip)
                    .filter(p -> !p.isEmpty()).map(Path::of).toList();
        }
        String fromBuild = System.getProperty(PLUGIN_PATH_PROPERTY);
        Path sink = fromBuild != null && !fromBuild.isBlank() ? Path.of(fromBuild) : DEFAULT_PLUGIN_PATH;
        Path root = sink.toAbsolutePath().getParent().getParent().getParent();
        Path converter = root.resolve(CONVERTER_PLUGIN_PATH);
        return Files.isDirectory(converter) ? List.of(sink, converter) : List.of(sink);
    }
}
