package dev.eventflow.testing;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * A running Kafka cluster that an integration test talks to. Tests written against this
 * interface run unchanged on the embedded broker and on a Testcontainers broker.
 */
public interface KafkaCluster {

    /** Bootstrap servers of the cluster. */
    String bootstrapServers();

    /** Which kind of cluster this is, for test names and messages. */
    String kind();

    /** Client settings that reach the cluster; add your own to the returned mutable map. */
    default Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }
}
