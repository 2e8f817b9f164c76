package dev.eventflow.processor.bench;

import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.RawRecords;
import dev.eventflow.processor.app.StreamProcessorApp;
import dev.eventflow.testing.EmbeddedKafkaCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Throughput of the topology on the real embedded broker: the three sample seasons replayed
 * {@code --repeat} times (default 100, so 114,000 raw records), each copy under its own competition code
 * (fresh events, as in a backfill), beside the broker's raw produce and
 * consume rates for the same records measured in the same run. Prints a table; asserts nothing.
 *
 * <pre>./mvnw -q -B install -DskipTests &amp;&amp; ./mvnw -q -B -pl stream-processor exec:java@topology-throughput</pre>
 */
public final class TopologyThroughputBenchmark {

    public static void main(String[] args) throws Exception {
        int repeat = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        String guarantee = args.length > 1 ? args[1] : "exactly_once_v2";
        String maxTaskIdle = args.length > 2 ? args[2] : ProcessorConfig.defaults().config().getString(ProcessorConfig.MAX_TASK_IDLE);
        List<RawRecords.Keyed> seasons = RawRecords.sampleSeasons();
        List<byte[][]> records = new ArrayList<>(seasons.size() * repeat);
        for (int i = 0; i < repeat; i++) {
            for (RawRecords.Keyed row : seasons) {
                // Each copy is another competition: fresh events, as in a backfill of many leagues' history.
                com.fasterxml.jackson.databind.node.ObjectNode payload = row.envelope().payload().deepCopy();
                payload.put("Div", payload.path("Div").asText() + "R" + i);
                dev.eventflow.model.RawEnvelope copy = RawRecords.envelope("football-data", row.envelope().source(),
                        row.envelope().line(), payload);
                records.add(new byte[][] {(row.key() + "#" + i).getBytes(StandardCharsets.UTF_8), RawRecords.bytes(copy)});
            }
        }
        long bytes = records.stream().mapToLong(r -> r[0].length + r[1].length).sum();
        EventflowTopics topics = EventflowTopics.defaults();
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start()) {
            double produceRate = produce(cluster.bootstrapServers(), topics.eventsRaw().name(), records);
            double consumeRate = consume(cluster.bootstrapServers(), topics.eventsRaw().name(), records.size());
            Path stateDir = Files.createTempDirectory("eventflow-bench-state-");
            String applicationId = "eventflow-bench-" + UUID.randomUUID();
            ProcessorConfig config = ProcessorConfig.defaults()
                    .with(ProcessorConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers())
                    .with(ProcessorConfig.APPLICATION_ID, applicationId)
                    .with(ProcessorConfig.STATE_DIR, stateDir.toString())
                    .with(ProcessorConfig.PROCESSING_GUARANTEE, guarantee)
                    .with(ProcessorConfig.MAX_TASK_IDLE, maxTaskIdle)
                    .with(ProcessorConfig.METRICS_PORT, "0");
            long started = System.nanoTime();
            long running;
            long done;
            List<String> threadRatios;
            try (StreamProcessorApp app = StreamProcessorApp.start(config);
                 Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
                while (app.state() != KafkaStreams.State.RUNNING) {
                    Thread.sleep(20);
                }
                running = System.nanoTime();
                while (lag(admin, applicationId, topics) > 0) {
                    Thread.sleep(100);
                }
                done = System.nanoTime();
                threadRatios = app.registry().scrape().lines()
                        .filter(line -> line.startsWith("kafka_stream_thread_") && line.contains("ratio"))
                        .map(line -> line.replaceAll("\\{.*\\}", "").replace("kafka_stream_thread_", "").replace("_ratio", ""))
                        .sorted().toList();
            }
            double seconds = (done - running) / 1e9;
            double topologyRate = records.size() / seconds;
            System.out.printf(Locale.ROOT, "%nTopology throughput, %d raw records (3 sample seasons x %d, %.0f bytes average), %s, max.task.idle %s%n",
                    records.size(), repeat, (double) bytes / records.size(), guarantee, maxTaskIdle);
            System.out.printf(Locale.ROOT, "| %-44s | %12s | %9s |%n", "measure", "records/s", "ratio");
            System.out.printf(Locale.ROOT, "| %-44s | %12.0f | %9s |%n", "broker produce ceiling (acks=all, idempotent)", produceRate, "1.00");
            System.out.printf(Locale.ROOT, "| %-44s | %12.0f | %9.2f |%n", "broker consume ceiling", consumeRate, consumeRate / produceRate);
            System.out.printf(Locale.ROOT, "| %-44s | %12.0f | %9.2f |%n", "topology, RUNNING until lag 0", topologyRate, topologyRate / produceRate);
            System.out.printf(Locale.ROOT, "topology wall time %.1f s after RUNNING (%.1f s including start-up)%n", seconds,
                    (done - started) / 1e9);
            System.out.println("stream thread time split (Kafka Streams thread metrics): " + String.join(", ", threadRatios));
        }
    }

    private static double produce(String bootstrap, String topic, List<byte[][]> records) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>(records.size());
            for (byte[][] record : records) {
                acks.add(producer.send(new ProducerRecord<>(topic, record[0], record[1])));
            }
            for (java.util.concurrent.Future<?> ack : acks) {
                ack.get();
            }
        }
        return records.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static double consume(String bootstrap, String topic, int count) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long start = System.nanoTime();
        int seen = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (seen < count) {
                seen += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /** Records the application has not yet committed on its raw and repartition topics. */
    private static long lag(Admin admin, String applicationId, EventflowTopics topics) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata().get();
        Set<String> sources = Set.of(topics.eventsRaw().name(), topics.returnRatesRaw().name(),
                applicationId + "-entities-by-id-repartition", applicationId + "-event-bundles-by-event-id-repartition");
        Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
        for (String topic : sources) {
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> wanted.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(wanted).all().get();
        long lag = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
            OffsetAndMetadata position = committed.get(end.getKey());
            lag += end.getValue().offset() - (position == null ? 0 : position.offset());
        }
        return lag;
    }
}
