package dev.eventflow.sink.copy;

import dev.eventflow.sink.connect.ContractSchemas;
import dev.eventflow.sink.connect.ContractValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.connect.errors.DataException;

/**
 * Turns a clean topic's JSON value into one line of PostgreSQL's COPY CSV format, with the column values
 * the contract converter gives the JDBC sinks ({@link ContractValues}; timestamps to the millisecond, as
 * a Connect Timestamp holds them). Every non-null value is quoted; an unquoted empty field is NULL.
 */
final class CopyRows {

    private final ContractSchemas.Contract contract;

    CopyRows(ContractSchemas.Contract contract) {
        this.contract = contract;
    }

    /** The CSV line (without its line break) of {@code value}; a {@link DataException} names what is wrong. */
    String line(byte[] value) {
        Object[] values = ContractValues.read(contract, value, "");
        StringBuilder line = new StringBuilder(256);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            if (values[i] != null) {
                quote(line, contract.fields().get(i), text(values[i]));
            }
        }
        return line.toString();
    }

    private static String text(Object value) {
        if (value instanceof Instant instant) {
            return instant.truncatedTo(ChronoUnit.MILLIS).toString();
        }
        return value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
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
