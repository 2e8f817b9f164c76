package dev.eventflow.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventflow.model.DeadLetter;
import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.model.Entity;
import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import dev.eventflow.model.IngestRun;
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
    void shouldCoverEveryFieldOfTheEventModelRecords() {
        Map<String, Class<? extends Record>> types = Map.of("entity", Entity.class, "event", Event.class,
                "return-rate", ReturnRate.class, "enriched-event", EnrichedEvent.class, "ingest-run", IngestRun.class);

        types.forEach((type, record) -> assertThat(ContractSchemas.of(type).fields()).as(type)
                .extracting(ContractSchemas.Field::property)
                .containsExactlyElementsOf(Arrays.stream(record.getRecordComponents()).map(c -> c.getName()).toList()));
    }
}
