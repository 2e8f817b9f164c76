package dev.eventflow.reliability;

import dev.eventflow.localstack.Directories;
import dev.eventflow.localstack.EmbeddedKafkaBroker;
import dev.eventflow.localstack.EmbeddedPostgresServer;
import dev.eventflow.localstack.LocalStackConfig;
import dev.eventflow.localstack.LocalStackMain;
import dev.eventflow.localstack.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The servers every fault run shares, each on a port fixed for the whole test run so that it can be
 * stopped and started again where its clients expect it: a KRaft broker and PostgreSQL in this JVM
 * (stopped and restarted on the same log and data directories), and a Kafka Connect worker in a JVM of
 * its own (the local stack's {@code eventflow stack} with only Connect, as the benchmark runs it), so it
 * can be killed. Runs are isolated on them by names: their own topics, database, connectors and
 * application id ({@link PipelineRun}).
 */
final class FaultStack implements AutoCloseable {

    /** The connector class the worker must offer before connectors are deployed. */
    static final String COPY_SINK = "dev.eventflow.sink.copy.CopySinkConnector";
    static final String CONNECT_GROUP = "eventflow-reliability-connect";

    private final Path dataDir;
    private final Path logDir;
    private final int kafkaPort = Ports.freePort();
    private final int controllerPort = Ports.freePort();
    private final int postgresPort = Ports.freePort();
    private final int connectPort = Ports.freePort();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile EmbeddedKafkaBroker broker;
    private volatile EmbeddedPostgresServer postgres;
    private volatile ChildJvm connect;

    private FaultStack(Path dataDir, Path logDir) {
        this.dataDir = dataDir;
        this.logDir = logDir;
    }

    /** Starts the servers; {@code logDir} (emptied first) gets the child JVMs' output, one directory per run. */
    static FaultStack start(Path logDir) {
        Directories.deleteRecursively(logDir);
        Path data;
        try {
            data = Files.createTempDirectory("eventflow-reliability-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FaultStack stack = new FaultStack(data, logDir);
        try {
            long begin = System.nanoTime();
            stack.startPostgres();
            stack.startBroker();
            stack.startConnect();
            System.out.printf("Fault stack: kafka %s, postgres %s, connect %s (pid %d), up in %.1f s; logs in %s%n",
                    stack.bootstrapServers(), stack.jdbcUrl("postgres"), stack.connectUrl(), stack.connect.pid(),
                    (System.nanoTime() - begin) / 1e9, logDir);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return Ports.HOST + ":" + kafkaPort;
    }

    Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    String connectUrl() {
        return "http://" + Ports.HOST + ":" + connectPort;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://" + Ports.HOST + ":" + postgresPort + "/" + database;
    }

    Path logDir() {
        return logDir;
    }

    Path dataDir() {
        return dataDir;
    }

    /** A new, empty database of the embedded server's owner. */
    void createDatabase(String name) {
        try (Connection db = DriverManager.getConnection(jdbcUrl(EmbeddedPostgresServer.DATABASE), EmbeddedPostgresServer.USER, "");
             Statement sql = db.createStatement()) {
            sql.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name + ": " + e.getMessage(), e);
        }
    }

    // ---- the broker

    /** Starts the broker on its ports and log directory (formatted the first time, reused after). */
    void startBroker() {
        broker = EmbeddedKafkaBroker.start(kafkaPort, controllerPort, dataDir.resolve("kafka"), Map.of());
    }

    /** A clean stop of the broker (as {@code kafka-server-stop.sh}: controlled shutdown, logs flushed). */
    void stopBroker() {
        EmbeddedKafkaBroker running = broker;
        broker = null;
        running.close();
    }

    // ---- PostgreSQL

    /** Starts PostgreSQL on its port and data directory (initialized the first time, reused after). */
    void startPostgres() {
        postgres = EmbeddedPostgresServer.start(postgresPort, dataDir.resolve("postgres"), false);
    }

    /** Stops PostgreSQL ({@code pg_ctl stop -m fast}: sessions are disconnected, the data stays). */
    void stopPostgres() {
        EmbeddedPostgresServer running = postgres;
        postgres = null;
        running.close();
    }

    // ---- the Connect worker

    /** Starts the worker's JVM and waits until its REST API answers with the COPY sink installed. */
    void startConnect() {
        Map<String, String> env = new HashMap<>();
        env.put("EVENTFLOW_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        env.put("EVENTFLOW_POSTGRES_ENABLED", "false");
        env.put("EVENTFLOW_CONNECT_PORT", Integer.toString(connectPort));
        env.put("EVENTFLOW_CONNECT_GROUP_ID", CONNECT_GROUP);
        env.put("EVENTFLOW_CONNECT_PLUGIN_PATH", String.join(",", pluginPath().stream().map(Path::toString).toList()));
        env.put("EVENTFLOW_WORK_DIR", dataDir.resolve("connect").toString());
        ChildJvm worker = ChildJvm.start("connect-worker", LocalStackMain.class.getName(), env, "1g", logDir);
        connect = worker;
        awaitConnect(worker, Duration.ofMinutes(3));
    }

    /** SIGKILL of the worker's JVM. */
    void killConnect() {
        connect.kill();
    }

    ChildJvm connectWorker() {
        return connect;
    }

    private void awaitConnect(ChildJvm worker, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            worker.requireAlive();
            try {
                HttpResponse<String> plugins = http.send(HttpRequest.newBuilder(URI.create(connectUrl() + "/connector-plugins"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (plugins.statusCode() == 200 && plugins.body().contains("\"" + COPY_SINK + "\"")) {
                    return;
                }
                last = "HTTP " + plugins.statusCode() + ": " + plugins.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        throw new IllegalStateException("The Connect worker did not answer within " + timeout + ": " + last + "\n" + worker.tail(40));
    }

    /** Connect's plugin directories as the build leaves them: Debezium's JDBC sink, and eventflow's COPY sink and converter. */
    static List<Path> pluginPath() {
        String fromBuild = System.getProperty(LocalStackConfig.PLUGIN_PATH_PROPERTY);
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve(LocalStackConfig.DEFAULT_PLUGIN_PATH))) {
            root = root.getParent();
        }
        Path sink = fromBuild != null && !fromBuild.isBlank() ? Path.of(fromBuild)
                : (root == null ? LocalStackConfig.DEFAULT_PLUGIN_PATH : root.resolve(LocalStackConfig.DEFAULT_PLUGIN_PATH));
        Path projectRoot = sink.toAbsolutePath().getParent().getParent().getParent();
        return List.of(sink.toAbsolutePath(), projectRoot.resolve(LocalStackConfig.CONVERTER_PLUGIN_PATH));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (Runnable step : List.<Runnable>of(
                () -> { if (connect != null) { connect.close(); } },
                () -> { if (broker != null) { stopBroker(); } },
                () -> { if (postgres != null) { stopPostgres(); } })) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        Directories.deleteRecursively(dataDir);
        if (failure != null) {
            throw failure;
        }
    }
}
