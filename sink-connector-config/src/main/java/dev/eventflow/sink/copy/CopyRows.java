package dev.eventflow.sink.copy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.eventflow.sink.connect.ContractSchemas;
import java.io.IOException;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.connect.errors.DataException;

/**
 * Turns a clean topic's JSON value into one line of PostgreSQL's COPY CSV format, column by column
 * as {@link ContractSchemas} lists them, with the same values the contract converter gives the JDBC
 * sinks (timestamps to the millisecond, decimals at six places). Every non-null value is quoted; an
 * unquoted empty field is NULL.
 */
final class CopyRows {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final ContractSchemas.Contract contract;

    CopyRows(ContractSchemas.Contract contract) {
        this.contract = contract;
    }

    /** The CSV line (without its line break) of {@code value}; a {@link DataException} names what is wrong. */
    String line(byte[] value) {
        JsonNode json;
        try {
            json = JSON.readTree(value);
        } catch (IOException e) {
            throw new DataException("Not JSON: " + e.getMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new DataException("Not a JSON object");
        }
        StringBuilder line = new StringBuilder(256);
        for (int i = 0; i < contract.fields().size(); i++) {
            ContractSchemas.Field field = contract.fields().get(i);
            if (i > 0) {
                line.append(',');
            }
            JsonNode node = json.get(field.property());
            if (node == null || node.isNull()) {
                if (!field.optional()) {
                    throw new DataException("Missing " + field.property() + " in a " + contract.type());
                }
                continue;
            }
            quote(line, field, text(field, node));
        }
        return line.toString();
    }

    private static String text(ContractSchemas.Field field, JsonNode node) {
        return switch (field.kind()) {
            case STRING -> node.asText();
            case INT32, INT64 -> {
                if (!node.isIntegralNumber()) {
                    throw new DataException(field.property() + " is not a whole number: " + node);
                }
                yield node.asText();
            }
            case DECIMAL -> {
                if (!node.isNumber()) {
                    throw new DataException(field.property() + " is not a number: " + node);
                }
                yield node.decimalValue().setScale(ContractSchemas.DECIMAL_SCALE, RoundingMode.HALF_EVEN).toPlainString();
            }
            case TIMESTAMP -> {
                try {
                    yield Instant.parse(node.asText()).truncatedTo(ChronoUnit.MILLIS).toString();
                } catch (DateTimeParseException e) {
                    throw new DataException(field.property() + " '" + node.asText() + "' is not an ISO-8601 instant", e);
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

    private static void quote(StringBuilder line, ContractSchemas.Field field, String text) {
        line.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                line.append('"');
            } else if (c == '\u0000') {
                throw new DataException(field.property() + " holds a NUL character, which PostgreSQL text cannot store");
            }
            line.append(c);
        }
        line.append('"');
    }
}
