package dev.eventflow.localstack;

import dev.eventflow.config.KafkaSecurity;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
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
 *
 * <p>Secured ({@link #startSecured}): clients log in with SASL/SCRAM-SHA-512 on the client port, KRaft's
 * {@code StandardAuthorizer} allows only what an ACL allows ({@code allow.everyone.if.no.acl.found=false}), and the
 * admin is a super user whose SCRAM credential is written into the metadata when the storage is formatted, as
 * {@code kafka-storage.sh format --add-scram} does. The controller listener uses SASL/PLAIN with a password made up
 * at each start, known only to this broker.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String CLIENT_LISTENER = "CLIENT";
    /** The broker's own principal towards its controller (SASL/PLAIN on the controller listener), a super user. */
    static final String CONTROLLER_USER = "eventflow_controller";
    private static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._-]+");
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
    private final KafkaSecurity adminSecurity;

    private EmbeddedKafkaBroker(KafkaRaftServer server, int port, int controllerPort, KafkaSecurity adminSecurity) {
        this.server = server;
        this.port = port;
        this.controllerPort = controllerPort;
        this.adminSecurity = adminSecurity;
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
        return start(props, port, controllerPort, logDir, List.of(), KafkaSecurity.plaintext());
    }

    /**
     * Like {@link #start}, secured: a SASL_PLAINTEXT listener with SCRAM-SHA-512 on {@code port}, the
     * {@code StandardAuthorizer}, and {@code adminUser} a super user with {@code adminPassword}, bootstrapped into a
     * newly formatted log directory (a directory formatted before keeps its users, ACLs and admin password).
     *
     * @param adminUser letters, digits, {@code .}, {@code _} and {@code -}
     */
    public static EmbeddedKafkaBroker startSecured(int port, int controllerPort, Path logDir, String adminUser, String adminPassword,
                                                   Map<String, String> overrides) {
        if (!USER_NAME.matcher(adminUser).matches()) {
            throw new IllegalArgumentException("The admin's user name may hold letters, digits, '.', '_' and '-' only: '" + adminUser + "'");
        }
        KafkaSecurity admin = KafkaSecurity.scram(adminUser, adminPassword);
        Map<String, Object> props = securedBrokerConfig(port, controllerPort, logDir, admin);
        props.putAll(overrides);
        return start(props, port, controllerPort, logDir, List.of(scramArgument(adminUser, adminPassword)), admin);
    }

    private static EmbeddedKafkaBroker start(Map<String, Object> props, int port, int controllerPort, Path logDir,
                                             List<String> scramArguments, KafkaSecurity adminSecurity) {
        KafkaConfig config = new KafkaConfig(props, false);
        format(logDir, scramArguments);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, port, controllerPort, adminSecurity);
        try {
            broker.awaitReady(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        LOG.info("Kafka broker ready on {}{}", broker.bootstrapServers(), adminSecurity.authenticates()
                ? " (SASL_PLAINTEXT SCRAM-SHA-512, StandardAuthorizer, super user " + adminSecurity.username().orElseThrow() + ")" : "");
        return broker;
    }

    /** Whether clients must log in (started with {@link #startSecured}). */
    public boolean secured() {
        return adminSecurity.authenticates();
    }

    /** Client settings of the super user (none when not secured). */
    public KafkaSecurity adminSecurity() {
        return adminSecurity;
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

    /** The broker's configuration with the client listener on SCRAM and the authorizer on (see the class comment). */
    private static Map<String, Object> securedBrokerConfig(int port, int controllerPort, Path logDir, KafkaSecurity admin) {
        Map<String, Object> props = brokerConfig(port, controllerPort, logDir);
        String scramJaas = admin.clientConfigStrings().get("sasl.jaas.config");
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String controllerPassword = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        props.put("listeners", CLIENT_LISTENER + "://" + Ports.HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + Ports.HOST + ":" + controllerPort);
        props.put("advertised.listeners", CLIENT_LISTENER + "://" + Ports.HOST + ":" + port);
        props.put("listener.security.protocol.map", CLIENT_LISTENER + ":SASL_PLAINTEXT," + CONTROLLER_LISTENER + ":SASL_PLAINTEXT");
        props.put("inter.broker.listener.name", CLIENT_LISTENER);
        // Clients: SCRAM-SHA-512 only. The broker itself (inter-broker) logs in as the admin.
        props.put("listener.name.client.sasl.enabled.mechanisms", KafkaSecurity.SCRAM_SHA_512);
        props.put("sasl.mechanism.inter.broker.protocol", KafkaSecurity.SCRAM_SHA_512);
        props.put("listener.name.client.scram-sha-512.sasl.jaas.config", scramJaas);
        // The controller listener: SASL/PLAIN (KRaft controllers cannot check SCRAM before they have read the metadata).
        props.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        props.put("sasl.mechanism.controller.protocol", "PLAIN");
        props.put("listener.name.controller.plain.sasl.jaas.config", KafkaSecurity.jaasConfig(
                "org.apache.kafka.common.security.plain.PlainLoginModule", CONTROLLER_USER, controllerPassword)
                .replace(";", " user_" + CONTROLLER_USER + "=\"" + controllerPassword + "\";"));
        props.put("authorizer.class.name", AUTHORIZER);
        props.put("super.users", "User:" + admin.username().orElseThrow() + ";User:" + CONTROLLER_USER);
        props.put("allow.everyone.if.no.acl.found", "false");
        return props;
    }

    /**
     * The {@code --add-scram} argument of the admin's credential, salted here so that the password itself is in no
     * argument string (and no comma in it can break the parser).
     */
    private static String scramArgument(String user, String password) {
        try {
            ScramFormatter formatter = new ScramFormatter(ScramMechanism.SCRAM_SHA_512);
            byte[] salt = formatter.secureRandomBytes();
            int iterations = 4096;
            byte[] salted = formatter.saltedPassword(password, salt, iterations);
            Base64.Encoder base64 = Base64.getEncoder();
            return ScramMechanism.SCRAM_SHA_512.mechanismName() + "=[name=" + user + ",salt=" + base64.encodeToString(salt)
                    + ",saltedpassword=" + base64.encodeToString(salted) + ",iterations=" + iterations + "]";
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Cannot salt the admin's SCRAM credential: " + e.getMessage(), e);
        }
    }

    /**
     * Same as {@code kafka-storage.sh format} with a static quorum; metadata lives in the one log dir. A directory
     * formatted before (it has a {@code meta.properties}) is left as it is, with its cluster id and data.
     * {@code scramArguments} are {@code --add-scram} arguments.
     */
    private static void format(Path logDir, List<String> scramArguments) {
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
                    .setFeatureLevel("transaction.version", TRANSACTION_VERSION)
                    .setScramArguments(scramArguments);
            formatter.addDirectory(logDir.toAbsolutePath().toString());
            formatter.run();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Kafka log directory " + logDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(Duration timeout) {
        Map<String, Object> adminConfig = new HashMap<>(adminSecurity.clientConfig());
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
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
