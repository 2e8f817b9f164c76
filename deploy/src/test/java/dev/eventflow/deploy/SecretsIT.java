package dev.eventflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.eventflow.cli.AliasesMain;
import dev.eventflow.cli.EventflowLocal;
import dev.eventflow.cli.InitMain;
import dev.eventflow.cli.SecurityMain;
import dev.eventflow.cli.TopicsMain;
import dev.eventflow.ingest.cli.IngestMain;
import dev.eventflow.localstack.LocalStackMain;
import dev.eventflow.monitoring.MonitoringMain;
import dev.eventflow.processor.app.StreamProcessorMain;
import dev.eventflow.sink.SinkMain;
import dev.eventflow.testing.KafkaClusterExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every secret set to a recognizable value, then every line a command printed searched for those values:
 * none may be there. Each command runs as a user runs it, in a JVM of its own with the secrets in its
 * environment; failures (a provider refusing the key, a quota running out) are where secrets used to leak,
 * through URLs and exception messages.
 */
class SecretsIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.embedded();

    /** Every secret setting of every app, each with a value no other text contains. */
    static final Map<String, String> SECRETS = secrets();

    @TempDir
    static Path dir;
    static HttpServer providers;

    @BeforeAll
    static void startProviders() throws IOException {
        providers = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // The Odds API refuses the key as it does, in JSON; football-data.org's quota runs out (429).
        providers.createContext("/v4/sports/", exchange -> answer(exchange, 401, Map.of(),
                "{\"message\":\"API key is not valid or is missing\",\"error_code\":\"INVALID_KEY\"}"));
        providers.createContext("/v4/competitions/", exchange -> answer(exchange, 429, Map.of("X-Requests-Available-Minute", "0",
                "X-RequestCounter-Reset", "1"), "{\"message\":\"You reached your request limit.\",\"errorCode\":429}"));
        providers.start();
    }

    @AfterAll
    static void stop() {
        if (providers != null) {
            providers.stop(0);
        }
    }

    @Test
    void aPollWhoseKeyIsRefusedSaysSoWithoutTheKey() throws Exception {
        String base = "http://127.0.0.1:" + providers.getAddress().getPort();
        Map<String, String> env = new LinkedHashMap<>(SECRETS);
        env.keySet().removeIf(name -> !name.startsWith("EVENTFLOW_THE_ODDS_API") && !name.startsWith("EVENTFLOW_FOOTBALL_DATA_ORG"));
        env.put("EVENTFLOW_KAFKA_BOOTSTRAP_SERVERS", KAFKA.cluster().bootstrapServers());
        env.put("EVENTFLOW_THE_ODDS_API_URL", base);
        env.put("EVENTFLOW_FOOTBALL_DATA_ORG_URL", base);
        env.put("EVENTFLOW_HTTP_RETRY_MAX_ATTEMPTS", "2");
        env.put("EVENTFLOW_HTTP_RETRY_INITIAL_BACKOFF", "PT0.1S");
        env.put("EVENTFLOW_METRICS_PORT", "0");

        Run odds = run("odds", IngestMain.class, env, "poll", "--provider", "the-odds-api", "--once");
        assertThat(odds.exit).as(odds.output).isNotZero();
        assertThat(odds.output).contains("HTTP 401").contains("apiKey=REDACTED");
        assertNoSecret(odds);

        Run footballData = run("football-data-org", IngestMain.class, env, "poll", "--provider", "football-data-org", "--once");
        assertThat(footballData.exit).as(footballData.output).isNotZero();
        assertThat(footballData.output).contains("HTTP 429");
        assertNoSecret(footballData);
    }

    @Test
    void aSecuredLocalRunPrintsNoPasswordInItsConsoleOrItsLog() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("EVENTFLOW_KAFKA_BROKER_SECURITY", "scram");
        SECRETS.forEach((name, value) -> {
            if (name.startsWith("EVENTFLOW_SECURITY_") || name.equals("EVENTFLOW_SINK_PASSWORD")) {
                env.put(name, value);
            }
        });
        Path log = dir.resolve("secured-local.log");

        Run local = run("local", EventflowLocal.class, env, List.of("-Deventflow.log.file=" + log, "-Deventflow.home=" + ComposeFile.ROOT,
                "-Deventflow.connect.plugin.path=" + System.getProperty("eventflow.connect.plugin.path"),
                "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("secured-tmp"))), "--once", "--free-ports");

        assertThat(local.exit).as(local.output).isZero();
        assertThat(local.output).contains("| events | 1,140 |", "| return_rates | 8,732 |", "| quarantine | 0 |");
        assertNoSecret(local);
        String logged = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(logged).contains("SASL");
        assertNoSecret(new Run("the log file of " + local.name, local.exit, logged));
    }

    @Test
    void noHelpPrintsASecret() throws Exception {
        List<Class<?>> mains = List.of(EventflowLocal.class, LocalStackMain.class, IngestMain.class, StreamProcessorMain.class,
                SinkMain.class, InitMain.class, TopicsMain.class, AliasesMain.class, MonitoringMain.class, SecurityMain.class);
        Map<Class<?>, List<String>> commands = Map.of(IngestMain.class, List.of("replay", "poll", "history", "generate"),
                SinkMain.class, List.of("migrate", "connectors"), MonitoringMain.class, List.of("render"), SecurityMain.class,
                List.of("provision", "acls"));
        for (Class<?> main : mains) {
            List<List<String>> helps = new ArrayList<>();
            helps.add(List.of("--help"));
            commands.getOrDefault(main, List.of()).forEach(command -> helps.add(List.of(command, "--help")));
            for (List<String> help : helps) {
                Run run = run(main.getSimpleName(), main, SECRETS, help.toArray(String[]::new));
                assertThat(run.exit).as(main.getSimpleName() + " " + help + ":\n" + run.output).isZero();
                assertThat(run.output).as(main.getSimpleName() + " " + help).contains("Usage:");
                assertNoSecret(run);
            }
        }
    }

    @Test
    void monitoringWritesTheChannelsSecretsIntoAlertmanagersFileOnlyReadableByItsOwner() throws Exception {
        Path out = dir.resolve("monitoring");
        Map<String, String> env = new LinkedHashMap<>(SECRETS);
        env.keySet().removeIf(name -> !name.startsWith("EVENTFLOW_ALERT_"));
        Run render = run("render", MonitoringMain.class, env, "render", "--out", out.toString());
        assertThat(render.exit).as(render.output).isZero();
        assertThat(render.output).contains("Alerts go to: ");
        assertNoSecret(render);
        String alertmanager = Files.readString(out.resolve("alertmanager.yml"));
        assertThat(alertmanager).contains(SECRETS.get("EVENTFLOW_ALERT_SLACK_WEBHOOK_URL"), SECRETS.get("EVENTFLOW_ALERT_EMAIL_PASSWORD"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("alertmanager.yml")))).isEqualTo("rw-------");
        for (String file : List.of("prometheus.yml", "alerts.yml")) {
            String text = Files.readString(out.resolve(file));
            SECRETS.forEach((name, value) -> {
                if (value.contains("S3cret")) {
                    assertThat(text).as(file + " holds " + name).doesNotContain(value);
                }
            });
        }
    }

    private static Map<String, String> secrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("EVENTFLOW_SINK_PASSWORD", "S3cret-sink-4d1e");
        secrets.put("EVENTFLOW_KAFKA_SASL_PASSWORD", "S3cret-kafka-client-2f0e");
        secrets.put("EVENTFLOW_SECURITY_ADMIN_PASSWORD", "S3cret-kafka-admin-8a1d");
        for (String role : List.of("INGEST", "PROCESSOR", "CONNECT", "READER", "MONITOR")) {
            secrets.put("EVENTFLOW_SECURITY_" + role + "_PASSWORD", "S3cret-kafka-" + role.toLowerCase(java.util.Locale.ROOT) + "-5c7b");
        }
        secrets.put("EVENTFLOW_SINK_READER_PASSWORD", "S3cret-reader-90aa");
        secrets.put("EVENTFLOW_POSTGRES_OWNER_PASSWORD", "S3cret-owner-5b27");
        secrets.put("EVENTFLOW_CONNECT_PASSWORD", "S3cret-connect-c6f0");
        secrets.put("EVENTFLOW_THE_ODDS_API_KEY", "S3cretOddsKey1e8b");
        secrets.put("EVENTFLOW_FOOTBALL_DATA_ORG_KEY", "S3cretFdToken77d2");
        secrets.put("EVENTFLOW_ALERT_SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T000/B000/S3cretSlack3a9f");
        secrets.put("EVENTFLOW_ALERT_DISCORD_WEBHOOK_URL", "https://discord.com/api/webhooks/1/S3cretDiscord0c4d");
        secrets.put("EVENTFLOW_ALERT_EMAIL_PASSWORD", "S3cret-smtp-b1f3");
        secrets.put("EVENTFLOW_ALERT_EMAIL_TO", "ops@example.org");
        secrets.put("EVENTFLOW_ALERT_EMAIL_SMARTHOST", "127.0.0.1:2525");
        secrets.put("EVENTFLOW_ALERT_EMAIL_USERNAME", "alerts");
        return secrets;
    }

    private static void assertNoSecret(Run run) {
        SECRETS.forEach((name, value) -> {
            if (value.contains("S3cret")) {
                String secret = value.substring(value.indexOf("S3cret"));
                assertThat(run.output).as(run.name + " printed " + name + ":\n" + run.output).doesNotContain(secret);
            }
        });
    }

    private record Run(String name, int exit, String output) {
    }

    /** A command in a JVM of its own on this test's class path, with {@code environment} as its only EVENTFLOW_* variables. */
    private static Run run(String name, Class<?> main, Map<String, String> environment, String... args) throws Exception {
        return run(name, main, environment, List.of(), args);
    }

    private static Run run(String name, Class<?> main, Map<String, String> environment, List<String> jvmOptions, String... args)
            throws Exception {
        Path output = Files.createTempFile(dir, name, ".out");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ComposeFile.ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(variable -> variable.startsWith("EVENTFLOW_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(name + " still running after 10 minutes:\n" + Files.readString(output));
        }
        return new Run(name + " " + String.join(" ", args), process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
