package dev.eventflow.cli;

import dev.eventflow.model.topics.EventflowTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
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
                "eventflow-quarantine-sink", topics.deadLetters().name(), "eventflow-ingest-runs-sink", topics.ingestRuns().name(),
                "eventflow-quality-scores-sink", topics.qualityScores().name(),
                "eventflow-quality-run-scores-sink", topics.qualityRunScores().name());
    }

    private final Admin admin;
    private final Map<String, Object> clientConfig;
    /**
     * Gaps up to this many offsets are read to count the records in them; longer ones count whole
     * (they are real lag, and reading them would cost more than it tells).
     */
    static final long LOOK_LIMIT = 1_000;

    /** Records found in gaps that can no longer change: partition, from and end to the count. */
    private final Map<String, Long> settled = new ConcurrentHashMap<>();
    /** Reads the gaps; kept open, because starting a consumer costs more than the read. */
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
     * Records of {@code topics} that {@code group} has not committed yet. Only records a
     * {@code read_committed} consumer would be given count: a partition written with transactions
     * holds commit markers, and records of aborted transactions (a killed processor's), that no such
     * consumer ever sees, so a consumer that has read everything may have committed an offset below
     * the partition's end. A small gap is therefore read to tell records from the rest; a gap while a
     * transaction is still open counts whole (it is not settled yet).
     */
    public long lag(String group, Set<String> topics) throws ExecutionException, InterruptedException {
        return lag(Map.of(group, topics));
    }

    /** The same for several groups, each with the topics it reads, in a few admin requests whatever their number. */
    public long lag(Map<String, Set<String>> groups) throws ExecutionException, InterruptedException {
        return behind(groups).stream().mapToLong(Gap::records).sum();
    }

    /** Every partition with a gap between what {@code groups} committed and its end, with the records in that gap. */
    public List<Gap> behind(Map<String, Set<String>> groups) throws ExecutionException, InterruptedException {
        Set<String> present = new HashSet<>();
        groups.values().forEach(present::addAll);
        present.retainAll(admin.listTopics().names().get());
        Map<TopicPartition, Long> ends = present.isEmpty() ? Map.of() : ends(present);
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        groups.keySet().forEach(group -> specs.put(group, new ListConsumerGroupOffsetsSpec()));
        ListConsumerGroupOffsetsResult offsets = admin.listConsumerGroupOffsets(specs);
        List<Gap> gaps = new ArrayList<>();
        for (Map.Entry<String, Set<String>> group : groups.entrySet()) {
            Map<TopicPartition, OffsetAndMetadata> committed = offsets.partitionsToOffsetAndMetadata(group.getKey()).get();
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                if (!group.getValue().contains(end.getKey().topic())) {
                    continue;
                }
                OffsetAndMetadata position = committed.get(end.getKey());
                long from = position == null ? 0 : position.offset();
                if (end.getValue() > from) {
                    gaps.add(new Gap(group.getKey(), end.getKey(), from, end.getValue(), end.getValue() - from));
                }
            }
        }
        List<Gap> small = gaps.stream().filter(gap -> gap.end() - gap.from() <= LOOK_LIMIT).toList();
        if (small.isEmpty()) {
            return gaps;
        }
        Map<TopicPartition, Long> stable = stableEnds(small.stream().map(Gap::partition).collect(Collectors.toSet()));
        List<Gap> counted = new ArrayList<>();
        for (Gap gap : gaps) {
            boolean settled = gap.end() - gap.from() <= LOOK_LIMIT && stable.getOrDefault(gap.partition(), -1L) == gap.end();
            counted.add(settled ? gap.withRecords(readable(gap)) : gap);
        }
        return counted.stream().filter(gap -> gap.records() > 0).toList();
    }

    /**
     * A partition a group is behind on.
     *
     * @param from    the offset the group committed (0 when none)
     * @param end     the partition's end offset
     * @param records the records in between that a {@code read_committed} consumer would get
     */
    public record Gap(String group, TopicPartition partition, long from, long end, long records) {
        String key() {
            return partition + "@" + from + "-" + end;
        }

        Gap withRecords(long count) {
            return new Gap(group, partition, from, end, count);
        }

        @Override
        public String toString() {
            return group + " " + partition + " committed " + from + ", end " + end + ": " + records + " records";
        }
    }

    /** The last stable offset of each partition: its end, unless a transaction is still open in it. */
    private Map<TopicPartition, Long> stableEnds(Set<TopicPartition> partitions) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, Long> stable = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                .forEach((partition, info) -> stable.put(partition, info.offset()));
        return stable;
    }

    /**
     * The records between a gap's ends that a {@code read_committed} consumer gets. The gap's end is its
     * partition's last stable offset, so what is in it never changes: what was found is remembered and
     * never read again. The whole gap when the read does not get to its end in time.
     */
    private synchronized long readable(Gap gap) {
        Long known = settled.get(gap.key());
        if (known != null) {
            return known;
        }
        if (reader == null) {
            Map<String, Object> config = new HashMap<>(clientConfig);
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            // A gap of markers is no data to the broker: without this it holds each fetch for fetch.max.wait.ms (500 ms).
            config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
            reader = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        KafkaConsumer<byte[], byte[]> consumer = reader;
        consumer.assign(Set.of(gap.partition()));
        consumer.seek(gap.partition(), gap.from());
        long records = 0;
        Instant deadline = Instant.now().plusSeconds(5);
        while (consumer.position(gap.partition()) < gap.end() && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                if (record.offset() >= gap.from() && record.offset() < gap.end()) {
                    records++;
                }
            }
        }
        if (consumer.position(gap.partition()) < gap.end()) {
            return gap.records();
        }
        if (settled.size() > 100_000) {
            settled.clear();
        }
        settled.put(gap.key(), records);
        return records;
    }

    @Override
    public synchronized void close() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
