package dev.eventflow.model.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.eventflow.config.Config;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class EventflowTopicsTest {

    @Test
    void shouldUseTheContractNamesPartitionsAndPoliciesByDefault() {
        EventflowTopics topics = EventflowTopics.defaults();

        assertThat(topics.all())
                .extracting(TopicDefinition::name, TopicDefinition::partitions, TopicDefinition::cleanupPolicy)
                .containsExactly(
                        tuple("provider.events.raw", 6, "delete"),
                        tuple("provider.return-rates.raw", 6, "delete"),
                        tuple("entities.clean", 6, "compact"),
                        tuple("events.clean", 6, "compact"),
                        tuple("return-rates.clean", 6, "compact"),
                        tuple("events.enriched", 6, "compact"),
                        tuple("eventflow.dlq", 1, "delete"),
                        tuple("ingest.runs", 1, "compact"),
                        tuple("ingest.checkpoints", 1, "compact"),
                        tuple("entities.aliases", 1, "compact"),
                        tuple("eventflow.event-moves", 6, "delete"),
                        tuple("quality.scores", 1, "compact"),
                        tuple("quality.run-scores", 1, "compact"));
        assertThat(topics.eventsRaw().configs()).containsEntry("retention.ms", "-1");
    }

    @Test
    void shouldTakeNamesPartitionsAndTopicConfigsFromConfiguration() {
        Config config = Config.load(EventflowTopics.configSpec(), null, Map.of(
                "EVENTFLOW_TOPIC_DLQ_NAME", "acme.dead-letters",
                "EVENTFLOW_TOPIC_EVENTS_CLEAN_PARTITIONS", "12",
                "EVENTFLOW_TOPIC_EVENTS_RAW_CONFIG_RETENTION_MS", "604800000"));

        EventflowTopics topics = EventflowTopics.from(config);

        assertThat(topics.deadLetters().name()).isEqualTo("acme.dead-letters");
        assertThat(topics.eventsClean().partitions()).isEqualTo(12);
        assertThat(topics.eventsRaw().configs()).containsEntry("retention.ms", "604800000");
    }

    @Test
    void shouldRefuseTwoTopicsWithTheSameName() {
        Config config = Config.of(EventflowTopics.configSpec(), Map.of("topic.events-enriched.name", "events.clean"));

        assertThatThrownBy(() -> EventflowTopics.from(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Topics events-clean and events-enriched are both configured as 'events.clean'");
    }

    @Test
    void shouldBuildTheAdminRequestFromTheDefinition() {
        NewTopic request = EventflowTopics.defaults().eventsEnriched().newTopic(Optional.of((short) 1));

        assertThat(request.name()).isEqualTo("events.enriched");
        assertThat(request.numPartitions()).isEqualTo(6);
        assertThat(request.replicationFactor()).isEqualTo((short) 1);
        assertThat(request.configs()).isEqualTo(Map.of("cleanup.policy", "compact"));
    }
}
