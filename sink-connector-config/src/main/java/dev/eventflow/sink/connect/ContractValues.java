package dev.eventflow.sink.connect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.connect.errors.DataException;

/**
 * Reads a clean topic's JSON value into its column values, field by field as {@link ContractSchemas}
 * lists them: text, whole numbers, decimals at six places, instants, JSON text. The one reading both
 * sinks share (the contract converter for the JDBC sinks, the COPY sink); what is not a row of the
 * contract is a {@link DataException} that says what is wrong.
 */
public final class ContractValues {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    /** What absent properties read as, parsed once ({@link ContractSchemas.Field#absentAs}). */
    private static final java.util.Map<String, JsonNode> ABSENT = new java.util.concurrent.ConcurrentHashMap<>();

    private ContractValues() {
    }

    /**
     * The column values of {@code value}, in the contract's field order; null for an absent optional field.
     *
     * @param where what the error messages add to say where the value came from ({@code " on topic"}, or empty)
     */
    public static Object[] read(ContractSchemas.Contract contract, byte[] value, String where) {
        JsonNode json;
        try {
            json = JSON.readTree(value);
        } catch (IOException e) {
            throw new DataException("Not JSON" + where + ": " + e.getMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new DataException("Not a JSON object" + where);
        }
        Object[] values = new Object[contract.fields().size()];
        for (int i = 0; i < values.length; i++) {
            ContractSchemas.Field field = contract.fields().get(i);
            JsonNode node = property(json, field.property());
            if (node == null && field.absentAs() != null) {
                node = ABSENT.computeIfAbsent(field.absentAs(), ContractValues::parse);
            }
            if (node == null || node.isNull()) {
                if (!field.optional()) {
                    throw new DataException("Missing " + field.property() + " in a " + contract.type() + where);
                }
                continue;
            }
            values[i] = value(field, node, where);
        }
        return values;
    }

    /** A String, Integer, Long, Boolean, BigDecimal (at six places), Instant or JSON text, by the field's kind. */
    private static Object value(ContractSchemas.Field field, JsonNode node, String where) {
        return switch (field.kind()) {
            case STRING -> node.asText();
            case INT32 -> wholeNumber(field, node, where).intValue();
            case INT64 -> wholeNumber(field, node, where).longValue();
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    throw new DataException(field.property() + " is not true or false" + where + ": " + node);
                }
                yield node.booleanValue();
            }
            case DECIMAL -> {
                if (!node.isNumber()) {
                    throw new DataException(field.property() + " is not a number" + where + ": " + node);
                }
                yield node.decimalValue().setScale(ContractSchemas.DECIMAL_SCALE, RoundingMode.HALF_EVEN);
            }
            case TIMESTAMP -> {
                try {
                    yield Instant.parse(node.asText());
                } catch (DateTimeParseException e) {
                    throw new DataException(field.property() + " '" + node.asText() + "'" + where + " is not an ISO-8601 instant", e);
                }
            }
            case JSON_TEXT -> {
                try {
                    yield JSON.writeValueAsString(node);
                } catch (JsonProcessingException e) {
                    throw new DataException("Cannot write JSON text of " + field.property(), e);
                }
            }
        };
    }

    /** The property's node, following a dotted path into nested objects; null when any step is absent. */
    private static JsonNode property(JsonNode json, String property) {
        JsonNode node = json;
        int from = 0;
        int dot;
        while ((dot = property.indexOf('.', from)) >= 0) {
            node = node.get(property.substring(from, dot));
            if (node == null || !node.isObject()) {
                return null;
            }
            from = dot + 1;
        }
        return node.get(from == 0 ? property : property.substring(from));
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not JSON: " + text, e);
        }
    }

    private static JsonNode wholeNumber(ContractSchemas.Field field, JsonNode node, String where) {
        if (!node.isIntegralNumber()) {
            throw new DataException(field.property() + " is not a whole number" + where + ": " + node);
        }
        return node;
    }
}
