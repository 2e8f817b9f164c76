package dev.eventflow.testing;

import dev.eventflow.config.Config;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicCreator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;

/**
 * The contract's topics under names of their own (the default name plus a random suffix), created on
 * a cluster, so tests sharing one cluster never see each other's records.
 *
 * @param topics the definitions
 * @param config the {@code topic.<id>.name} settings that name them, for an application's configuration
 */
public record IsolatedTopics(EventflowTopics topics, Map<String, String> config) {

    public static IsolatedTopics create(KafkaCluster cluster) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> names = new TreeMap<>();
        EventflowTopics.defaults().all().forEach(topic -> names.put("topic." + topic.id() + ".name", topic.name() + "-" + suffix));
        EventflowTopics topics = EventflowTopics.from(Config.of(EventflowTopics.configSpec(), names));
        try (Admin admin = Admin.create(cluster.clientConfig())) {
            TopicCreator.createMissing(admin, topics.all(), Optional.of((short) 1));
        }
        return new IsolatedTopics(topics, Map.copyOf(names));
    }
}
