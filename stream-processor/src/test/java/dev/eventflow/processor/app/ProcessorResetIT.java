package dev.eventflow.processor.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.RawRecords;
import dev.eventflow.testing.KafkaClusterExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code eventflow processor reset} on a real broker, against a running and then a stopped processor. */
class ProcessorResetIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.embedded();

    static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void shouldRefuseWhileTheProcessorRunsAndThenResetOffsetsInternalTopicsAndState() throws Exception {
        // Given the raw topics, 100 rows of a season on one, and a processor that has processed them
        EventflowTopics topics = EventflowTopics.defaults();
        String appId = "eventflow-reset-it-" + UUID.randomUUID();
        Path stateDir = dir.resolve("state");
        Path configFile = dir.resolve("processor.properties");
        Files.writeString(configFile, String.join("\n",
                "application.id=" + appId,
                "kafka.bootstrap.servers=" + KAFKA.cluster().bootstrapServers(),
                "state.dir=" + stateDir,
                "metrics.port=0", ""));
        ProcessorConfig config = ProcessorConfig.load(configFile, Map.of());
        List<String> raw = List.of(topics.eventsRaw().name(), topics.returnRatesRaw().name());
        try (Admin admin = Admin.create(KAFKA.cluster().clientConfig())) {
            // (the embedded stack has made every topic of the contract)
            assertThat(admin.listTopics().names().get()).containsAll(raw);
            List<RawRecords.Keyed> rows = RawRecords.footballData(RawRecords.DATA.resolve("SP1_2012-13.csv")).subList(0, 100);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.cluster().bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (RawRecords.Keyed row : rows) {
                    producer.send(new ProducerRecord<>(topics.eventsRaw().name(), row.key().getBytes(StandardCharsets.UTF_8),
                            RawRecords.bytes(row.envelope())));
                }
                producer.flush();
            }
            Map<TopicPartition, Long> ends = endOffsets(admin, topics.eventsRaw().name());
            assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(100);

            Set<String> internal;
            try (StreamProcessorApp app = StreamProcessorApp.start(config)) {
                await("all 100 rows processed and committed").atMost(TIMEOUT).until(() ->
                        committed(admin, appId, topics.eventsRaw().name()).equals(ends));
                internal = internalTopics(admin, appId);
                assertThat(internal).contains(appId + "-entities-by-id-repartition", appId + "-event-bundles-by-event-id-repartition")
                        .anyMatch(topic -> topic.endsWith("-changelog"));
                assertThat(stateDir.resolve(appId)).isDirectory();

                // When the reset runs while the processor runs, then it refuses in one line and changes nothing
                Run refused = reset("--config", configFile.toString());
                assertThat(refused.exit()).isEqualTo(1);
                assertThat(refused.err()).isEqualTo("eventflow processor reset: the application " + appId
                        + " still has 1 live member: stop every instance first\n");
                assertThat(refused.out()).isEmpty();
                assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
                assertThat(internalTopics(admin, appId)).isEqualTo(internal);
                assertThat(committed(admin, appId, topics.eventsRaw().name())).isEqualTo(ends);

                app.close();

                // A dry run after the stop changes nothing either
                Run dry = reset("--config", configFile.toString(), "--dry-run");
                assertThat(dry.exit()).as(dry.err()).isZero();
                assertThat(dry.out()).startsWith("Dry run, nothing changed. Reset of " + appId + ":")
                        .contains("internal topics would be deleted: " + String.join(", ", internal));
                assertThat(internalTopics(admin, appId)).isEqualTo(internal);
                assertThat(committed(admin, appId, topics.eventsRaw().name())).isEqualTo(ends);
                assertThat(stateDir.resolve(appId)).isDirectory();
            }

            // When the processor has stopped, then the reset runs
            Run done = reset("--config", configFile.toString());
            assertThat(done.exit()).as(done.err()).isZero();
            assertThat(done.err()).isEmpty();
            assertThat(done.out()).isEqualTo(String.join("\n",
                    "Reset of " + appId + ":",
                    "  offsets of provider.events.raw, provider.return-rates.raw went back to the earliest",
                    "  internal topics deleted: " + String.join(", ", internal),
                    "  local state " + stateDir.resolve(appId) + ": removed",
                    "The next start of the processor reprocesses the raw topics from the beginning.", ""));
            // the group's offsets on the raw topics are at the beginning, the internal topics and the local state are gone
            assertThat(committed(admin, appId, topics.eventsRaw().name()))
                    .isEqualTo(ends.keySet().stream().collect(Collectors.toMap(tp -> tp, tp -> 0L)));
            await("internal topics deleted").atMost(TIMEOUT).until(() -> internalTopics(admin, appId).isEmpty());
            assertThat(stateDir.resolve(appId)).doesNotExist();
            // and the raw and clean topics are all still there
            assertThat(admin.listTopics().names().get()).contains(topics.eventsRaw().name(), topics.returnRatesRaw().name(),
                    topics.eventsClean().name(), topics.entitiesClean().name());
        }
    }

    record Run(int exit, String out, String err) {
    }

    private Run reset(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(args));
        argv.add(0, "reset");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = StreamProcessorMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(argv.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    /** The application's topics (all internal), sorted. */
    private static Set<String> internalTopics(Admin admin, String appId) throws Exception {
        return admin.listTopics().names().get().stream().filter(topic -> topic.startsWith(appId + "-"))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
