package dev.eventflow.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft combined mode (broker and controller), from the
 * {@code kafka_2.13} jars: the storage is formatted, then the server started, exactly as
 * {@code kafka-storage.sh format} and {@code kafka-server-start.sh} would do. A log directory that
 * a broker has already used is started on as it is (a restart on the same data).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /**
     * Transactions v1: with v2 (Kafka 4's default) a transaction that starts while the previous one's
     * markers are still being written is refused with CONCURRENT_TRANSACTIONS and held back up to
     * 100 ms, then retried with backoff (KAFKA-18654, KAFKA-20000), and the retried batches are logged
     * as out-of-order sequence ERRORs by the broker. Exactly-once works the same with v1 (docs/BENCHMARKS.md).
     */
    static final short TRANSACTION_VERSION = 1;

    private final KafkaRaftServer server;
    private final int port;
    private final int controllerPort;

    private EmbeddedKafkaBroker(KafkaRaftServer server, int port, int controllerPort) {
        this.server = server;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * Formats {@code logDir} (unless a broker has used it before) and starts the broker; returns once it
     * answers admin requests.
     *
     * @param port           client port (PLAINTEXT) on {@link Ports#HOST}
     * @param controllerPort KRaft controller port on {@link Ports#HOST}
     * @param logDir         directory for the broker's data: empty or absent, or the directory of an earlier
     *                       broker of this node (stopped), whose topics and offsets it then serves again
     * @param overrides      broker configs that replace the defaults below
     */
    public static EmbeddedKafkaBroker start(int port, int controllerPort, Path logDir, Map<String, String> overrides) {
        Map<String, Object> props = brokerConfig(port, controllerPort, logDir);
        props.putAll(overrides);
        KafkaConfig config = new KafkaConfig(props, false);
        format(logDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, port, controllerPort);
        try {
            broker.awaitReady(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        LOG.info("Kafka broker ready on {}", broker.bootstrapServers());
        return broker;
    }

    public String bootstrapServers() {
        return Ports.HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Kafka broker on port {} stopped", port);
    }

    private static Map<String, Object> brokerConfig(int port, int controllerPort, Path logDir) {
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + Ports.HOST + ":" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + Ports.HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + Ports.HOST + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + Ports.HOST + ":" + port);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        // One node: every internal topic has one replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "10");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "10");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // Topics come from the contract (TopicCreator); a typo must fail, not create a topic.
        props.put("auto.create.topics.enable", "false");
        return props;
    }

    /**
     * Same as {@code kafka-storage.sh format} with a static quorum; metadata lives in the one log dir. A directory
     * formatted before (it has a {@code meta.properties}) is left as it is, with its cluster id and data.
     */
    private static void format(Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            LOG.info("Kafka log directory {} is formatted already: starting on its data", logDir);
            return;
        }
        try {
            Files.createDirectories(logDir);
            Formatter formatter = new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setFeatureLevel("transaction.version", TRANSACTION_VERSION);
            formatter.addDirectory(logDir.toAbsolutePath().toString());
            formatter.run();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Kafka log directory " + logDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(Duration timeout) {
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(adminConfig)) {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " did not become ready within "
                    + timeout.toSeconds() + " s: " + e.getMessage(), e);
        }
    }
}
