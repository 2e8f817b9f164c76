package dev.eventflow.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.config.Config;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.testing.IsolatedTopics;
import dev.eventflow.testing.KafkaClusterExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code eventflow ingest replay} as a user runs it twice: the second run says in words that it found nothing new. */
class ReplayCommandIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.embedded();

    static final Path DATA = (Files.isDirectory(Path.of("..", "data", "football-data"))
            ? Path.of("..", "data", "football-data") : Path.of("data", "football-data")).toAbsolutePath().normalize();
    static final String RUN = "replay-\\S+ ";

    @TempDir
    Path dir;

    EventflowTopics topics;
    Map<String, String> environment;

    @BeforeEach
    void topics() throws Exception {
        IsolatedTopics isolated = IsolatedTopics.create(KAFKA.cluster());
        topics = isolated.topics();
        environment = new HashMap<>();
        isolated.config().forEach((key, value) -> environment.put(Config.ENV_PREFIX + Config.envName(key), value));
    }

    @Test
    void shouldSayInWordsThatAReplayOfAnAlreadyReplayedFileFoundNothingNew() throws Exception {
        // Given a season replayed to its end
        Path season = DATA.resolve("SP1_2012-13.csv");
        assertThat(replay(season.toString())).singleElement().asString().matches(RUN + "SUCCEEDED: read 380, published 380, skipped 0");

        // When the same file is replayed again, the run publishes nothing and says that there was nothing new, and why
        List<String> again = replay(season.toString());

        assertThat(again).hasSize(2);
        assertThat(again.get(0)).matches(RUN + "SUCCEEDED: read 0, published 0, skipped 0");
        assertThat(again.get(1)).isEqualTo("Nothing new: " + season + " was already replayed to its last line (its checkpoint is on "
                + topics.ingestCheckpoints().name() + "); --from-start replays it again.");
        assertThat(rawRecords()).isEqualTo(380);

        // With a new file beside it, it names the one that had nothing new, and publishes the other
        Path other = Files.writeString(dir.resolve("E0_extra.csv"), "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG\nE0,02/01/2030,Arsenal,Chelsea,2,2\n");
        List<String> mixed = replay(season.toString(), other.toString());

        assertThat(mixed).hasSize(2);
        assertThat(mixed.get(0)).matches(RUN + "SUCCEEDED: read 1, published 1, skipped 0");
        assertThat(mixed.get(1)).isEqualTo("1 of 2 files had nothing new, being already replayed to their last line: " + season + ".");
        assertThat(rawRecords()).isEqualTo(381);

        // Two files with nothing new
        assertThat(replay(season.toString(), other.toString()).get(1)).isEqualTo("Nothing new: all 2 files were already replayed to "
                + "their last line (their checkpoints are on " + topics.ingestCheckpoints().name() + "); --from-start replays them again.");

        // --from-start publishes it again, and says nothing of the kind
        assertThat(replay(season.toString(), "--from-start")).singleElement().asString()
                .matches(RUN + "SUCCEEDED: read 380, published 380, skipped 0");
        assertThat(rawRecords()).isEqualTo(761);
    }

    /** {@code eventflow ingest replay ARGS} in this JVM against this test's topics; the lines it printed (it must succeed). */
    List<String> replay(String... args) {
        Map<String, String> previous = IngestMain.environment;
        IngestMain.environment = environment;
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = IngestMain.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            List<String> command = new java.util.ArrayList<>(List.of("replay", "--bootstrap-servers", KAFKA.cluster().bootstrapServers()));
            command.addAll(List.of(args));
            assertThat(cli.execute(command.toArray(String[]::new))).as("exit code of %s: %s", command, err).isZero();
            assertThat(err.toString()).isEmpty();
            return out.toString().lines().toList();
        } finally {
            IngestMain.environment = previous;
        }
    }

    long rawRecords() throws Exception {
        String topic = topics.eventsRaw().name();
        try (Admin admin = Admin.create(KAFKA.cluster().clientConfig())) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(request).all().get().values().stream().mapToLong(info -> info.offset()).sum();
        }
    }
}
