package dev.eventflow.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka Connect worker in distributed mode, started through Connect's own entry point
 * ({@link ConnectDistributed}). Connectors are loaded from {@code plugin.path} with classloader
 * isolation, so a connector's own dependencies (the Debezium JDBC sink brings Hibernate, its own
 * kafka-clients and slf4j 1.7) never meet the application's classpath.
 */
public final class EmbeddedConnectWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedConnectWorker.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Connect<?> connect;
    private final int port;

    private EmbeddedConnectWorker(Connect<?> connect, int port) {
        this.connect = connect;
        this.port = port;
    }

    /**
     * Starts the worker and returns once its REST API serves requests and {@code requiredPlugin}
     * (a connector class, or null) is installed.
     *
     * @param bootstrapServers Kafka the worker stores its configs, offsets and statuses in
     * @param port             REST port on {@link Ports#HOST}
     * @param pluginPath       directories whose subdirectories hold one connector plugin each
     * @param groupId          Connect cluster id (workers with the same id form one cluster)
     * @param overrides        worker configs that replace the defaults below
     */
    public static EmbeddedConnectWorker start(String bootstrapServers, int port, List<Path> pluginPath, String groupId,
                                              String requiredPlugin, Map<String, String> overrides) {
        for (Path directory : pluginPath) {
            if (!Files.isDirectory(directory)) {
                throw new IllegalStateException("Connect plugin directory " + directory + " does not exist. Build the project "
                        + "first (./eventflow build unpacks the sink connector there), or set connect.plugin.path.");
            }
        }
        Map<String, String> props = workerConfig(bootstrapServers, port, pluginPath, groupId);
        props.putAll(overrides);
        Connect<?> connect = startRefusingExit(props);
        EmbeddedConnectWorker worker = new EmbeddedConnectWorker(connect, port);
        try {
            worker.awaitReady(requiredPlugin, Duration.ofSeconds(90));
        } catch (RuntimeException e) {
            worker.close();
            throw e;
        }
        LOG.info("Kafka Connect worker ready on {}", worker.url());
        return worker;
    }

    /** Base URL of the REST API, without a trailing slash. */
    public String url() {
        return "http://" + Ports.HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
        LOG.info("Kafka Connect worker on port {} stopped", port);
    }

    private static Map<String, String> workerConfig(String bootstrapServers, int port, List<Path> pluginPath, String groupId) {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", groupId);
        props.put("listeners", "http://" + Ports.HOST + ":" + port);
        props.put("rest.advertised.host.name", Ports.HOST);
        props.put("rest.advertised.port", Integer.toString(port));
        props.put("plugin.path", String.join(",", pluginPath.stream().map(p -> p.toAbsolutePath().toString()).toList()));
        // Secrets in connector configs are references (${env:NAME}) resolved by the worker, never stored.
        props.put("config.providers", "env");
        props.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        // Plugins declare themselves through ServiceLoader manifests; skipping the reflective
        // scan more than halves the worker's start-up.
        props.put("plugin.discovery", "service_load");
        props.put("config.storage.topic", groupId + ".configs");
        props.put("offset.storage.topic", groupId + ".offsets");
        props.put("status.storage.topic", groupId + ".status");
        props.put("config.storage.replication.factor", "-1");
        props.put("offset.storage.replication.factor", "-1");
        props.put("status.storage.replication.factor", "-1");
        props.put("offset.storage.partitions", "5");
        props.put("status.storage.partitions", "1");
        props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("offset.flush.interval.ms", "250");
        // Lets a connector tune its own consumer (for example max.poll.records for large batches).
        props.put("connector.client.config.override.policy", "All");
        props.put("scheduled.rebalance.max.delay.ms", "0");
        return props;
    }

    /**
     * Connect's CLI calls {@code Exit.exit} when start-up fails; in-process that must be an exception.
     * It also stops the worker on a shutdown hook of its own, which ran at the same time as everything
     * else at Ctrl-C (the processor, PostgreSQL): the worker is stopped by {@link #close()} instead, in
     * the stack's order ({@link ShutdownSequence}).
     */
    private static Connect<?> startRefusingExit(Map<String, String> props) {
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("Kafka Connect worker failed to start (exit code " + code + ")"
                    + (message == null ? "" : ": " + message));
        });
        Exit.setShutdownHookAdder((name, runnable) -> LOG.debug("Not registering Connect's shutdown hook {}", name));
        try {
            return new ConnectDistributed().startConnect(props);
        } finally {
            Exit.resetExitProcedure();
            Exit.resetShutdownHookAdder();
        }
    }

    private void awaitReady(String requiredPlugin, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> connectors = get(http, "/connectors");
                if (connectors.statusCode() == 200) {
                    if (requiredPlugin == null) {
                        return;
                    }
                    HttpResponse<String> plugins = get(http, "/connector-plugins");
                    if (plugins.statusCode() == 200 && plugins.body().contains("\"" + requiredPlugin + "\"")) {
                        return;
                    }
                    last = "connector plugin " + requiredPlugin + " is not installed; plugins: " + plugins.body();
                } else if (connectors.statusCode() == 401 && requiredPlugin == null) {
                    return; // it serves requests, to those who authenticate (a REST extension asking for basic authentication)
                } else {
                    last = "GET /connectors answered " + connectors.statusCode() + ": " + connectors.body();
                }
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Kafka Connect", e);
            }
            sleep();
        }
        throw new IllegalStateException("Kafka Connect on " + url() + " did not become ready within "
                + timeout.toSeconds() + " s: " + last);
    }

    private HttpResponse<String> get(HttpClient http, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka Connect", e);
        }
    }
}
