package dev.eventflow.cli;

import dev.eventflow.model.topics.EventflowTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How far the stream processor and the sink connectors are behind the topics they read: the
 * records of a topic that a consumer group has not committed yet.
 */
public final class ConsumerLag implements AutoCloseable {

    /** Each sink connector and the topic it reads (connector names as in {@code ConnectorConfigs}). */
    public static Map<String, String> sinkTopics(EventflowTopics topics) {
        return Map.of(
                "eventflow-entities-sink", topics.entitiesClean().name(), "eventflow-events-sink", topics.eventsClean().name(),
                "eventflow-return-rates-sink", topics.returnRatesClean().name(),
                "eventflow-events-enriched-sink", topics.eventsEnriched().name(),
                "eventflow-quarantine-sink", topics.deadLetters().name(), "eventflow-ingest-runs-sink", topics.ingestRuns().name());
    }

    private final Admin admin;
    private final Map<String, Object> clientConfig;
    /** Offsets found to hold a transaction marker, per partition (the newest one found). */
    private final Map<TopicPartition, Long> knownMarkers = new ConcurrentHashMap<>();
    /** Reads what lies at an offset; kept open, because starting a consumer costs more than the read. */
    private KafkaConsumer<byte[], byte[]> reader;

    /**
     * @param admin        an admin client of the cluster
     * @param clientConfig client settings of the cluster (for the consumer that tells markers from records)
     */
    public ConsumerLag(Admin admin, Map<String, Object> clientConfig) {
        this.admin = admin;
        this.clientConfig = clientConfig;
    }

    /** Records the stream processor has not committed on its raw and repartition topics. */
    public long processorLag(String applicationId, EventflowTopics topics) throws ExecutionException, InterruptedException {
        return lag(applicationId, Set.of(topics.eventsRaw().name(), topics.returnRatesRaw().name(),
                applicationId + "-entities-by-id-repartition", applicationId + "-event-bundles-by-event-id-repartition"));
    }

    /** Records the six sink connectors together have not committed on the topics they read. */
    public long sinkLag(EventflowTopics topics) throws ExecutionException, InterruptedException {
        Map<String, Set<String>> groups = new HashMap<>();
        sinkTopics(topics).forEach((connector, topic) -> groups.put("connect-" + connector, Set.of(topic)));
        return lag(groups);
    }

    /** End offset of every partition of {@code topics}. */
    public Map<TopicPartition, Long> ends(Set<String> topics) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        Map<String, TopicDescription> descriptions = admin.describeTopics(List.copyOf(topics)).allTopicNames().get();
        descriptions.values().forEach(d -> d.partitions().forEach(p -> request.put(new TopicPartition(d.name(), p.partition()),
                OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    /**
     * Records of {@code topics} that {@code group} has not committed yet. A partition written with
     * transactions ends with a commit marker that no consumer ever sees as a record (Connect commits
     * the offset after its last record, before the marker), so a single remaining offset that holds
     * no record is not lag.
     */
    public long lag(String group, Set<String> topics) throws ExecutionException, InterruptedException {
        return lag(Map.of(group, topics));
    }

    /** The same for several groups, each with the topics it reads, in four admin requests whatever their number. */
    public long lag(Map<String, Set<String>> groups) throws ExecutionException, InterruptedException {
        Set<String> present = new HashSet<>();
        groups.values().forEach(present::addAll);
        present.retainAll(admin.listTopics().names().get());
        Map<TopicPartition, Long> ends = present.isEmpty() ? Map.of() : ends(present);
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        groups.keySet().forEach(group -> specs.put(group, new ListConsumerGroupOffsetsSpec()));
        ListConsumerGroupOffsetsResult offsets = admin.listConsumerGroupOffsets(specs);
        long lag = 0;
        for (Map.Entry<String, Set<String>> group : groups.entrySet()) {
            Map<TopicPartition, Long> oneBehind = new HashMap<>();
            Map<TopicPartition, OffsetAndMetadata> committed = offsets.partitionsToOffsetAndMetadata(group.getKey()).get();
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                if (!group.getValue().contains(end.getKey().topic())) {
                    continue;
                }
                OffsetAndMetadata position = committed.get(end.getKey());
                long behind = end.getValue() - (position == null ? 0 : position.offset());
                if (behind == 1 && position != null) {
                    oneBehind.put(end.getKey(), position.offset());
                } else {
                    lag += behind;
                }
            }
            lag += oneBehind.isEmpty() ? 0 : oneBehind.size() - markers(oneBehind).size();
        }
        return lag;
    }

    /**
     * Which of {@code offsets} are transaction markers rather than records, read with one consumer.
     * An offset found to be a marker stays one, so it is remembered and never read again.
     */
    private synchronized Set<TopicPartition> markers(Map<TopicPartition, Long> offsets) {
        Set<TopicPartition> markers = new HashSet<>();
        Map<TopicPartition, Long> unknown = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (offset.equals(knownMarkers.get(partition))) {
                markers.add(partition);
            } else {
                unknown.put(partition, offset);
            }
        });
        if (unknown.isEmpty()) {
            return markers;
        }
        if (reader == null) {
            Map<String, Object> config = new HashMap<>(clientConfig);
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            // A marker is no data to the broker: without this it holds each fetch for fetch.max.wait.ms (500 ms).
            config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
            reader = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        KafkaConsumer<byte[], byte[]> consumer = reader;
        consumer.assign(unknown.keySet());
        unknown.forEach(consumer::seek);
        Instant deadline = Instant.now().plusSeconds(5);
        while (!unknown.isEmpty() && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (Long.valueOf(record.offset()).equals(unknown.get(partition))) {
                    unknown.remove(partition);
                }
            }
            for (TopicPartition partition : Set.copyOf(unknown.keySet())) {
                long offset = unknown.get(partition);
                if (consumer.position(partition) > offset) {
                    knownMarkers.put(partition, offset);
                    markers.add(partition);
                    unknown.remove(partition);
                }
            }
        }
        return markers;
    }

    @Override
    public synchronized void close() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
