package dev.eventflow.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import dev.eventflow.model.QualityScore;
import dev.eventflow.testing.LocalStackExtension;
import dev.eventflow.testing.TopicClient;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * eventflow's COPY sink ({@code connectors/copy/}): the same rows as Debezium's, and what only a sink
 * of our own can do: refuse an older version of a row in the database itself, and send a record that
 * is no row to the connector's dead-letter topic while the rest of the batch lands.
 */
class CopySinkIT extends AbstractSinkIT {

    @RegisterExtension
    static final LocalStackExtension STACK = LocalStackExtension.full();

    @Override
    String flavour() {
        return "copy";
    }

    @Override
    LocalStackExtension stackExtension() {
        return STACK;
    }

    @Test
    @Order(10)
    void shouldNeverReplaceARowByAnOlderVersion() throws Exception {
        // Given e1 FINISHED at 21:00 in the table (test 1)
        TopicClient client = new TopicClient(STACK.cluster());
        Event older = new Event("e1", "football", "E0", T, "football:liverpool", "football:norwich-city", "Liverpool",
                "Norwich City", EventStatus.SCHEDULED, null, null, null, null, List.of("synthetic:1"), T.minusSeconds(7200));
        Event newer = new Event("e3", "football", "E0", T, "football:arsenal", "football:everton", "Arsenal", "Everton",
                EventStatus.SCHEDULED, null, null, null, null, List.of(), T);

        // When an older version of e1 arrives (a replay of old history), then a new event
        client.produce(topics.eventsClean(), Map.entry("e1", older), Map.entry("e3", newer));

        // Then e1 stays as it was and e3 lands
        await("e3 in events").atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(rows("SELECT id FROM events ORDER BY id")).containsExactly(List.of("e1"), List.of("e3")));
        assertThat(rows("SELECT id, status, updated_at FROM events WHERE id = 'e1'"))
                .containsExactly(List.of("e1", "FINISHED", "2019-08-09 21:00:00+00"));
    }

    @Test
    @Order(11)
    void shouldSendARecordThatIsNoRowToTheDeadLetterTopicAndWriteTheRest() throws Exception {
        // Given a value that is not JSON between two good ones
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.stack().bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topics.entitiesClean().name(), "football:a", entity("football:a", "A"))).get();
            producer.send(new ProducerRecord<>(topics.entitiesClean().name(), "football:broken", "{not json")).get();
            producer.send(new ProducerRecord<>(topics.entitiesClean().name(), "football:b", entity("football:b", "B"))).get();
        }

        // Then the good ones land, and the bad one is on the sink's dead-letter topic with its reason
        await("both good entities").atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(rows("SELECT id FROM entities WHERE id IN ('football:a', 'football:b', 'football:broken') ORDER BY id"))
                        .containsExactly(List.of("football:a"), List.of("football:b")));
        await("the broken record on the sink's dead-letter topic").atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(sinkDeadLetters()).containsExactly(
                        List.of("football:broken", "{not json", "org.apache.kafka.connect.errors.DataException")));
    }

    @Test
    @Order(12)
    void shouldKeepAQualityWindowsNewerVersionAndDeleteAWindowByItsTwoPartKey() throws Exception {
        // Given both windows of football-data in data_quality, 19:00 in its second version (test 4)
        TopicClient client = new TopicClient(STACK.cluster());
        String first = QualityScore.keyOf("football-data", QUALITY_WINDOW);
        String next = QualityScore.keyOf("football-data", QUALITY_WINDOW.plusSeconds(3600));

        // When the first version of 19:00 arrives again (a redelivery), then a tombstone of 20:00
        client.produce(topics.qualityScores(), Map.entry(first, FIRST_VERSION), new AbstractMap.SimpleEntry<>(next, null));

        // Then 20:00 is gone and 19:00 stays at its second version
        await("the 20:00 window deleted").atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(rows("SELECT provider, window_start, version, closed, validity_numerator, overall, updated_at "
                        + "FROM data_quality ORDER BY provider, window_start"))
                        .containsExactly(List.of("football-data", "2019-08-09 19:00:00+00", "2", "t", "98", "0.881459",
                                "2019-08-09 20:20:00+00")));
    }

    /** Key, value and exception class of every record on the connectors' dead-letter topic. */
    private List<List<String>> sinkDeadLetters() {
        List<List<String>> letters = new java.util.ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.stack().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "copy-sink-it-" + java.util.UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("sink-dlq-" + topics.eventsClean().name()));
            for (int polls = 0; polls < 10; polls++) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
                    Header exception = record.headers().lastHeader("__connect.errors.exception.class.name");
                    letters.add(List.of(record.key(), record.value(),
                            exception == null ? "" : new String(exception.value(), java.nio.charset.StandardCharsets.UTF_8)));
                }
            }
        }
        return letters;
    }

    private static String entity(String id, String name) {
        return "{\"id\":\"" + id + "\",\"sport\":\"football\",\"name\":\"" + name + "\",\"normalizedName\":\"" + name.toLowerCase()
                + "\",\"updatedAt\":\"2019-08-09T19:00:00Z\"}";
    }
}
