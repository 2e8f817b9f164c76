package dev.eventflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.eventflow.model.Entity;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/**
 * Behaviour every {@link KafkaCluster} must show for the topic contract. Subclasses choose the
 * cluster; the tests are the same.
 */
abstract class KafkaClusterContract {

    static final EventflowTopics TOPICS = EventflowTopics.defaults();
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final Duration QUIET = Duration.ofMillis(500);

    abstract KafkaCluster cluster();

    @Test
    void shouldHaveCreatedEveryContractTopicWithItsPartitionsAndCleanupPolicy() throws Exception {
        try (Admin admin = Admin.create(cluster().clientConfig())) {
            List<String> names = TOPICS.all().stream().map(TopicDefinition::name).toList();
            var descriptions = admin.describeTopics(names).allTopicNames().get();
            var configs = admin.describeConfigs(names.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList()).all().get();

            for (TopicDefinition<?, ?> topic : TOPICS.all()) {
                assertThat(descriptions.get(topic.name()).partitions()).as(topic.name()).hasSize(topic.partitions());
                Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
                assertThat(config.get("cleanup.policy").value()).as(topic.name()).isEqualTo(topic.cleanupPolicy());
            }
        }
    }

    @Test
    void shouldDeliverARawEnvelopeUnchangedWithItsKey() {
        TopicClient client = new TopicClient(cluster());
        RawEnvelope envelope = new RawEnvelope("football-data", "SP1_2012-13.csv", 2L, "feed", "run-" + cluster().kind(),
                Instant.parse("2026-11-22T10:00:00Z"), Instant.parse("2012-08-18T00:00:00Z"),
                JsonNodeFactory.instance.objectNode().put("HomeTeam", "Celta").put("AwayTeam", "Malaga"));

        client.produce(TOPICS.returnRatesRaw(), Map.entry("SP1/18/08/12/Celta/Malaga", envelope));

        List<ConsumerRecord<String, RawEnvelope>> records = client.readExactly(TOPICS.returnRatesRaw(), 1, TIMEOUT, QUIET);
        assertThat(records.get(0).key()).isEqualTo("SP1/18/08/12/Celta/Malaga");
        assertThat(records.get(0).value()).isEqualTo(envelope);
    }

    @Test
    void shouldDeliverATombstoneAsANullValue() {
        TopicClient client = new TopicClient(cluster());
        Entity celta = new Entity("football:celta", "football", "Celta", "celta", Instant.parse("2012-08-18T00:00:00Z"));

        client.produce(TOPICS.entitiesClean(), Map.entry("football:celta", celta));
        client.produce(TOPICS.entitiesClean(), new java.util.AbstractMap.SimpleEntry<>("football:celta", null));

        List<ConsumerRecord<String, Entity>> records = client.readExactly(TOPICS.entitiesClean(), 2, TIMEOUT, QUIET);
        assertThat(records).extracting(ConsumerRecord::key).containsExactly("football:celta", "football:celta");
        assertThat(records).extracting(ConsumerRecord::value).containsExactly(celta, null);
    }
}
