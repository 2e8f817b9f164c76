package dev.eventflow.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventflow.model.DeadLetter;
import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.model.Entity;
import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.QualityRunScore;
import dev.eventflow.model.QualityScore;
import dev.eventflow.model.QualityScore.Dimension;
import dev.eventflow.model.ReturnRate;
import dev.eventflow.model.serde.JsonSerde;
import dev.eventflow.sink.connect.ContractConverter;
import dev.eventflow.sink.connect.ContractSchemas;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class ContractConverterTest {

    static final Instant T = Instant.parse("2019-08-09T19:00:00Z");

    static ContractConverter converter(String type) {
        ContractConverter converter = new ContractConverter();
        converter.configure(Map.of(ContractConverter.TYPE_CONFIG, type), false);
        return converter;
    }

    static <T> byte[] json(Class<T> type, T value) {
        return new JsonSerde<>(type).serialize("t", value);
    }

    @Test
    void shouldReadEveryContractTypeIntoAFlatStructWithSnakeCaseFields() {
        Event event = new Event("e1", "football", "E0", T, "football:liverpool", "football:norwich-city", "Liverpool",
                "Norwich City", EventStatus.FINISHED, 4, 1, null, null, List.of("football-data:x"), T.plusSeconds(7200));

        Struct struct = (Struct) converter("event").toConnectData("events.clean", json(Event.class, event)).value();

        assertThat(struct.getString("id")).isEqualTo("e1");
        assertThat(struct.get("kickoff")).isEqualTo(Date.from(T));
        assertThat(struct.getString("home_entity_id")).isEqualTo("football:liverpool");
        assertThat(struct.getInt32("home_score")).isEqualTo(4);
        assertThat(struct.getInt32("half_time_home_score")).isNull();
        assertThat(struct.getString("provider_refs")).isEqualTo("[\"football-data:x\"]");
        assertThat(struct.getString("status")).isEqualTo("FINISHED");

        ReturnRate rate = new ReturnRate("e1|B365|1X2", "e1", "B365", "1X2", T, new BigDecimal("1.14"), new BigDecimal("9.5"),
                new BigDecimal("21"), new BigDecimal("0.877193"), new BigDecimal("0.105263"), new BigDecimal("0.047619"),
                new BigDecimal("0.970803"), "football-data");
        Struct rateStruct = (Struct) converter("return-rate").toConnectData("rr", json(ReturnRate.class, rate)).value();
        assertThat(rateStruct.get("home")).isEqualTo(new BigDecimal("1.140000"));
        assertThat(rateStruct.get("payout")).isEqualTo(new BigDecimal("0.970803"));
        assertThat(rateStruct.get("quoted_at")).isEqualTo(Date.from(T));
    }

    @Test
    void shouldTurnAStringKeyIntoAStructNamingThePrimaryKeyColumn() {
        ContractConverter keys = new ContractConverter();
        keys.configure(Map.of(ContractConverter.KEY_FIELD_CONFIG, "event_id"), true);

        Struct key = (Struct) keys.toConnectData("events.enriched", "e1".getBytes(StandardCharsets.UTF_8)).value();

        assertThat(key.getString("event_id")).isEqualTo("e1");
        assertThat(key.schema().fields()).hasSize(1);
    }

    @Test
    void shouldKeepATombstoneNullSoTheSinkDeletesTheRow() {
        SchemaAndValue tombstone = converter("entity").toConnectData("entities.clean", null);

        assertThat(tombstone.value()).isNull();
        assertThat(tombstone.schema()).isEqualTo(ContractSchemas.of("entity").schema());
    }

    @Test
    void shouldRefuseARecordWithoutARequiredField() {
        byte[] broken = "{\"id\":\"football:x\",\"sport\":\"football\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> converter("entity").toConnectData("entities.clean", broken))
                .isInstanceOf(DataException.class).hasMessage("Missing name in a entity on entities.clean");
    }

    @Test
    void shouldTurnADeadLetterIntoAQuarantineRow() {
        RecordHeaders headers = new RecordHeaders();
        new DeadLetter("missing field AwayTeam", "validate", "football-data", "provider.events.raw", 3, 41L, T).writeTo(headers);
        byte[] original = "{\"provider\":\"football-data\"}".getBytes(StandardCharsets.UTF_8);

        Struct row = (Struct) converter("dead-letter").toConnectData("eventflow.dlq", headers, original).value();

        assertThat(row.getString("reason")).isEqualTo("missing field AwayTeam");
        assertThat(row.getString("stage")).isEqualTo("validate");
        assertThat(row.getString("provider")).isEqualTo("football-data");
        assertThat(row.getString("source_topic")).isEqualTo("provider.events.raw");
        assertThat(row.getInt32("source_partition")).isEqualTo(3);
        assertThat(row.getInt64("source_offset")).isEqualTo(41L);
        assertThat(row.getBytes("original_value")).isEqualTo(original);
        assertThat(row.getString("value_text")).isEqualTo("{\"provider\":\"football-data\"}");
    }

    @Test
    void shouldLeaveNulCharactersOutOfAQuarantineRowWhichPostgresqlTextCannotHold() {
        // A reason quoting a bad value, and a provider id, with NUL: the row must still be writable
        RecordHeaders headers = new RecordHeaders();
        new DeadLetter("commence_time '2031\u0000' is not an ISO-8601 time with an offset", "validate", "ac\u0000me",
                "provider.events.raw", 0, 7L, T).writeTo(headers);

        Struct row = (Struct) converter("dead-letter").toConnectData("eventflow.dlq", headers,
                "{\"a\":\"\u0000\"}".getBytes(StandardCharsets.UTF_8)).value();

        assertThat(row.getString("reason")).isEqualTo("commence_time '2031' is not an ISO-8601 time with an offset");
        assertThat(row.getString("provider")).isEqualTo("acme");
        assertThat(row.getString("value_text")).isEqualTo("{\"a\":\"\"}");
    }

    @Test
    void shouldReadAQualityScoreIntoThreeColumnsPerDimension() {
        QualityScore score = new QualityScore("football-data", T, T.plusSeconds(3600), new Dimension(98, 100, new BigDecimal("0.98")),
                new Dimension(97, 98, new BigDecimal("0.989796")), new Dimension(600, 640, new BigDecimal("0.9375")),
                new Dimension(10, 10, BigDecimal.ONE), new Dimension(1, 2, new BigDecimal("0.5")), new Dimension(0, 0, null),
                new BigDecimal("0.881459"), true, 2, T.plusSeconds(4800));

        Struct struct = (Struct) converter("quality-score").toConnectData("quality.scores", json(QualityScore.class, score)).value();

        assertThat(struct.schema().fields()).extracting(org.apache.kafka.connect.data.Field::name).containsExactly("provider",
                "window_start", "window_end", "validity_numerator", "validity_denominator", "validity_score",
                "completeness_numerator", "completeness_denominator", "completeness_score", "uniqueness_numerator",
                "uniqueness_denominator", "uniqueness_score", "timeliness_numerator", "timeliness_denominator", "timeliness_score",
                "consistency_numerator", "consistency_denominator", "consistency_score", "plausibility_numerator",
                "plausibility_denominator", "plausibility_score", "overall", "closed", "version", "updated_at");
        assertThat(struct.schema().fields()).extracting(field -> struct.get(field)).containsExactly("football-data", Date.from(T),
                Date.from(T.plusSeconds(3600)), 98L, 100L, new BigDecimal("0.980000"), 97L, 98L, new BigDecimal("0.989796"), 600L, 640L,
                new BigDecimal("0.937500"), 10L, 10L, new BigDecimal("1.000000"), 1L, 2L, new BigDecimal("0.500000"), 0L, 0L, null,
                new BigDecimal("0.881459"), true, 2L, Date.from(T.plusSeconds(4800)));
    }

    @Test
    void shouldReadARunsQualityScoreWithItsRunInsteadOfAWindow() {
        QualityRunScore score = new QualityRunScore("football-data", "replay-1", null, new Dimension(2, 2, BigDecimal.ONE),
                new Dimension(2, 2, BigDecimal.ONE), new Dimension(0, 0, null), new Dimension(0, 0, null), new Dimension(0, 0, null),
                new Dimension(1, 2, new BigDecimal("0.5")), new BigDecimal("0.833333"), false, 1, T);

        Struct struct = (Struct) converter("quality-run-score").toConnectData("quality.run-scores", json(QualityRunScore.class, score))
                .value();

        assertThat(struct.schema().fields()).extracting(org.apache.kafka.connect.data.Field::name).startsWith("provider",
                "ingest_run_id", "records_published", "validity_numerator").endsWith("overall", "closed", "version", "updated_at");
        assertThat(struct.get("ingest_run_id")).isEqualTo("replay-1");
        assertThat(struct.get("records_published")).isNull();
        assertThat(struct.get("plausibility_score")).isEqualTo(new BigDecimal("0.500000"));
        assertThat(struct.get("uniqueness_score")).isNull();
        assertThat(struct.get("closed")).isEqualTo(false);
    }

    @Test
    void shouldRefuseAQualityScoreWhoseDimensionIsNoObject() {
        byte[] broken = ("{\"provider\":\"p\",\"windowStart\":\"2019-08-09T19:00:00Z\",\"windowEnd\":\"2019-08-09T20:00:00Z\","
                + "\"validity\":0.98}").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> converter("quality-score").toConnectData("quality.scores", broken))
                .isInstanceOf(DataException.class).hasMessage("Missing validity.numerator in a quality-score on quality.scores");
    }

    @Test
    void shouldCoverEveryFieldOfTheEventModelRecords() {
        Map<String, Class<? extends Record>> types = Map.of("entity", Entity.class, "event", Event.class,
                "return-rate", ReturnRate.class, "enriched-event", EnrichedEvent.class, "ingest-run", IngestRun.class,
                "quality-score", QualityScore.class, "quality-run-score", QualityRunScore.class);

        types.forEach((type, record) -> assertThat(ContractSchemas.of(type).fields()).as(type)
                .extracting(ContractSchemas.Field::property)
                .containsExactlyElementsOf(properties(record)));
        assertThat(ContractSchemas.types()).containsExactlyInAnyOrderElementsOf(types.keySet());
    }

    /** The record's JSON properties; a nested record's as dotted paths ({@code validity.numerator}). */
    private static List<String> properties(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).flatMap(c -> c.getType().isRecord()
                ? properties(c.getType()).stream().map(nested -> c.getName() + "." + nested)
                : java.util.stream.Stream.of(c.getName())).toList();
    }
}
