package dev.eventflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eventflow.cli.LocalPipeline;
import dev.eventflow.config.KafkaSecurity;
import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.ingest.replay.Replayer;
import dev.eventflow.ingest.runs.Checkpoints;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.IngestRunStatus;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.testing.Docker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The whole docker compose deployment where a Docker engine exists (skipped, with the reason, where none
 * does, as on the machine this project is built on): images built from this tree, {@code up} from
 * nothing, the sample seasons backfilled through Kafka on 127.0.0.1:9092, exact row counts in PostgreSQL.
 */
class ComposeDeploymentIT {

    @Test
    void theSampleSeasonsLandInPostgresThroughTheComposeDeployment() throws Exception {
        assumeTrue(Docker.isAvailable(), Docker.unavailableReason());
        Map<String, String> env = ComposeFile.envFile(ComposeFile.ROOT.resolve(".env.example"));
        ComposeContainer compose = new ComposeContainer(ComposeFile.ROOT.resolve("docker-compose.yml").toFile())
                .withEnv(env)
                .withBuild(true)
                .waitingFor("stream-processor", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(10)))
                .waitingFor("sink-supervisor", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(10)));
        compose.start();
        // Kafka takes SCRAM logins only: the backfill publishes as the ingest principal, on the published listener.
        Map<String, Object> ingestLogin = KafkaSecurity.scram("eventflow-ingest", env.get("EVENTFLOW_SECURITY_INGEST_PASSWORD")).clientConfig();
        try (RawPublisher publisher = new RawPublisher("127.0.0.1:9092", ingestLogin)) {
            EventflowTopics topics = EventflowTopics.defaults();
            List<Path> files;
            try (Stream<Path> samples = Files.list(ComposeFile.ROOT.resolve("data/football-data"))) {
                files = samples.filter(file -> file.toString().endsWith(".csv")).sorted().toList();
            }
            IngestRun run = new Replayer(publisher, Checkpoints.load(withBootstrap(ingestLogin), publisher, topics.ingestCheckpoints(),
                    Clock.systemUTC()), topics, Clock.systemUTC(), 10_000)
                    .replay(new Replayer.Options(files, null, 0, null, null, true));
            assertThat(run.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/eventflow", "postgres",
                        env.get("EVENTFLOW_POSTGRES_OWNER_PASSWORD"))) {
                    assertThat(LocalPipeline.rowCounts(db)).containsEntry("entities", 48L).containsEntry("events", 1140L)
                            .containsEntry("return_rates", 8732L).containsEntry("events_enriched", 1140L)
                            .containsEntry("quarantine", 0L).containsEntry("ingest_runs", 1L);
                }
            });
        } finally {
            compose.stop();
        }
    }

    private static Map<String, Object> withBootstrap(Map<String, Object> login) {
        Map<String, Object> config = new java.util.HashMap<>(login);
        config.put("bootstrap.servers", "127.0.0.1:9092");
        return config;
    }
}
