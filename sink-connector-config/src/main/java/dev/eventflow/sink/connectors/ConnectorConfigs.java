package dev.eventflow.sink.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventflow.model.serde.Json;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sink connector configurations shipped in {@code connectors/debezium/} (and the Confluent
 * equivalents in {@code connectors/confluent/}), rendered for one deployment: {@code {{name}}}
 * placeholders are filled from {@link Settings}; {@code ${env:...}} placeholders are left for Connect's
 * config provider, so secrets never appear in the files or in Connect's REST API.
 */
public final class ConnectorConfigs {

    /** The connectors, in deployment order. */
    public static final List<String> NAMES = List.of("eventflow-entities-sink", "eventflow-events-sink",
            "eventflow-return-rates-sink", "eventflow-events-enriched-sink", "eventflow-quarantine-sink",
            "eventflow-ingest-runs-sink", "eventflow-quality-scores-sink", "eventflow-quality-run-scores-sink");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z0-9.-]+)}}");

    /**
     * What differs between deployments.
     *
     * @param jdbcUrl           PostgreSQL JDBC URL
     * @param jdbcUser          the sink's role
     * @param tasksMax          tasks per connector
     * @param batchSize         rows per batch (also the consumer's max.poll.records)
     * @param sinkDeadLetters   Connect's dead-letter topic for records the converter cannot read
     * @param replicationFactor replication factor of that topic
     */
    public record Settings(String jdbcUrl, String jdbcUser, int tasksMax, int batchSize, String sinkDeadLetters,
                           int replicationFactor) {
    }

    private ConnectorConfigs() {
    }

    /** Every connector's name and rendered config, for the topics of {@code topics}. */
    public static Map<String, ObjectNode> render(String flavour, EventflowTopics topics, Settings settings) {
        Map<String, String> values = new LinkedHashMap<>();
        for (TopicDefinition<?, ?> topic : topics.all()) {
            values.put("topic." + topic.id(), topic.name());
        }
        values.put("jdbc.url", settings.jdbcUrl());
        values.put("jdbc.user", settings.jdbcUser());
        values.put("tasks.max", Integer.toString(settings.tasksMax()));
        values.put("batch.size", Integer.toString(settings.batchSize()));
        values.put("sink.dlq.topic", settings.sinkDeadLetters());
        values.put("replication.factor", Integer.toString(settings.replicationFactor()));
        Map<String, ObjectNode> configs = new LinkedHashMap<>();
        for (String name : NAMES) {
            configs.put(name, (ObjectNode) render(template(flavour, name), values).get("config"));
        }
        return configs;
    }

    static JsonNode render(String template, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder rendered = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException("No value for {{" + matcher.group(1) + "}} in a connector template");
            }
            String quoted = Json.mapper().getNodeFactory().textNode(value).toString();
            // The placeholder sits inside a JSON string: insert the value JSON-escaped, without its quotes.
            matcher.appendReplacement(rendered, Matcher.quoteReplacement(quoted.substring(1, quoted.length() - 1)));
        }
        matcher.appendTail(rendered);
        try {
            return Json.mapper().readTree(rendered.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("A rendered connector template is not JSON: " + e.getMessage(), e);
        }
    }

    static String template(String flavour, String name) {
        String resource = "/connectors/" + flavour + "/" + name + ".json";
        try (InputStream in = ConnectorConfigs.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No connector template " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
