package dev.eventflow.localstack;

import dev.eventflow.config.Config;
import dev.eventflow.config.KafkaSecurity;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicCreator;
import dev.eventflow.security.AccessPlan;
import dev.eventflow.security.AccessPlan.Role;
import dev.eventflow.security.AccessProvisioner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * eventflow's embedded default: a real KRaft Kafka broker, a real Kafka Connect worker with the
 * Debezium JDBC sink on its plugin path, and a real PostgreSQL, all on 127.0.0.1 in this JVM (the
 * PostgreSQL server is a child process). Each can be replaced by an existing service through
 * configuration. Starting creates the topic contract's topics; {@link #close()} stops everything
 * and deletes the stack's temporary directory.
 *
 * <p>With {@code kafka.broker.security=scram} the embedded broker takes SCRAM logins only and enforces ACLs: the stack
 * creates the topics as the admin, provisions one user per component with its ACLs ({@link AccessProvisioner}, what
 * {@code ./eventflow security provision} runs), and starts Connect as the Connect principal. A component's password
 * not set ({@code EVENTFLOW_SECURITY_<ROLE>_PASSWORD}) is made up for the stack's life and never shown.
 */
public final class LocalStack implements AutoCloseable {

    /** The connector class the embedded Connect worker must offer. */
    public static final String JDBC_SINK_CONNECTOR = "io.debezium.connector.jdbc.JdbcSinkConnector";

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private final LocalStackConfig config;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private Path workDir;
    private boolean ownsWorkDir;
    private EmbeddedKafkaBroker broker;
    private EmbeddedConnectWorker connectWorker;
    private EmbeddedPostgresServer postgres;
    private String bootstrapServers;
    private KafkaSecurity adminSecurity = KafkaSecurity.plaintext();
    private AccessPlan accessPlan;
    private boolean securedBroker;
    private String connectUrl;
    private String jdbcUrl;
    private String jdbcUser;
    private String jdbcPassword;
    private Duration startupDuration;
    private boolean closed;

    private LocalStack(LocalStackConfig config) {
        this.config = config;
    }

    /** Starts every component the configuration asks for; on failure, stops what had started. */
    public static LocalStack start(LocalStackConfig config) {
        LocalStack stack = new LocalStack(config);
        long begin = System.nanoTime();
        try {
            stack.startComponents();
        } catch (RuntimeException | Error e) {
            // Failed, or interrupted: what had started is stopped, waiting for each part as a normal stop does,
            // so an interrupt is set aside meanwhile.
            boolean interrupted = Thread.interrupted();
            try {
                stack.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw e;
        }
        stack.startupDuration = Duration.ofNanos(System.nanoTime() - begin);
        // Closed at JVM exit if its owner never closes it (ShutdownSequence): in order, which the components'
        // own shutdown hooks did not do.
        ShutdownSequence.closeOnShutdown(stack);
        LOG.info("Local stack started in {} ms: {}; data in {}", stack.startupDuration.toMillis(), stack.describe(), stack.workDir);
        return stack;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** REST URL of Kafka Connect. */
    public String connectUrl() {
        return requireEnabled(connectUrl, "Kafka Connect", LocalStackConfig.CONNECT_ENABLED);
    }

    public String jdbcUrl() {
        return requireEnabled(jdbcUrl, "PostgreSQL", LocalStackConfig.POSTGRES_ENABLED);
    }

    public String jdbcUser() {
        return requireEnabled(jdbcUser, "PostgreSQL", LocalStackConfig.POSTGRES_ENABLED);
    }

    /** The password for {@link #jdbcUser()}; empty for the embedded server, which trusts local connections. */
    public String jdbcPassword() {
        requireEnabled(jdbcUrl, "PostgreSQL", LocalStackConfig.POSTGRES_ENABLED);
        return jdbcPassword;
    }

    public boolean hasConnect() {
        return connectUrl != null;
    }

    public boolean hasPostgres() {
        return jdbcUrl != null;
    }

    /** The embedded broker, if this stack started one. */
    public Optional<EmbeddedKafkaBroker> embeddedBroker() {
        return Optional.ofNullable(broker);
    }

    /** The embedded Connect worker, if this stack started one. */
    public Optional<EmbeddedConnectWorker> embeddedConnect() {
        return Optional.ofNullable(connectWorker);
    }

    /** The embedded PostgreSQL, if this stack started one. */
    public Optional<EmbeddedPostgresServer> embeddedPostgres() {
        return Optional.ofNullable(postgres);
    }

    /** The stack's data directory (deleted on close unless configured with work.dir). */
    public Path workDir() {
        return workDir;
    }

    public EventflowTopics topics() {
        return config.topics();
    }

    public LocalStackConfig config() {
        return config;
    }

    /** Wall time {@link #start} took. */
    public Duration startupDuration() {
        return startupDuration;
    }

    /** Kafka client settings for this stack's cluster: bootstrap servers, and the admin's login when it has one. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> client = new HashMap<>(adminSecurity.clientConfig());
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Map.copyOf(client);
    }

    /** Kafka client settings of a component: bootstrap servers and its own login ({@link #security(Role)}). */
    public Map<String, Object> clientConfig(Role role) {
        Map<String, Object> client = new HashMap<>(security(role).clientConfig());
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Map.copyOf(client);
    }

    /**
     * How a component logs in: as its own principal on the secured embedded broker; on an existing Kafka, as its own
     * principal when its password is set, else with the stack's kafka.security.* / kafka.sasl.* settings; none on the
     * plain embedded broker.
     */
    public KafkaSecurity security(Role role) {
        if (securedBroker) {
            return KafkaSecurity.scram(accessPlan.user(role), accessPlan.password(role).orElseThrow());
        }
        Optional<String> password = accessPlan.password(role);
        return adminSecurity.authenticates() && password.isPresent() ? adminSecurity.as(accessPlan.user(role), password.get())
                : adminSecurity;
    }

    /** Whether the embedded broker runs secured (SCRAM logins, ACLs). */
    public boolean securedBroker() {
        return securedBroker;
    }

    /**
     * For the console, when the broker is secured: the protocol and the users, and where their passwords come from
     * (never the passwords).
     */
    public Optional<String> securitySummary() {
        if (!securedBroker) {
            return Optional.empty();
        }
        StringBuilder users = new StringBuilder(accessPlan.adminUser() + " (super user)");
        for (Role role : Role.values()) {
            users.append(", ").append(accessPlan.user(role));
        }
        return Optional.of("SASL_PLAINTEXT SCRAM-SHA-512 with ACLs; users " + users + "; passwords from "
                + "EVENTFLOW_SECURITY_<ROLE>_PASSWORD, made up for this run where not set");
    }

    /** The users and ACLs of the stack's components (with the passwords the stack uses). */
    public AccessPlan accessPlan() {
        return accessPlan;
    }

    /** One line naming every endpoint. */
    public String describe() {
        return "kafka=" + bootstrapServers + (securedBroker ? " (SASL SCRAM-SHA-512, ACLs)" : "")
                + (connectUrl == null ? "" : ", connect=" + connectUrl)
                + (jdbcUrl == null ? "" : ", postgres=" + jdbcUrl + " (user " + jdbcUser + ")");
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        while (!started.isEmpty()) {
            AutoCloseable component;
            synchronized (this) {
                component = started.pop();
            }
            try {
                component.close();
            } catch (Exception e) {
                RuntimeException wrapped = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        ShutdownSequence.forget(this);
        if (ownsWorkDir) {
            try {
                Directories.deleteRecursively(workDir);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        LOG.info(ownsWorkDir && workDir != null ? "Local stack stopped; deleted " + workDir : "Local stack stopped");
    }

    private void startComponents() {
        Config c = config.config();
        securedBroker = config.securedBroker() && !c.has(LocalStackConfig.KAFKA_BOOTSTRAP_SERVERS);
        accessPlan = AccessPlan.from(securedBroker ? withPasswords(c) : c);
        workDir = createWorkDir(c);
        // PostgreSQL needs nothing of Kafka: it starts beside the broker and the worker, which halves start-up.
        CompletableFuture<Void> postgresStarted = CompletableFuture.runAsync(() -> startPostgres(c));
        try {
            startKafka(c);
            createTopics(c);
            if (securedBroker) {
                provision();
            }
            startConnect(c);
        } finally {
            try {
                postgresStarted.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
    }

    private Path createWorkDir(Config c) {
        try {
            if (c.has(LocalStackConfig.WORK_DIR)) {
                Path dir = Path.of(c.getString(LocalStackConfig.WORK_DIR));
                Files.createDirectories(dir);
                ownsWorkDir = false;
                return Files.createTempDirectory(dir, "eventflow-stack-");
            }
            ownsWorkDir = true;
            return Files.createTempDirectory("eventflow-stack-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the local stack's data directory: " + e.getMessage(), e);
        }
    }

    private void startPostgres(Config c) {
        if (c.has(LocalStackConfig.POSTGRES_URL)) {
            jdbcUrl = c.getString(LocalStackConfig.POSTGRES_URL);
            jdbcUser = c.getString(LocalStackConfig.POSTGRES_USER);
            jdbcPassword = c.getString(LocalStackConfig.POSTGRES_PASSWORD, "");
            return;
        }
        if (!c.getBoolean(LocalStackConfig.POSTGRES_ENABLED)) {
            return;
        }
        int port = Ports.resolve(c.getInt(LocalStackConfig.POSTGRES_PORT), "PostgreSQL", LocalStackConfig.POSTGRES_PORT);
        postgres = register(EmbeddedPostgresServer.start(port, workDir.resolve("postgres"), true));
        jdbcUrl = postgres.jdbcUrl();
        jdbcUser = EmbeddedPostgresServer.USER;
        jdbcPassword = "";
    }

    private void startKafka(Config c) {
        if (c.has(LocalStackConfig.KAFKA_BOOTSTRAP_SERVERS)) {
            bootstrapServers = c.getString(LocalStackConfig.KAFKA_BOOTSTRAP_SERVERS);
            adminSecurity = KafkaSecurity.from(c);
            return;
        }
        int port = Ports.resolve(c.getInt(LocalStackConfig.KAFKA_PORT), "the Kafka broker", LocalStackConfig.KAFKA_PORT);
        int controllerPort = Ports.resolve(c.getInt(LocalStackConfig.KAFKA_CONTROLLER_PORT),
                "the Kafka controller", LocalStackConfig.KAFKA_CONTROLLER_PORT);
        if (controllerPort == port) {
            throw new IllegalArgumentException(LocalStackConfig.KAFKA_PORT + " and "
                    + LocalStackConfig.KAFKA_CONTROLLER_PORT + " must differ, both are " + port);
        }
        broker = register(securedBroker
                ? EmbeddedKafkaBroker.startSecured(port, controllerPort, workDir.resolve("kafka"), accessPlan.adminUser(),
                        accessPlan.adminPassword().orElseThrow(), Map.of())
                : EmbeddedKafkaBroker.start(port, controllerPort, workDir.resolve("kafka"), Map.of()));
        bootstrapServers = broker.bootstrapServers();
        adminSecurity = broker.adminSecurity();
    }

    private void createTopics(Config c) {
        Optional<Short> replicationFactor = c.has(LocalStackConfig.TOPICS_REPLICATION_FACTOR)
                ? Optional.of((short) c.getInt(LocalStackConfig.TOPICS_REPLICATION_FACTOR))
                : broker != null ? Optional.of((short) 1) : Optional.empty();
        try (Admin admin = Admin.create(clientConfig())) {
            TopicCreator.createMissing(admin, topics().all(), replicationFactor);
        }
    }

    /** The secured broker's users and ACLs, as {@code ./eventflow security provision} sets them. */
    private void provision() {
        try (Admin admin = Admin.create(clientConfig())) {
            java.util.List<String> report = AccessProvisioner.provision(admin, accessPlan, false);
            LOG.info("Provisioned {} users and {} ACLs on the secured broker", AccessPlan.Role.values().length,
                    accessPlan.bindings().size());
            report.forEach(line -> LOG.debug("  {}", line));
        }
    }

    /**
     * {@code c} with a made-up password for the admin and each component whose password is not set: the secured
     * embedded broker needs one for each, and nobody outside this JVM needs to know it.
     */
    private static Config withPasswords(Config c) {
        Config filled = c;
        AccessPlan given = AccessPlan.from(c);
        SecureRandom random = new SecureRandom();
        if (given.adminPassword().isEmpty()) {
            filled = filled.with(AccessPlan.ADMIN_PASSWORD, randomPassword(random));
        }
        for (Role role : Role.values()) {
            if (given.password(role).isEmpty()) {
                filled = filled.with(role.passwordKey(), randomPassword(random));
            }
        }
        return filled;
    }

    private static String randomPassword(SecureRandom random) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void startConnect(Config c) {
        if (c.has(LocalStackConfig.CONNECT_URL)) {
            connectUrl = stripTrailingSlash(c.getString(LocalStackConfig.CONNECT_URL));
            return;
        }
        if (!c.getBoolean(LocalStackConfig.CONNECT_ENABLED)) {
            return;
        }
        int port = Ports.resolve(c.getInt(LocalStackConfig.CONNECT_PORT), "the Kafka Connect REST API",
                LocalStackConfig.CONNECT_PORT);
        connectWorker = register(EmbeddedConnectWorker.start(bootstrapServers, port, config.pluginPath(),
                c.getString(LocalStackConfig.CONNECT_GROUP_ID), JDBC_SINK_CONNECTOR, connectSecurity()));
        connectUrl = connectWorker.url();
    }

    /**
     * The worker's login, for its own clients and, under {@code producer.}, {@code consumer.} and {@code admin.}, for the
     * clients it makes for the connectors (the sink tasks' consumers, the dead-letter producer).
     */
    private Map<String, String> connectSecurity() {
        Map<String, String> login = security(Role.CONNECT).clientConfigStrings();
        Map<String, String> worker = new HashMap<>(login);
        for (String prefix : new String[] {"producer.", "consumer.", "admin."}) {
            login.forEach((key, value) -> worker.put(prefix + key, value));
        }
        return worker;
    }

    private synchronized <T extends AutoCloseable> T register(T component) {
        started.push(component);
        return component;
    }

    private String requireEnabled(String value, String what, String key) {
        if (value == null) {
            throw new IllegalStateException(what + " is not part of this stack (" + key + "=false)");
        }
        return value;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
