package dev.eventflow.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventflow.ingest.ProviderFormat;
import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.ingest.runs.Checkpoints;
import dev.eventflow.model.IngestCheckpoint;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.IngestRunStatus;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.testing.IsolatedTopics;
import dev.eventflow.testing.KafkaClusterExtension;
import dev.eventflow.testing.TopicClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Replays of the real sample seasons into the embedded broker: timestamps, run log, date range, resume after a kill. */
class ReplayIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.embedded();

    static final Path DATA = (Files.isDirectory(Path.of("..", "data", "football-data"))
            ? Path.of("..", "data", "football-data") : Path.of("data", "football-data")).toAbsolutePath().normalize();
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final Duration QUIET = Duration.ofSeconds(1);

    EventflowTopics topics;
    RawPublisher publisher;
    Map<String, String> topicNames;

    @BeforeEach
    void topics() throws Exception {
        IsolatedTopics isolated = IsolatedTopics.create(KAFKA.cluster());
        topics = isolated.topics();
        topicNames = isolated.config();
        publisher = new RawPublisher(KAFKA.cluster().bootstrapServers(), Map.of());
    }

    @AfterEach
    void close() {
        publisher.close();
    }

    Replayer replayer(int checkpointEvery) {
        Checkpoints checkpoints = Checkpoints.load(KAFKA.cluster().bootstrapServers(), publisher, topics.ingestCheckpoints(), Clock.systemUTC());
        return new Replayer(publisher, checkpoints, topics, Clock.systemUTC(), checkpointEvery);
    }

    static List<Path> seasons() {
        return List.of(DATA.resolve("E0_2004-05.csv"), DATA.resolve("SP1_2012-13.csv"), DATA.resolve("E0_2019-20.csv"));
    }

    @Test
    void shouldPublishEveryRowUntouchedTimestampedAtKickOffAndRecordTheRun() {
        IngestRun run = replayer(1000).replay(new Replayer.Options(seasons(), null, 0, null, null, false));

        assertThat(run).extracting(IngestRun::status, IngestRun::recordsRead, IngestRun::recordsPublished, IngestRun::recordsSkipped)
                .containsExactly(IngestRunStatus.SUCCEEDED, 1140L, 1140L, 0L);
        // E0 2004-05 has rows wider than its header (counted independently: see RowReaderTest)
        assertThat(run.anomalies()).containsOnlyKeys("row wider than header");
        TopicClient client = new TopicClient(KAFKA.cluster());
        List<ConsumerRecord<String, RawEnvelope>> raw = client.readExactly(topics.eventsRaw(), 1140, TIMEOUT, QUIET);
        assertThat(raw.stream().map(ConsumerRecord::key).distinct()).hasSize(1140);
        ConsumerRecord<String, RawEnvelope> liverpool = raw.stream()
                .filter(r -> r.key().equals("E0/09/08/2019/Liverpool/Norwich")).findFirst().orElseThrow();
        assertThat(Instant.ofEpochMilli(liverpool.timestamp())).isEqualTo(Instant.parse("2019-08-09T19:00:00Z"));
        assertThat(liverpool.value()).extracting(RawEnvelope::provider, RawEnvelope::line, RawEnvelope::ingestRunId,
                RawEnvelope::eventTime).containsExactly("football-data", 2L, run.runId(), Instant.parse("2019-08-09T19:00:00Z"));
        assertThat(liverpool.value().source()).endsWith("E0_2019-20.csv");
        assertThat(liverpool.value().payload().get("B365H").asText()).isEqualTo("1.14");
        assertThat(liverpool.value().contentHash()).hasSize(64);

        List<ConsumerRecord<String, IngestRun>> runs = client.readExactly(topics.ingestRuns(), 2, TIMEOUT, QUIET);
        assertThat(runs).extracting(r -> r.value().status()).containsExactly(IngestRunStatus.RUNNING, IngestRunStatus.SUCCEEDED);
        assertThat(runs.get(1).value()).isEqualTo(run);
        List<ConsumerRecord<String, IngestCheckpoint>> checkpoints = client.readExactly(topics.ingestCheckpoints(), 3, TIMEOUT, QUIET);
        assertThat(checkpoints).extracting(r -> r.value().line()).containsExactly(381L, 381L, 381L);
    }

    @Test
    void shouldPublishOnlyTheDateRangeAndCountWhatItLeftOut() {
        IngestRun run = replayer(1000).replay(new Replayer.Options(List.of(DATA.resolve("E0_2019-20.csv")), ProviderFormat.FOOTBALL_DATA,
                0, Instant.parse("2019-08-01T00:00:00Z"), Instant.parse("2019-09-01T00:00:00Z"), false));

        // 38 rows of the file are dated xx/08/2019 (counted independently with a CSV reader)
        assertThat(run.recordsPublished()).isEqualTo(38);
        assertThat(run.skippedByReason()).isEqualTo(Map.of("outside the date range", 342L));
        new TopicClient(KAFKA.cluster()).readExactly(topics.eventsRaw(), 38, TIMEOUT, QUIET);
    }

    @Test
    void shouldContinueAKilledReplayWhereItStoppedWithoutAGap() throws Exception {
        // Given a replay in its own JVM, paced to take about ten seconds, killed (SIGKILL) a third of the way in
        Path season = DATA.resolve("E0_2019-20.csv");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.eventflow.ingest.cli.IngestMain", "replay",
                season.toString(), "--speed", "3000000x", "--bootstrap-servers", KAFKA.cluster().bootstrapServers())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        topicNames.forEach((key, value) -> builder.environment().put("EVENTFLOW_" + dev.eventflow.config.Config.envName(key), value));
        builder.environment().put("EVENTFLOW_REPLAY_CHECKPOINT_EVERY", "50");
        Process replay = builder.start();
        try {
            await("130 rows published by the first replay").atMost(TIMEOUT).until(() -> rawCount() >= 130);
        } finally {
            replay.destroyForcibly().waitFor();
        }
        // Sends the broker received before the kill may still be appended just after it: count once the count holds still
        long publishedBeforeKill = rawCount();
        for (long previous = -1; previous != publishedBeforeKill; ) {
            previous = publishedBeforeKill;
            Thread.sleep(500);
            publishedBeforeKill = rawCount();
        }
        assertThat(publishedBeforeKill).as("killed midway").isLessThan(380);

        // When the same replay runs again
        Instant restarted = Instant.now();
        IngestRun resumed = replayer(50).replay(new Replayer.Options(List.of(season), null, 0, null, null, false));
        Duration took = Duration.between(restarted, Instant.now());

        // Then every row is on the raw topic at least once, and only what followed the last checkpoint was read again
        TopicClient client = new TopicClient(KAFKA.cluster());
        List<ConsumerRecord<String, RawEnvelope>> raw = client.readExactly(topics.eventsRaw(),
                (int) (publishedBeforeKill + resumed.recordsPublished()), TIMEOUT, QUIET);
        Set<String> keys = raw.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
        assertThat(keys).hasSize(380);
        long firstResumedLine = raw.stream().filter(r -> r.value().ingestRunId().equals(resumed.runId()))
                .mapToLong(r -> r.value().line()).min().orElseThrow();
        assertThat(firstResumedLine).isGreaterThan(2).isLessThanOrEqualTo(publishedBeforeKill + 2);
        assertThat(resumed.recordsRead()).isEqualTo(381 - firstResumedLine + 1).isLessThan(380);
        assertThat(resumed.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        System.out.printf(java.util.Locale.ROOT, "ingest replay killed (SIGKILL) with %d of 380 rows published: the same command resumed at "
                + "line %d (the last checkpoint), published %d rows (%d of them again) and finished %.1f s after it was started%n",
                publishedBeforeKill, firstResumedLine, resumed.recordsPublished(), publishedBeforeKill + resumed.recordsPublished() - 380,
                took.toMillis() / 1000.0);
        // The run log: the killed run never ended (its last record says RUNNING); the resumed one succeeded
        Map<String, IngestRun> latest = client.readExactly(topics.ingestRuns(), 3, TIMEOUT, QUIET).stream()
                .collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value, (a, b) -> b));
        assertThat(latest.values()).extracting(IngestRun::status)
                .containsExactlyInAnyOrder(IngestRunStatus.RUNNING, IngestRunStatus.SUCCEEDED);
    }

    @Test
    void shouldSkipWhatCannotBePublishedCountItAndGoOnWithTheNextRecordsAndFiles(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        // A binary file named .csv (a gzip that lost its .gz), a .gz cut inside its third row, and JSON lines with a
        // record too large for Kafka between two good ones, and one with a number JSON output cannot write
        String csv = "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG\nE0,01/01/2031,Arsenal,Chelsea,1,0\nE0,02/01/2031,Everton,Fulham,2,2\n";
        Path binary = Files.write(dir.resolve("binary.csv"), gzip(csv.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        java.io.ByteArrayOutputStream cut = new java.io.ByteArrayOutputStream();
        java.util.zip.GZIPOutputStream flushed = new java.util.zip.GZIPOutputStream(cut, true);
        for (String part : List.of(csv, "E0,03/01/20")) {
            flushed.write(part.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            flushed.flush();
        }
        Path truncated = Files.write(dir.resolve("truncated.csv.gz"), cut.toByteArray());
        Path large = Files.writeString(dir.resolve("large.jsonl"), "{\"id\":\"a\",\"last_update\":\"2031-01-01T00:00:00Z\"}\n"
                + "{\"id\":\"b\",\"notes\":\"" + "x".repeat(1_100_000) + "\"}\n{\"id\":\"c\"}\n{\"id\":\"d\",\"price\":1e999999999}\n");

        IngestRun run = replayer(1000).replay(new Replayer.Options(List.of(binary, truncated, large), null, 0, null, null, false));

        assertThat(run.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
        assertThat(run.skippedByReason()).isEqualTo(Map.of(
                Replayer.BINARY, 1L,
                "truncated file: the gzip data ends inside this record", 1L,
                "record larger than the producer's max.request.size (1048576 bytes)", 1L,
                Replayer.UNWRITABLE_NUMBER, 1L));
        assertThat(run.anomalies()).isEqualTo(Map.of("truncated or corrupt gzip file", 1L));
        assertThat(run).extracting(IngestRun::recordsRead, IngestRun::recordsPublished, IngestRun::recordsSkipped)
                .containsExactly(8L, 4L, 4L);
        TopicClient client = new TopicClient(KAFKA.cluster());
        assertThat(client.readExactly(topics.eventsRaw(), 2, TIMEOUT, QUIET)).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("E0/01/01/2031/Arsenal/Chelsea", "E0/02/01/2031/Everton/Fulham");
        // (two keys on two partitions: read in no fixed order)
        assertThat(client.readExactly(topics.returnRatesRaw(), 2, TIMEOUT, QUIET)).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("synthetic:a", "synthetic:c");
        // The truncated file's checkpoint stops before the row the data ends inside: a repaired file goes on from it
        assertThat(client.readExactly(topics.ingestCheckpoints(), 3, TIMEOUT, QUIET).stream()
                .filter(r -> r.key().endsWith("truncated.csv.gz")).map(r -> r.value().line()).toList()).containsExactly(3L);
    }

    static byte[] gzip(byte[] bytes) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    long rawCount() throws Exception {
        try (Admin admin = Admin.create(KAFKA.cluster().clientConfig())) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(List.of(topics.eventsRaw().name())).allTopicNames().get().get(topics.eventsRaw().name())
                    .partitions().forEach(p -> request.put(new TopicPartition(topics.eventsRaw().name(), p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(request).all().get().values().stream().mapToLong(info -> info.offset()).sum();
        }
    }
}
