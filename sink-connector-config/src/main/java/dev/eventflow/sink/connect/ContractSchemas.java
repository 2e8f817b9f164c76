package dev.eventflow.sink.connect;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Timestamp;

/**
 * The flat Connect schemas of the clean topics' values, one per message type, with snake_case field
 * names that become the PostgreSQL columns. Each field names the JSON property of the topic contract
 * it is read from ({@code docs/topics.md}), a dotted path for a property of a nested object; a test
 * checks them against the event-model records.
 */
public final class ContractSchemas {

    /** Decimal places of every price, probability and payout column (the contract rounds to six). */
    public static final int DECIMAL_SCALE = 6;

    /** How a JSON property becomes a Connect value. */
    public enum Kind { STRING, INT32, INT64, BOOLEAN, DECIMAL, TIMESTAMP, JSON_TEXT }

    /**
     * One field: the contract's JSON property, its kind, whether it may be null, and what an absent
     * property reads as (JSON text, for fields added after records without them were written; or null).
     */
    public record Field(String property, Kind kind, boolean optional, String absentAs) {

        Field(String property, Kind kind, boolean optional) {
            this(property, kind, optional, null);
        }

        /** The column: the property in snake_case; a nested property's path joined by {@code _} ({@code validity_score}). */
        public String column() {
            return property.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toLowerCase(Locale.ROOT);
        }
    }

    /** A message type: its fields, and the Connect schema built from them. */
    public record Contract(String type, List<Field> fields, Schema schema) {
    }

    private static final Map<String, List<Field>> FIELDS = Map.of(
            "entity", List.of(
                    required("id", Kind.STRING), required("sport", Kind.STRING), required("name", Kind.STRING),
                    required("normalizedName", Kind.STRING),
                    // Entities written before these two existed read as no references and known, as the Java serde reads them.
                    new Field("providerRefs", Kind.JSON_TEXT, false, "[]"), new Field("aliased", Kind.BOOLEAN, false, "true"),
                    required("updatedAt", Kind.TIMESTAMP)),
            "event", List.of(
                    required("id", Kind.STRING), required("sport", Kind.STRING), required("competition", Kind.STRING),
                    required("kickoff", Kind.TIMESTAMP), required("homeEntityId", Kind.STRING),
                    required("awayEntityId", Kind.STRING), optional("homeName", Kind.STRING), optional("awayName", Kind.STRING),
                    required("status", Kind.STRING), optional("homeScore", Kind.INT32), optional("awayScore", Kind.INT32),
                    optional("halfTimeHomeScore", Kind.INT32), optional("halfTimeAwayScore", Kind.INT32),
                    required("providerRefs", Kind.JSON_TEXT), required("updatedAt", Kind.TIMESTAMP)),
            "return-rate", List.of(
                    required("id", Kind.STRING), required("eventId", Kind.STRING), required("bookmaker", Kind.STRING),
                    required("market", Kind.STRING), required("quotedAt", Kind.TIMESTAMP), required("home", Kind.DECIMAL),
                    required("draw", Kind.DECIMAL), required("away", Kind.DECIMAL), optional("impliedHome", Kind.DECIMAL),
                    optional("impliedDraw", Kind.DECIMAL), optional("impliedAway", Kind.DECIMAL),
                    required("payout", Kind.DECIMAL), required("provider", Kind.STRING)),
            "enriched-event", List.of(
                    required("eventId", Kind.STRING), required("sport", Kind.STRING), required("competition", Kind.STRING),
                    required("kickoff", Kind.TIMESTAMP), required("homeEntityId", Kind.STRING),
                    required("awayEntityId", Kind.STRING), required("status", Kind.STRING), optional("homeScore", Kind.INT32),
                    optional("awayScore", Kind.INT32), required("bookmakers", Kind.INT32), optional("bestHome", Kind.DECIMAL),
                    optional("bestDraw", Kind.DECIMAL), optional("bestAway", Kind.DECIMAL), optional("avgHome", Kind.DECIMAL),
                    optional("avgDraw", Kind.DECIMAL), optional("avgAway", Kind.DECIMAL), optional("bestPayout", Kind.DECIMAL),
                    optional("avgPayout", Kind.DECIMAL), required("ratesAsOf", Kind.TIMESTAMP)),
            "ingest-run", List.of(
                    required("runId", Kind.STRING), required("command", Kind.STRING), required("provider", Kind.STRING),
                    required("source", Kind.STRING), required("status", Kind.STRING), required("startedAt", Kind.TIMESTAMP),
                    optional("finishedAt", Kind.TIMESTAMP), required("recordsRead", Kind.INT64),
                    required("recordsPublished", Kind.INT64), required("recordsSkipped", Kind.INT64),
                    required("skippedByReason", Kind.JSON_TEXT), required("anomalies", Kind.JSON_TEXT),
                    optional("failure", Kind.STRING)),
            "quality-score", qualityScore(List.of(required("provider", Kind.STRING), required("windowStart", Kind.TIMESTAMP),
                    required("windowEnd", Kind.TIMESTAMP))),
            "quality-run-score", qualityScore(List.of(required("provider", Kind.STRING), required("ingestRunId", Kind.STRING),
                    optional("recordsPublished", Kind.INT64))));

    private ContractSchemas() {
    }

    /**
     * The contract of a message type: {@code entity}, {@code event}, {@code return-rate}, {@code enriched-event},
     * {@code ingest-run}, {@code quality-score} or {@code quality-run-score}.
     */
    public static Contract of(String type) {
        List<Field> fields = FIELDS.get(type);
        if (fields == null) {
            throw new IllegalArgumentException("Unknown contract type '" + type + "' (known: " + FIELDS.keySet().stream().sorted().toList() + ")");
        }
        SchemaBuilder builder = SchemaBuilder.struct().name("dev.eventflow." + type.replace("-", "_"));
        for (Field field : fields) {
            builder.field(field.column(), schema(field));
        }
        return new Contract(type, fields, builder.build());
    }

    public static List<String> types() {
        return FIELDS.keySet().stream().sorted().toList();
    }

    private static Schema schema(Field field) {
        SchemaBuilder builder = switch (field.kind()) {
            case STRING, JSON_TEXT -> SchemaBuilder.string();
            case INT32 -> SchemaBuilder.int32();
            case INT64 -> SchemaBuilder.int64();
            case BOOLEAN -> SchemaBuilder.bool();
            case DECIMAL -> Decimal.builder(DECIMAL_SCALE);
            case TIMESTAMP -> Timestamp.builder();
        };
        return field.optional() ? builder.optional().build() : builder.build();
    }

    /**
     * A quality score flattened, after the fields that say what was scored (a window, a run): each dimension's object
     * becomes three columns ({@code validity.numerator} and so on), so a table can sum numerators and denominators over
     * windows; a score is null when its denominator is 0.
     */
    private static List<Field> qualityScore(List<Field> scored) {
        List<Field> fields = new java.util.ArrayList<>(scored);
        for (String dimension : List.of("validity", "completeness", "uniqueness", "timeliness", "consistency", "plausibility")) {
            fields.add(required(dimension + ".numerator", Kind.INT64));
            fields.add(required(dimension + ".denominator", Kind.INT64));
            fields.add(optional(dimension + ".score", Kind.DECIMAL));
        }
        fields.addAll(List.of(optional("overall", Kind.DECIMAL), required("closed", Kind.BOOLEAN), required("version", Kind.INT64),
                required("updatedAt", Kind.TIMESTAMP)));
        return List.copyOf(fields);
    }

    private static Field required(String property, Kind kind) {
        return new Field(property, kind, false);
    }

    private static Field optional(String property, Kind kind) {
        return new Field(property, kind, true);
    }
}
