package dev.eventflow.model.topics;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the contract: its name (from configuration), the serdes of its key and value, and
 * how it is created (partitions and topic configs such as the cleanup policy).
 *
 * @param id          stable logical id used in configuration keys, for example {@code events-clean}
 * @param name        the topic's name in Kafka
 * @param keySerde    serde of the key
 * @param valueSerde  serde of the value
 * @param partitions  partition count used when the topic is created
 * @param configs     topic configs used when the topic is created
 * @param <K>         key type
 * @param <V>         value type
 */
public record TopicDefinition<K, V>(
        String id,
        String name,
        Serde<K> keySerde,
        Serde<V> valueSerde,
        int partitions,
        Map<String, String> configs) {

    public TopicDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        if (name.isBlank()) {
            throw new IllegalArgumentException("Topic " + id + " has a blank name");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("Topic " + name + " needs at least one partition, got " + partitions);
        }
        configs = Map.copyOf(configs);
    }

    /** The cleanup policy the topic is created with ({@code compact} or {@code delete}). */
    public String cleanupPolicy() {
        return configs.getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
    }

    /** Whether the topic is compacted: the latest record per key is kept. */
    public boolean compacted() {
        return cleanupPolicy().contains(TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    /** The admin request that creates this topic. */
    public NewTopic newTopic(Optional<Short> replicationFactor) {
        return new NewTopic(name, Optional.of(partitions), replicationFactor).configs(configs);
    }
}
