package dev.eventflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.testing.KafkaClusterExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code eventflow topics create|check} against a real broker, with topic names of its own. */
class TopicsMainIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.embedded();

    private static final List<String> IDS = List.of("events-raw", "return-rates-raw", "entities-clean", "events-clean",
            "return-rates-clean", "events-enriched", "dlq", "ingest-runs", "ingest-checkpoints",
            "entity-aliases", "event-moves", "quality-scores", "quality-run-scores");

    @TempDir
    Path dir;

    @Test
    void createsTheMissingTopicsOnceThenChecksThemAgainstTheContract() throws Exception {
        Path config = configWithTopicsNamed("t1.");

        Run first = run("create", config);
        assertThat(first.exit).as(first.err).isZero();
        assertThat(first.out).startsWith("Created 13 topic(s): ")
                .contains("t1.provider.events.raw", "t1.entities.clean", "t1.ingest.checkpoints")
                .contains("All 13 topics of the contract match it on " + KAFKA.cluster().bootstrapServers());

        Run again = run("create", config);
        assertThat(again.exit).as(again.err).isZero();
        assertThat(again.out).startsWith("No topic created: all 13 exist.");

        try (Admin admin = Admin.create(KAFKA.cluster().clientConfig())) {
            assertThat(admin.describeTopics(List.of("t1.events.clean")).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get("t1.events.clean").partitions()).hasSize(6);
            ConfigResource enriched = new ConfigResource(ConfigResource.Type.TOPIC, "t1.events.enriched");
            admin.incrementalAlterConfigs(Map.of(enriched, List.of(new AlterConfigOp(
                    new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
            admin.deleteTopics(List.of("t1.ingest.runs")).all().get(30, TimeUnit.SECONDS);
            awaitGone(admin, "t1.ingest.runs");
        }

        Run check = run("check", config);
        assertThat(check.exit).isEqualTo(1);
        assertThat(check.err.lines().toList()).containsExactly(
                "2 difference(s) from the contract on " + KAFKA.cluster().bootstrapServers() + ":",
                "  t1.ingest.runs: missing (topic ingest-runs of the contract)",
                "  t1.events.enriched: cleanup.policy=delete, the contract asks for compact");

        Run repaired = run("create", config);
        assertThat(repaired.exit).isEqualTo(1);
        assertThat(repaired.out).startsWith("Created 1 topic(s): t1.ingest.runs");
        assertThat(repaired.err.lines().toList()).containsExactly(
                "1 difference(s) from the contract on " + KAFKA.cluster().bootstrapServers() + ":",
                "  t1.events.enriched: cleanup.policy=delete, the contract asks for compact");
    }

    @Test
    void aCheckAsksForTheConfiguredPartitionsAndReplication() throws Exception {
        Path config = configWithTopicsNamed("t2.");
        assertThat(run("create", config).exit).isZero();
        Files.writeString(config, "topic.events-raw.partitions=12\n", StandardOpenOption.APPEND);

        Run check = run("check", config, "--replication-factor", "2");
        assertThat(check.exit).isEqualTo(1);
        List<String> lines = check.err.lines().toList();
        assertThat(lines).hasSize(15).contains(
                "  t2.provider.events.raw: 6 partitions, the contract asks for 12",
                "  t2.entities.clean: replication factor 1, asked for 2");
    }

    @Test
    void anUnknownSettingStopsTheCommandNamingIt() throws Exception {
        Path config = dir.resolve("bad.properties");
        Files.writeString(config, "topic.events-raw.partition=3\n");
        Run run = run("check", config);
        assertThat(run.exit).isEqualTo(1);
        assertThat(run.err).contains("topic.events-raw.partition");
    }

    private Path configWithTopicsNamed(String prefix) throws Exception {
        Path config = dir.resolve(prefix + "properties");
        String names = IDS.stream().map(id -> "topic." + id + ".name=" + prefix + defaultName(id))
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(config, names + "kafka.bootstrap.servers=" + KAFKA.cluster().bootstrapServers() + "\n");
        return config;
    }

    private static String defaultName(String id) {
        return EventflowTopics.defaults().all().stream()
                .filter(topic -> topic.id().equals(id)).findFirst().orElseThrow().name();
    }

    private static void awaitGone(Admin admin, String topic) {
        await(topic + " no longer listed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> !admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic));
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String command, Path config, String... extra) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TopicsMain());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println(e.getMessage());
            return 1;
        });
        TopicsMain.environment = Map.of();
        List<String> args = new java.util.ArrayList<>(List.of(command, "--config", config.toString()));
        args.addAll(List.of(extra));
        int exit = cli.execute(args.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }
}
