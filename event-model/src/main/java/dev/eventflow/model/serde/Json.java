package dev.eventflow.model.serde;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson configuration of the topic contract.
 *
 * <ul>
 *   <li>Instants are ISO-8601 strings in UTC ({@code 2019-08-09T19:00:00Z}), dates {@code 2019-08-09}.</li>
 *   <li>Prices are {@link java.math.BigDecimal}, written as plain JSON numbers ({@code 1.14}, never
 *       {@code 1.14E+0}); floating-point numbers in untyped trees are read as BigDecimal too, so no
 *       price is ever rounded through a double.</li>
 *   <li>Unknown fields are ignored: producers may add fields in a later version and older consumers
 *       keep working. Removing or renaming a field is a breaking change (a new topic).</li>
 *   <li>Missing numbers never become 0 silently ({@code FAIL_ON_NULL_FOR_PRIMITIVES}), and trailing
 *       garbage after the JSON value is an error.</li>
 *   <li>Null fields are written as {@code null}, so every message of a type has the same fields.</li>
 * </ul>
 */
public final class Json {

    private static final ObjectMapper MAPPER = newMapper();

    private Json() {
    }

    /** The shared, thread-safe mapper. Do not reconfigure it; call {@link #newMapper()} for a copy to change. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A new mapper with the contract's configuration. */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                .build();
    }
}
