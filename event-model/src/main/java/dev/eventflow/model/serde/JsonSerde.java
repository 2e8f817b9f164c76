package dev.eventflow.model.serde;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON serde for one message type of the topic contract, configured by {@link Json}.
 * {@code null} maps to {@code null} both ways (tombstones); anything that is not a valid message
 * of the type, including an empty array, raises {@link SerializationException}.
 *
 * @param <T> the message type
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final Class<T> type;
    private final ObjectReader reader;
    private final ObjectWriter writer;

    public JsonSerde(Class<T> type) {
        this(type, Json.mapper());
    }

    public JsonSerde(Class<T> type, ObjectMapper mapper) {
        this.type = Objects.requireNonNull(type, "type");
        this.reader = mapper.readerFor(type);
        this.writer = mapper.writerFor(type);
    }

    /** The message type this serde reads and writes. */
    public Class<T> type() {
        return type;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            return writer.writeValueAsBytes(data);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Cannot write " + type.getSimpleName() + " as JSON for topic " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length == 0) {
            throw new SerializationException("Empty value is not a " + type.getSimpleName() + " (topic " + topic + ")");
        }
        try {
            return reader.readValue(data);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Malformed " + type.getSimpleName() + " JSON in topic " + topic + ": " + firstLine(e.getMessage()), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Configured by construction (type and mapper); Kafka client properties change nothing.
    }

    @Override
    public void close() {
        // Stateless: nothing to release. Overridden because Serde, Serializer and Deserializer all declare it.
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
