package dev.eventflow.testing;

import static org.awaitility.Awaitility.await;

import dev.eventflow.model.topics.TopicDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Produces to and reads from contract topics of a {@link KafkaCluster}, with the topics' own serdes. */
public final class TopicClient {

    private final KafkaCluster cluster;

    public TopicClient(KafkaCluster cluster) {
        this.cluster = cluster;
    }

    /** Sends records (a null value is a tombstone) with acks=all and idempotence, and waits for every ack. */
    @SafeVarargs
    public final <K, V> void produce(TopicDefinition<K, V> topic, Map.Entry<K, V>... records) {
        Map<String, Object> config = cluster.clientConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<K, V> producer = new KafkaProducer<>(config,
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (Map.Entry<K, V> record : records) {
                acks.add(producer.send(new ProducerRecord<>(topic.name(), record.getKey(), record.getValue())));
            }
            for (java.util.concurrent.Future<?> ack : acks) {
                ack.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while producing to " + topic.name(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot produce to " + topic.name() + ": " + e.getCause(), e.getCause());
        }
    }

    /**
     * Reads the topic from the beginning (read_committed, a fresh group) until exactly
     * {@code count} records arrived, then keeps polling for {@code quietPeriod} to make sure no
     * more follow; fails when fewer arrive within {@code timeout} or more arrive at all.
     */
    public <K, V> List<ConsumerRecord<K, V>> readExactly(TopicDefinition<K, V> topic, int count,
                                                        Duration timeout, Duration quietPeriod) {
        Map<String, Object> config = cluster.clientConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<K, V>> received = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config,
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            await(count + " record(s) on " + topic.name() + " of the " + cluster.kind() + " cluster")
                    .atMost(timeout).pollInterval(Duration.ZERO)
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(100)).forEach(received::add);
                        return received.size() >= count;
                    });
            long quietUntil = System.nanoTime() + quietPeriod.toNanos();
            while (System.nanoTime() < quietUntil) {
                consumer.poll(Duration.ofMillis(100)).forEach(received::add);
            }
        }
        if (received.size() != count) {
            throw new AssertionError("Expected exactly " + count + " record(s) on " + topic.name() + ", got "
                    + received.size() + ": " + received);
        }
        return received;
    }
}
