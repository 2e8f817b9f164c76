package dev.eventflow.model.topics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventflow.model.DeadLetter;
import dev.eventflow.model.serde.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** docs/topics.md is the contract for non-Java consumers: its examples must be what the serdes read and write. */
class TopicsDocumentationTest {

    private static final Path DOC = Path.of("..", "docs", "topics.md");
    private static final Pattern EXAMPLE = Pattern.compile("```json example=([a-z-]+)\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void shouldDocumentEveryTopicWithAnExampleTheSerdeReadsAndWritesBackIdentically() throws IOException {
        Map<String, String> examples = examples();
        EventflowTopics topics = EventflowTopics.defaults();

        assertThat(examples.keySet()).containsExactlyInAnyOrderElementsOf(topics.all().stream()
                .map(TopicDefinition::id)
                .filter(id -> !id.equals(EventflowTopics.DEAD_LETTERS) && !id.equals(EventflowTopics.EVENT_MOVES)).toList());
        for (TopicDefinition<?, ?> topic : topics.all()) {
            String example = examples.get(topic.id());
            if (example != null) {
                assertThat(roundTrip(topic.valueSerde(), topic.name(), example))
                        .as("example of %s read and written back", topic.name())
                        .isEqualTo(Json.mapper().readTree(example));
            }
        }
    }

    @Test
    void shouldNameEveryTopicAndHeaderOfTheContract() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);

        for (TopicDefinition<?, ?> topic : EventflowTopics.defaults().all()) {
            assertThat(doc).contains("`" + topic.name() + "` (`" + topic.id() + "`)");
        }
        for (String header : List.of(DeadLetter.HEADER_REASON, DeadLetter.HEADER_STAGE,
                DeadLetter.HEADER_PROVIDER, DeadLetter.HEADER_SOURCE_TOPIC,
                DeadLetter.HEADER_SOURCE_PARTITION, DeadLetter.HEADER_SOURCE_OFFSET,
                DeadLetter.HEADER_FAILED_AT)) {
            assertThat(doc).contains("| `" + header + "` |");
        }
    }

    private static <V> JsonNode roundTrip(Serde<V> serde, String topic, String example) throws IOException {
        V value = serde.deserializer().deserialize(topic, example.getBytes(StandardCharsets.UTF_8));
        return Json.mapper().readTree(serde.serializer().serialize(topic, value));
    }

    private static Map<String, String> examples() throws IOException {
        Map<String, String> examples = new LinkedHashMap<>();
        Matcher matcher = EXAMPLE.matcher(Files.readString(DOC, StandardCharsets.UTF_8));
        while (matcher.find()) {
            examples.put(matcher.group(1), matcher.group(2));
        }
        return examples;
    }
}
