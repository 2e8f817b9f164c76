package dev.eventflow.ingest.runs;

import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.model.IngestCheckpoint;
import dev.eventflow.model.topics.TopicDefinition;
import dev.eventflow.security.AccessPlan;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Resume points per source, kept in the compacted {@code ingest.checkpoints} topic. A checkpoint is
 * written only after {@link RawPublisher#flush()} confirmed every record before it, so a restart
 * continues at or before the first record that may be missing: records may be published twice (the
 * processor deduplicates them), never skipped.
 */
public final class Checkpoints {

    private final RawPublisher publisher;
    private final TopicDefinition<String, IngestCheckpoint> topic;
    private final Clock clock;
    private final Map<String, IngestCheckpoint> latest;

    private Checkpoints(RawPublisher publisher, TopicDefinition<String, IngestCheckpoint> topic, Clock clock,
                        Map<String, IngestCheckpoint> latest) {
        this.publisher = publisher;
        this.topic = topic;
        this.clock = clock;
        this.latest = latest;
    }

    /** Reads the topic to its end, so every source's newest checkpoint is known. */
    public static Checkpoints load(String bootstrapServers, RawPublisher publisher,
                                   TopicDefinition<String, IngestCheckpoint> topic, Clock clock) {
        return load(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), publisher, topic, clock);
    }

    /**
     * Reads the topic to its end, with a consumer of {@code clientConfig} (bootstrap servers and security settings), so
     * every source's newest checkpoint is known.
     */
    public static Checkpoints load(Map<String, ?> clientConfig, RawPublisher publisher,
                                   TopicDefinition<String, IngestCheckpoint> topic, Clock clock) {
        Map<String, IngestCheckpoint> latest = new HashMap<>();
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, AccessPlan.CHECKPOINT_GROUP_PREFIX + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, IngestCheckpoint> consumer = new KafkaConsumer<>(config,
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("Topic " + topic.name() + " does not exist: create the contract's topics first");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < ends.get(p))) {
                for (ConsumerRecord<String, IngestCheckpoint> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), record.value());
                    }
                }
            }
        }
        return new Checkpoints(publisher, topic, clock, latest);
    }

    public Optional<IngestCheckpoint> get(String sourceId) {
        return Optional.ofNullable(latest.get(sourceId));
    }

    /** Confirms every record sent so far, then records {@code line} (and/or {@code cursor}) as done. */
    public void save(String sourceId, Long line, String cursor, String runId) {
        publisher.flush();
        IngestCheckpoint checkpoint = new IngestCheckpoint(sourceId, line, cursor, runId, clock.instant());
        publisher.sendControl(topic.name(), sourceId, topic.valueSerde().serializer().serialize(topic.name(), checkpoint),
                clock.millis());
        latest.put(sourceId, checkpoint);
    }

    /** Forgets a source (a tombstone), so the next run starts from its beginning. */
    public void clear(String sourceId) {
        publisher.sendControl(topic.name(), sourceId, null, clock.millis());
        latest.remove(sourceId);
    }
}
