package dev.eventflow.sink.connect;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

/**
 * Gives the plain-JSON clean topics a Connect schema for the JDBC sinks, without a schema envelope on
 * the topics: the schema of each message type is fixed ({@link ContractSchemas}) and the JSON is read
 * into a flat {@link Struct} with snake_case fields and logical Timestamp and Decimal types. Configure
 * it as a connector's {@code value.converter} with {@code value.converter.contract.type}; the type
 * {@code dead-letter} reads {@code eventflow.dlq} records (original bytes plus the reason headers).
 * As a {@code key.converter} it turns the string key into a one-field struct named by
 * {@code key.converter.contract.key.field}.
 * A null value stays null (a tombstone: the sink deletes the row). Sink side only.
 */
public final class ContractConverter implements Converter {

    public static final String TYPE_CONFIG = "contract.type";
    /** As a key converter: the column the string key fills (the table's primary key). */
    public static final String KEY_FIELD_CONFIG = "contract.key.field";
    public static final String DEAD_LETTER = "dead-letter";

    /** The quarantine row of a dead letter. */
    public static final Schema DEAD_LETTER_SCHEMA = SchemaBuilder.struct().name("dev.eventflow.dead_letter")
            .field("reason", Schema.STRING_SCHEMA)
            .field("stage", Schema.STRING_SCHEMA)
            .field("provider", Schema.OPTIONAL_STRING_SCHEMA)
            .field("source_topic", Schema.STRING_SCHEMA)
            .field("source_partition", Schema.INT32_SCHEMA)
            .field("source_offset", Schema.INT64_SCHEMA)
            .field("failed_at", Timestamp.SCHEMA)
            .field("original_key", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("original_value", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("value_text", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private ContractSchemas.Contract contract;
    private boolean deadLetters;
    private Schema keySchema;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (isKey) {
            Object field = configs.get(KEY_FIELD_CONFIG);
            keySchema = SchemaBuilder.struct().name("dev.eventflow.key")
                    .field(field == null ? "id" : field.toString(), Schema.STRING_SCHEMA).build();
            return;
        }
        Object type = configs.get(TYPE_CONFIG);
        if (type == null) {
            throw new IllegalArgumentException("Set " + TYPE_CONFIG + " to one of " + ContractSchemas.types() + " or " + DEAD_LETTER);
        }
        deadLetters = DEAD_LETTER.equals(type.toString());
        contract = deadLetters ? null : ContractSchemas.of(type.toString());
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        throw new DataException("ContractConverter only reads (sink side); it does not write records");
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        return toConnectData(topic, null, value);
    }

    @Override
    public SchemaAndValue toConnectData(String topic, Headers headers, byte[] value) {
        if (keySchema != null) {
            // The clean topics' keys are plain strings; the sinks want a struct naming the key column.
            return new SchemaAndValue(keySchema, value == null ? null
                    : new Struct(keySchema).put(keySchema.fields().get(0).name(), new String(value, StandardCharsets.UTF_8)));
        }
        if (deadLetters) {
            return deadLetter(topic, headers, value);
        }
        if (value == null) {
            return new SchemaAndValue(contract.schema(), null);
        }
        Object[] values = ContractValues.read(contract, value, " on " + topic);
        Struct struct = new Struct(contract.schema());
        for (int i = 0; i < values.length; i++) {
            Object column = values[i] instanceof Instant instant ? Date.from(instant) : values[i];
            if (column != null) {
                struct.put(contract.fields().get(i).column(), column);
            }
        }
        struct.validate();
        return new SchemaAndValue(contract.schema(), struct);
    }

    private static SchemaAndValue deadLetter(String topic, Headers headers, byte[] value) {
        if (headers == null) {
            throw new DataException("A dead letter on " + topic + " needs its headers");
        }
        Struct struct = new Struct(DEAD_LETTER_SCHEMA)
                .put("reason", header(headers, "eventflow.dlq.reason", "(no reason header)"))
                .put("stage", header(headers, "eventflow.dlq.stage", "unknown"))
                .put("provider", header(headers, "eventflow.dlq.provider", null))
                .put("source_topic", header(headers, "eventflow.dlq.source.topic", topic))
                .put("source_partition", Integer.parseInt(header(headers, "eventflow.dlq.source.partition", "-1")))
                .put("source_offset", Long.parseLong(header(headers, "eventflow.dlq.source.offset", "-1")))
                .put("failed_at", Date.from(Instant.parse(header(headers, "eventflow.dlq.failed.at", Instant.EPOCH.toString()))))
                .put("original_value", value)
                .put("value_text", value == null ? null : new String(value, StandardCharsets.UTF_8).replace("\u0000", ""));
        return new SchemaAndValue(DEAD_LETTER_SCHEMA, struct);
    }

    /** A header's text, without NUL characters: PostgreSQL's text cannot hold them (the reason may quote a bad value). */
    private static String header(Headers headers, String name, String fallback) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? fallback
                : new String(header.value(), StandardCharsets.UTF_8).replace("\u0000", "");
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
