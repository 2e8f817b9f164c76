package dev.eventflow.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.eventflow.model.serde.Json;
import dev.eventflow.sink.connect.ContractSchemas;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Table rows of a topic-contract record, column for column as the sink's converter writes them
 * ({@link ContractSchemas}: snake_case columns, decimals at scale 6, instants as timestamptz, lists as
 * JSON text), read straight from the record's accessors. The key is the contract's first field.
 *
 * @param <T> the contract record ({@code Entity}, {@code Event}, {@code ReturnRate}, {@code EnrichedEvent})
 */
final class ContractRows<T extends Record> {

    private final List<ContractSchemas.Field> fields;
    private final List<Method> accessors;

    private ContractRows(List<ContractSchemas.Field> fields, List<Method> accessors) {
        this.fields = fields;
        this.accessors = accessors;
    }

    /** The rows of contract {@code type} ({@code entity}, {@code event}, ...) read from records of {@code recordType}. */
    static <T extends Record> ContractRows<T> of(String type, Class<T> recordType) {
        Map<String, Method> byName = java.util.Arrays.stream(recordType.getRecordComponents())
                .collect(Collectors.toMap(RecordComponent::getName, RecordComponent::getAccessor));
        List<ContractSchemas.Field> fields = ContractSchemas.of(type).fields();
        List<Method> accessors = new ArrayList<>();
        for (ContractSchemas.Field field : fields) {
            Method accessor = byName.get(field.property());
            if (accessor == null) {
                throw new IllegalArgumentException(recordType.getSimpleName() + " has no component " + field.property());
            }
            accessors.add(accessor);
        }
        return new ContractRows<>(fields, accessors);
    }

    /** The table {@code name} with the contract's columns, keyed by its first. */
    BatchUpsert.Table table(String name) {
        List<String> columns = fields.stream().map(ContractSchemas.Field::column).toList();
        int[] types = fields.stream().mapToInt(ContractRows::sqlType).toArray();
        return new BatchUpsert.Table(name, columns, columns.get(0), types);
    }

    /** The column values of {@code record}, in the table's column order. */
    Object[] values(T record) {
        Object[] row = new Object[fields.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = column(fields.get(i).kind(), read(accessors.get(i), record));
        }
        return row;
    }

    private static Object read(Method accessor, Record record) {
        try {
            return accessor.invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Cannot read " + accessor.getName() + " of " + record.getClass().getSimpleName(), e);
        }
    }

    static Object column(ContractSchemas.Kind kind, Object value) {
        if (value == null) {
            return null;
        }
        return switch (kind) {
            case STRING -> value instanceof Enum<?> e ? e.name() : value.toString();
            case INT32, INT64, BOOLEAN -> value;
            case DECIMAL -> ((BigDecimal) value).setScale(ContractSchemas.DECIMAL_SCALE, RoundingMode.HALF_EVEN);
            case TIMESTAMP -> OffsetDateTime.ofInstant((Instant) value, ZoneOffset.UTC);
            case JSON_TEXT -> json(value);
        };
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + value + " as JSON", e);
        }
    }

    private static int sqlType(ContractSchemas.Field field) {
        return switch (field.kind()) {
            case STRING, JSON_TEXT -> Types.VARCHAR;
            case INT32 -> Types.INTEGER;
            case INT64 -> Types.BIGINT;
            case BOOLEAN -> Types.BOOLEAN;
            case DECIMAL -> Types.NUMERIC;
            case TIMESTAMP -> Types.TIMESTAMP_WITH_TIMEZONE;
        };
    }
}
