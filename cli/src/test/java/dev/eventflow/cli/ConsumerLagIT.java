package dev.eventflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventflow.testing.KafkaClusterExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lag a consumer group has on a real broker: records a {@code read_committed} consumer would still be
 * given, not offsets. Commit markers and the records of aborted transactions (what a killed processor
 * leaves behind) are not lag; records of a transaction still open are, until it ends.
 */
class ConsumerLagIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.embedded();

    private static final String GROUP = "lag-test";
    private static final String TRANSACTIONAL = "lag.transactional";

    @Test
    void countsOnlyTheRecordsAReadCommittedConsumerWouldStillGet() throws Exception {
        TopicPartition partition = new TopicPartition(TRANSACTIONAL, 0);
        try (Admin admin = Admin.create(KAFKA.cluster().clientConfig());
                ConsumerLag lags = new ConsumerLag(admin, KAFKA.cluster().clientConfig());
                KafkaProducer<String, String> producer = transactional("lag-test-1")) {
            admin.createTopics(List.of(new NewTopic(partition.topic(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);

            // The coordinator writes a transaction's markers after the commit or abort returns: until a marker is
            // in, the transaction is still open in the partition and its whole gap counts; hence the waits.
            send(producer, partition, 3, true); // offsets 0-2, marker at 3
            commit(admin, partition, 3); // what a consumer commits after its last record, before the marker
            awaitGaps(lags, "a commit marker is not lag", List.of());

            send(producer, partition, 5, false); // offsets 4-8 aborted, marker at 9
            awaitGaps(lags, "an aborted transaction is not lag", List.of());

            send(producer, partition, 2, true); // offsets 10-11, marker at 12
            awaitGaps(lags, "two committed records after the aborted ones", List.of(new ConsumerLag.Gap(GROUP, partition, 3, 13, 2)));

            producer.beginTransaction(); // offsets 13-16 in a transaction still open
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), "k", "open-" + i)).get();
            }
            assertThat(lags.lag(GROUP, Set.of(partition.topic()))).as("an open transaction is not settled: the whole gap")
                    .isEqualTo(14);
            producer.commitTransaction(); // marker at 17
            awaitGaps(lags, "the transaction committed", List.of(new ConsumerLag.Gap(GROUP, partition, 3, 18, 6)));

            commit(admin, partition, 17);
            assertThat(lags.lag(GROUP, Set.of(partition.topic()))).isZero();
        }
    }

    /** Waits until the group's gaps are {@code expected} (markers land a moment after a transaction ends). */
    private static void awaitGaps(ConsumerLag lags, String what, List<ConsumerLag.Gap> expected) {
        await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(lags.behind(Map.of(GROUP, Set.of(TRANSACTIONAL)))).isEqualTo(expected));
    }

    @Test
    void aGapLongerThanItReadsCountsWhole() throws Exception {
        TopicPartition partition = new TopicPartition("lag.plain", 0);
        try (Admin admin = Admin.create(KAFKA.cluster().clientConfig());
                ConsumerLag lags = new ConsumerLag(admin, KAFKA.cluster().clientConfig());
                KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(), new StringSerializer(),
                        new StringSerializer())) {
            admin.createTopics(List.of(new NewTopic(partition.topic(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            long records = ConsumerLag.LOOK_LIMIT + 500;
            for (long i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), "k", "v" + i));
            }
            producer.flush();
            assertThat(lags.lag("nobody", Set.of(partition.topic()))).isEqualTo(records);
            commit(admin, partition, records - 10, "somebody");
            assertThat(lags.lag("somebody", Set.of(partition.topic()))).isEqualTo(10);
        }
    }

    private static KafkaProducer<String, String> transactional(String id) {
        Map<String, Object> config = producerConfig();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        producer.initTransactions();
        return producer;
    }

    private static Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>(KAFKA.cluster().clientConfig());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    private static void send(KafkaProducer<String, String> producer, TopicPartition partition, int records, boolean commit)
            throws Exception {
        producer.beginTransaction();
        for (int i = 0; i < records; i++) {
            producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), "k", "v" + i)).get();
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
    }

    private static void commit(Admin admin, TopicPartition partition, long offset) throws Exception {
        commit(admin, partition, offset, GROUP);
    }

    private static void commit(Admin admin, TopicPartition partition, long offset, String group) throws Exception {
        admin.alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(offset))).all().get(30, TimeUnit.SECONDS);
    }
}
