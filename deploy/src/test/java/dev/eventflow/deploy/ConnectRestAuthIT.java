package dev.eventflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eventflow.cli.InitMain;
import dev.eventflow.config.Config;
import dev.eventflow.localstack.EmbeddedConnectWorker;
import dev.eventflow.localstack.Ports;
import dev.eventflow.sink.SinkMain;
import dev.eventflow.sink.connectors.ConnectClient;
import dev.eventflow.testing.ExternalTools;
import dev.eventflow.testing.KafkaClusterExtension;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose deployment's Connect REST API asks for basic authentication: a real Connect worker started with
 * the REST extension of deploy/connect/connect-distributed.properties, the JAAS file deploy/connect/rest-jaas.conf
 * and the users file deploy/connect/connect-start.sh writes, called as eventflow's init and supervisor call it.
 */
class ConnectRestAuthIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.embedded();

    private static final String PASSWORD = "c0nnect\\pa:ss=word";

    @TempDir
    static Path dir;
    static EmbeddedConnectWorker worker;

    @BeforeAll
    static void startWorkerAsTheImageDoes() throws Exception {
        Path users = dir.resolve("rest-users.properties");
        writeUsersFileWithTheImagesScript(users);
        Path jaas = dir.resolve("rest-jaas.conf");
        Files.writeString(jaas, Files.readString(ComposeFile.ROOT.resolve("deploy/connect/rest-jaas.conf"))
                .replace("/tmp/eventflow-connect/rest-users.properties", users.toString()));
        System.setProperty("java.security.auth.login.config", jaas.toString());

        Properties shipped = new Properties();
        try (Reader reader = Files.newBufferedReader(ComposeFile.ROOT.resolve("deploy/connect/connect-distributed.properties"))) {
            shipped.load(reader);
        }
        assertThat(shipped.getProperty("rest.extension.classes"))
                .isEqualTo("org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension");
        worker = EmbeddedConnectWorker.start(KAFKA.cluster().bootstrapServers(), Ports.freePort(), List.of(dir), "rest-auth",
                null, Map.of("rest.extension.classes", shipped.getProperty("rest.extension.classes")));
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        System.clearProperty("java.security.auth.login.config");
    }

    @Test
    void answersTheConfiguredUserOnly() throws Exception {
        ConnectClient eventflow = SinkMain.connectClient(Config.load(SinkMain.SPEC, null, Map.of("EVENTFLOW_CONNECT_URL", worker.url(),
                "EVENTFLOW_CONNECT_USER", "eventflow", "EVENTFLOW_CONNECT_PASSWORD", PASSWORD)));
        awaitAnswer(eventflow);
        assertThat(eventflow.status("none")).as("an unknown connector, asked with the right credentials").isNull();

        assertThatThrownBy(() -> new ConnectClient(worker.url()).ping()).isInstanceOf(ConnectClient.Refused.class)
                .hasMessage("Kafka Connect at " + worker.url() + " refused a request without credentials (HTTP 401): set "
                        + "connect.user and connect.password (EVENTFLOW_CONNECT_PASSWORD)");
        assertThatThrownBy(() -> new ConnectClient(worker.url(), "eventflow", "wrong").ping()).isInstanceOf(ConnectClient.Refused.class)
                .hasMessage("Kafka Connect at " + worker.url() + " refused the credentials of user eventflow (HTTP 401): check "
                        + "connect.user and connect.password (EVENTFLOW_CONNECT_PASSWORD)")
                .message().doesNotContain("wrong");
        assertThatThrownBy(() -> new ConnectClient(worker.url(), "someone", PASSWORD).status("x"))
                .isInstanceOf(ConnectClient.Refused.class);
    }

    @Test
    void initStopsAtOnceOnRefusedCredentialsInsteadOfWaiting() {
        Instant start = Instant.now();
        assertThatThrownBy(() -> InitMain.awaitConnect(new ConnectClient(worker.url(), "eventflow", "wrong"), worker.url(),
                Duration.ofMinutes(5))).isInstanceOf(ConnectClient.Refused.class);
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofMinutes(1));
    }

    /** Waits until the worker answers {@code client}; a refusal of its credentials fails at once. */
    private static void awaitAnswer(ConnectClient client) {
        await("Connect answering").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsMatching(e -> e instanceof IOException && !(e instanceof ConnectClient.Refused))
                .untilAsserted(client::ping);
    }

    /** Runs connect-start.sh with the worker's start replaced by nothing, so that it writes the users file only. */
    private static void writeUsersFileWithTheImagesScript(Path users) throws Exception {
        String script = Files.readString(ComposeFile.ROOT.resolve("deploy/connect/connect-start.sh"))
                .replace("/tmp/eventflow-connect/rest-users.properties", users.toString())
                .replace("/tmp/eventflow-connect", users.getParent().toString())
                .replaceAll("(?m)^exec .*$", "exit 0");
        Path copy = dir.resolve("connect-start.sh");
        Files.writeString(copy, script);
        ExternalTools.Result result = ExternalTools.run(dir, Path.of("/usr/bin/env"), "EVENTFLOW_CONNECT_USER=eventflow",
                "EVENTFLOW_CONNECT_PASSWORD=" + PASSWORD, "bash", copy.toString());
        assertThat(result.exit()).as(result.output()).isZero();
        Properties written = new Properties();
        try (Reader reader = Files.newBufferedReader(users)) {
            written.load(reader);
        }
        assertThat(written).containsExactly(Map.entry("eventflow", PASSWORD));
    }
}
