package dev.eventflow.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.eventflow.cli.LocalPipeline;
import dev.eventflow.config.Config;
import dev.eventflow.ingest.http.PollerMetrics;
import dev.eventflow.ingest.http.Quota;
import dev.eventflow.ingest.http.ResilientHttp;
import dev.eventflow.ingest.http.TheOddsApiPoller;
import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.ingest.runs.Checkpoints;
import dev.eventflow.localstack.LocalStackConfig;
import dev.eventflow.localstack.Ports;
import dev.eventflow.ops.OpsServer;
import dev.eventflow.testing.ExternalTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Monitoring end to end, with every part real: the pipeline on the embedded local stack (with a live feed
 * and a polling producer), Prometheus and Alertmanager as processes with the rendered configs, and the
 * alert channels as local servers (Slack's and Discord's webhooks over HTTP, email over SMTP). Two real
 * failures are caused: a sink connector task that fails because its grant on a table was revoked, and a
 * burst of malformed raw records. Each channel must receive both alerts, and every query of the Grafana
 * dashboard must return data from that Prometheus.
 */
class AlertingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path DASHBOARD = Path.of("grafana", "dashboards", "eventflow.json");
    /** The Odds API v4's answers: one odds object, no scores. */
    private static final String POLLED_ODDS = "[{\"id\":\"alerting-it-1\",\"sport_key\":\"soccer_epl\",\"sport_title\":\"EPL\","
            + "\"commence_time\":\"2026-12-05T15:00:00Z\",\"home_team\":\"Arsenal\",\"away_team\":\"Chelsea\","
            + "\"bookmakers\":[{\"key\":\"williamhill\",\"title\":\"William Hill\",\"last_update\":\"2026-11-29T10:00:00Z\","
            + "\"markets\":[{\"key\":\"h2h\",\"last_update\":\"2026-11-29T10:00:00Z\",\"outcomes\":["
            + "{\"name\":\"Arsenal\",\"price\":2.1},{\"name\":\"Chelsea\",\"price\":3.4},{\"name\":\"Draw\",\"price\":3.5}]}]}]}]";
    private static final String POLLED_SCORES = "[]";

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (Process process : processes) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void aFailingSinkTaskAndABurstOfMalformedRecordsReachSlackDiscordAndEmail() throws Exception {
        Path prometheus = ExternalTools.require("prometheus");
        Path alertmanager = ExternalTools.require("prometheus-alertmanager", "alertmanager");

        Webhooks webhooks = new Webhooks();
        resources.add(webhooks);
        Smtp smtp = new Smtp();
        resources.add(smtp);

        LocalPipeline pipeline = LocalPipeline.start(new LocalPipeline.Options(LocalStackConfig.defaults().withFreePorts(), 0,
                "sink-secret", 500, 0));
        resources.add(pipeline);
        pipeline.replay(List.of(Path.of("..", "data", "football-data", "E0_2019-20.csv")), true);
        pipeline.startLiveFeed(50, 7);
        int pollerPort = startPoller(pipeline);

        int prometheusPort = Ports.freePort();
        int alertmanagerPort = Ports.freePort();
        Map<String, String> settings = new HashMap<>();
        settings.put("monitoring.scrape-interval", "1s");
        settings.put("monitoring.evaluation-interval", "1s");
        settings.put("monitoring.local.stream-processor", "127.0.0.1:" + pipeline.metricsPort());
        settings.put("monitoring.local.sink-supervisor", "127.0.0.1:" + pipeline.supervisorPort().orElseThrow());
        settings.put("monitoring.local.ingest-poller", "127.0.0.1:" + pollerPort);
        settings.put("monitoring.local.alertmanager", "127.0.0.1:" + alertmanagerPort);
        settings.put("alert.dead-letters.per-second", "5");
        settings.put("alert.dead-letters.window", "1m");
        settings.put("alert.dead-letters.for", "0s");
        settings.put("alert.task-failed.window", "1m");
        settings.put(MonitoringConfig.SLACK_WEBHOOK, webhooks.url("/slack"));
        settings.put(MonitoringConfig.DISCORD_WEBHOOK, webhooks.url("/discord"));
        settings.put(MonitoringConfig.EMAIL_TO, "ops@example.com");
        settings.put(MonitoringConfig.EMAIL_SMARTHOST, "127.0.0.1:" + smtp.port());
        settings.put(MonitoringConfig.EMAIL_REQUIRE_TLS, "false");
        settings.put(MonitoringConfig.GROUP_WAIT, "1s");
        settings.put(MonitoringConfig.GROUP_INTERVAL, "5s");
        MonitoringConfig config = new MonitoringConfig(Config.of(MonitoringConfig.SPEC, settings));
        Files.writeString(dir.resolve("prometheus.yml"), config.prometheus(MonitoringConfig.Target.LOCAL));
        Files.writeString(dir.resolve("alerts.yml"), config.alertRules());
        Files.writeString(dir.resolve("alertmanager.yml"), config.alertmanager());

        start(alertmanager, "--config.file=" + dir.resolve("alertmanager.yml"), "--storage.path=" + dir.resolve("am-data"),
                "--web.listen-address=127.0.0.1:" + alertmanagerPort, "--cluster.listen-address=");
        start(prometheus, "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("prom-data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort);

        // Every target answers, and nothing fires while the pipeline is healthy.
        await("every scrape target up").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(query(prometheusPort, "up == 1")).extracting(r -> r.path("metric").path("job").asText())
                        .containsExactlyInAnyOrder("stream-processor", "sink-supervisor", "ingest-poller"));
        await("the sink writing rows").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(query(prometheusPort, "sum(eventflow_sink_rows_written{table=\"return_rates\"}) > 0")).isNotEmpty());
        assertThat(query(prometheusPort, "ALERTS{alertstate=\"firing\"}")).as("alerts firing on a healthy pipeline").isEmpty();

        // Failure 1: the sink role loses its grant on return_rates; the live feed keeps sending rates.
        try (Connection db = DriverManager.getConnection(pipeline.stack().jdbcUrl(), pipeline.stack().jdbcUser(),
                pipeline.stack().jdbcPassword()); Statement statement = db.createStatement()) {
            statement.execute("REVOKE INSERT, UPDATE, DELETE ON return_rates FROM " + LocalPipeline.SINK_ROLE);
        }
        // Failure 2: a burst of 2,000 malformed raw records.
        Instant failuresCaused = Instant.now();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(pipeline))) {
            for (int i = 0; i < 2_000; i++) {
                producer.send(new ProducerRecord<>(pipeline.stack().topics().returnRatesRaw().name(),
                        ("broken-" + i).getBytes(StandardCharsets.UTF_8), "{\"provider\":\"the-odds-api\",\"payload\":".getBytes(StandardCharsets.UTF_8)));
            }
        }

        List<String> alerts = List.of("EventflowSinkTaskFailed", "EventflowDeadLettersHigh");
        await("both alerts on every channel").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(String.join("\n", webhooks.received("/slack"))).as("Slack").contains(alerts);
            assertThat(String.join("\n", webhooks.received("/discord"))).as("Discord").contains(alerts);
            assertThat(String.join("\n", smtp.messages())).as("email").contains(alerts);
        });
        Duration noticed = Duration.between(failuresCaused, Instant.now());
        System.out.printf("AlertingIT: both alerts reached Slack, Discord and email %.1f s after the failures were caused%n",
                noticed.toMillis() / 1000.0);

        JsonNode slack = JSON.readTree(webhooks.received("/slack").get(0));
        assertThat(slack.path("attachments").get(0).path("title").asText()).startsWith("[FIRING:");
        assertThat(String.join("\n", webhooks.received("/slack")))
                .contains("Sink task eventflow-return-rates-sink/0 FAILED", "Dead letters above 5/s");
        assertThat(String.join("\n", smtp.messages())).contains("To: ops@example.com");

        // Every query of the dashboard answers with data from this Prometheus.
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                await("data for panel '" + panel.path("title").asText() + "': " + expr).atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(query(prometheusPort, expr)).isNotEmpty());
            }
        }
    }

    private int startPoller(LocalPipeline pipeline) throws IOException {
        HttpServer provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (String endpoint : List.of("odds", "scores")) {
            byte[] body = (endpoint.equals("odds") ? POLLED_ODDS : POLLED_SCORES).getBytes(StandardCharsets.UTF_8);
            provider.createContext("/v4/sports/soccer_epl/" + endpoint, exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.getResponseHeaders().set("x-requests-remaining", "19000");
                exchange.getResponseHeaders().set("x-requests-used", "1000");
                exchange.getResponseHeaders().set("x-requests-last", "2");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
        }
        provider.start();
        resources.add(() -> provider.stop(0));
        RawPublisher publisher = new RawPublisher(pipeline.stack().bootstrapServers(), Map.of());
        resources.add(publisher::close);
        ResilientHttp http = new ResilientHttp("the-odds-api", new ResilientHttp.Settings(Duration.ofSeconds(5), 2,
                Duration.ofMillis(100), Duration.ofSeconds(1), 10, 5, Duration.ofSeconds(5), null, null), TheOddsApiPoller.quotaSpent());
        PollerMetrics metrics = new PollerMetrics("the-odds-api");
        TheOddsApiPoller poller = new TheOddsApiPoller(http, publisher, Checkpoints.load(pipeline.stack().bootstrapServers(), publisher,
                pipeline.stack().topics().ingestCheckpoints(), Clock.systemUTC()), pipeline.stack().topics(), Clock.systemUTC(),
                new TheOddsApiPoller.Settings(URI.create("http://127.0.0.1:" + provider.getAddress().getPort()), "alerting-it-key",
                        List.of("soccer_epl"), "uk,eu", "h2h", "decimal", 1),
                new Quota("the-odds-api", 50).bindTo(metrics.registry()));
        OpsServer ops = OpsServer.start(OpsServer.DEFAULT_HOST, 0, metrics::scrape, () -> true, () -> true, () -> "POLLING");
        Thread thread = new Thread(() -> {
            try {
                poller.pollEvery(Duration.ofSeconds(1), 0, metrics::record);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }, "alerting-it-poller");
        thread.setDaemon(true);
        thread.start();
        resources.add(() -> {
            thread.interrupt();
            thread.join(10_000);
            ops.close();
        });
        return ops.port();
    }

    private static Properties producerConfig(LocalPipeline pipeline) {
        Properties props = new Properties();
        props.putAll(pipeline.stack().clientConfig());
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        return props;
    }

    private void start(Path tool, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(tool.toString());
        command.addAll(List.of(args));
        Path log = dir.resolve(tool.getFileName() + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
    }

    /** The result vector of an instant query. */
    private static List<JsonNode> query(int port, String expr) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).as(expr + ": " + response.body()).isEqualTo("success");
        List<JsonNode> result = new ArrayList<>();
        body.path("data").path("result").forEach(result::add);
        return result;
    }

    /** Slack's and Discord's webhooks: every POST body, by path. */
    private static final class Webhooks implements AutoCloseable {
        private final HttpServer server;
        private final Map<String, List<String>> bodies = new HashMap<>();

        Webhooks() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            for (String path : List.of("/slack", "/discord")) {
                List<String> received = new CopyOnWriteArrayList<>();
                bodies.put(path, received);
                server.createContext(path, exchange -> {
                    received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, ok.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(ok);
                    }
                });
            }
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        List<String> received(String path) {
            return bodies.get(path);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** A plain SMTP server that accepts every message and keeps its text. */
    private static final class Smtp implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final List<String> messages = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        Smtp() throws IOException {
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket client = socket.accept();
                        Thread session = new Thread(() -> serve(client), "alerting-it-smtp-session");
                        session.setDaemon(true);
                        session.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "alerting-it-smtp");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        List<String> messages() {
            return messages;
        }

        private void serve(Socket client) {
            try (client; BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8)) {
                reply(out, "220 localhost test SMTP");
                String line;
                while ((line = in.readLine()) != null) {
                    String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
                    switch (verb) {
                        case "EHLO" -> {
                            out.print("250-localhost\r\n");
                            reply(out, "250 8BITMIME");
                        }
                        case "DATA" -> {
                            reply(out, "354 end with <CRLF>.<CRLF>");
                            StringBuilder message = new StringBuilder();
                            while ((line = in.readLine()) != null && !line.equals(".")) {
                                message.append(line).append('\n');
                            }
                            messages.add(message.toString());
                            reply(out, "250 queued");
                        }
                        case "QUIT" -> {
                            reply(out, "221 bye");
                            return;
                        }
                        default -> reply(out, "250 OK");
                    }
                }
            } catch (IOException e) {
                // The client went away.
            }
        }

        private static void reply(PrintWriter out, String line) {
            out.print(line + "\r\n");
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
