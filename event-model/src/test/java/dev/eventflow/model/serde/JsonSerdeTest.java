package dev.eventflow.model.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventflow.model.EnrichedEvent;
import dev.eventflow.model.Entity;
import dev.eventflow.model.Event;
import dev.eventflow.model.EventStatus;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.IngestRunStatus;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.ReturnRate;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonSerdeTest {

    static final Instant KICKOFF = Instant.parse("2019-08-09T19:00:00Z");

    static RawEnvelope rawEnvelope() {
        ObjectNode payload = JsonNodeFactory.instance.objectNode()
                .put("Div", "E0").put("HomeTeam", "Liverpool").put("B365H", "1.14");
        return new RawEnvelope("football-data", "data/E0_2019-20.csv", 2L, "ab12", "run-1",
                Instant.parse("2026-11-22T10:00:00.123Z"), KICKOFF, payload);
    }

    static Entity entity() {
        return new Entity("football:liverpool", "football", "Liverpool", "liverpool", KICKOFF);
    }

    static Event event() {
        return new Event("football:e0:2019-08-09:liverpool:norwich", "football", "E0", KICKOFF,
                "football:liverpool", "football:norwich", "Liverpool", "Norwich", EventStatus.FINISHED,
                4, 1, 4, 0, List.of("football-data:E0/09/08/2019/Liverpool/Norwich"), KICKOFF);
    }

    static ReturnRate returnRate() {
        return new ReturnRate("e1|B365|1X2", "e1", "B365", "1X2", KICKOFF,
                new BigDecimal("1.14"), new BigDecimal("10"), new BigDecimal("19"),
                new BigDecimal("0.877193"), new BigDecimal("0.1"), new BigDecimal("0.052632"),
                new BigDecimal("0.970014"), "football-data");
    }

    static EnrichedEvent enrichedEvent() {
        return new EnrichedEvent("e1", "football", "E0", KICKOFF, "football:liverpool", "football:norwich",
                EventStatus.FINISHED, 4, 1, 2,
                new BigDecimal("1.16"), new BigDecimal("10.5"), new BigDecimal("23"),
                new BigDecimal("1.145"), new BigDecimal("9.75"), new BigDecimal("20"),
                new BigDecimal("1.0012"), new BigDecimal("0.9701"), KICKOFF);
    }

    static IngestRun ingestRun() {
        return new IngestRun("run-1", "replay", "football-data", "data/*.csv", IngestRunStatus.SUCCEEDED,
                KICKOFF, KICKOFF.plusSeconds(3), 380, 378, 2, Map.of("blank row", 2L), Map.of("row wider than header", 5L), null);
    }

    static dev.eventflow.model.IngestCheckpoint checkpoint() {
        return new dev.eventflow.model.IngestCheckpoint("replay|football-data|/data/E0.csv", 120L, null, "run-1", KICKOFF);
    }

    static Stream<Object> messages() {
        return Stream.of(rawEnvelope(), entity(), event(), returnRate(), enrichedEvent(), ingestRun(), checkpoint());
    }

    @ParameterizedTest
    @MethodSource("messages")
    <T> void shouldRoundTripEveryMessageType(T message) {
        @SuppressWarnings("unchecked")
        JsonSerde<T> serde = new JsonSerde<>((Class<T>) message.getClass());

        byte[] bytes = serde.serialize("topic", message);

        assertThat(serde.deserialize("topic", bytes)).isEqualTo(message);
    }

    @ParameterizedTest
    @MethodSource("messages")
    <T> void shouldMapNullToNullBothWaysForTombstones(T message) {
        @SuppressWarnings("unchecked")
        JsonSerde<T> serde = new JsonSerde<>((Class<T>) message.getClass());

        assertThat(serde.serialize("topic", null)).isNull();
        assertThat(serde.deserialize("topic", null)).isNull();
    }

    @Test
    void shouldWriteInstantsAsIsoUtcAndPricesAsPlainNumbers() {
        String json = new String(new JsonSerde<>(ReturnRate.class).serialize("t", returnRate()), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"id\":\"e1|B365|1X2\",\"eventId\":\"e1\",\"bookmaker\":\"B365\",\"market\":\"1X2\","
                + "\"quotedAt\":\"2019-08-09T19:00:00Z\",\"home\":1.14,\"draw\":10,\"away\":19,"
                + "\"impliedHome\":0.877193,\"impliedDraw\":0.1,\"impliedAway\":0.052632,"
                + "\"payout\":0.970014,\"provider\":\"football-data\"}");
    }

    @Test
    void shouldKeepPricesExactWithoutGoingThroughDouble() {
        JsonSerde<ReturnRate> serde = new JsonSerde<>(ReturnRate.class);
        String json = "{\"id\":\"x\",\"eventId\":\"e\",\"bookmaker\":\"B\",\"market\":\"1X2\",\"quotedAt\":\"2019-08-09T19:00:00Z\","
                + "\"home\":1.1000000000000000000001,\"draw\":3.3,\"away\":2.05,\"payout\":0.95,\"provider\":\"p\"}";

        ReturnRate rate = serde.deserialize("t", json.getBytes(StandardCharsets.UTF_8));

        assertThat(rate.home()).isEqualTo(new BigDecimal("1.1000000000000000000001"));
        assertThat(rate.impliedHome()).isNull();
    }

    @Test
    void shouldReadRawPayloadNumbersAsBigDecimal() {
        JsonSerde<RawEnvelope> serde = new JsonSerde<>(RawEnvelope.class);
        String json = "{\"provider\":\"synthetic\",\"source\":\"http://x\",\"ingestRunId\":\"r\","
                + "\"receivedAt\":\"2026-11-22T10:00:00Z\",\"payload\":{\"price\":2.1}}";

        RawEnvelope envelope = serde.deserialize("t", json.getBytes(StandardCharsets.UTF_8));

        assertThat(envelope.payload().get("price").decimalValue()).isEqualTo(new BigDecimal("2.1"));
        assertThat(envelope.line()).isNull();
    }

    @Test
    void shouldReadAnEntityWithItsProviderReferencesAndWhetherAnAliasKnowsIt() {
        JsonSerde<Entity> serde = new JsonSerde<>(Entity.class);
        Entity entity = new Entity("football:gunners-town", "football", "Gunners Town", "gunners-town",
                List.of("football-data-org:57"), false, KICKOFF);

        byte[] bytes = serde.serialize("t", entity);

        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"football:gunners-town\",\"sport\":\"football\","
                + "\"name\":\"Gunners Town\",\"normalizedName\":\"gunners-town\",\"providerRefs\":[\"football-data-org:57\"],"
                + "\"aliased\":false,\"updatedAt\":\"2019-08-09T19:00:00Z\"}");
        assertThat(serde.deserialize("t", bytes)).isEqualTo(entity);
    }

    @Test
    void shouldIgnoreUnknownFieldsSoProducersCanAddFields() {
        JsonSerde<Entity> serde = new JsonSerde<>(Entity.class);
        String json = "{\"id\":\"football:x\",\"sport\":\"football\",\"name\":\"X\",\"normalizedName\":\"x\","
                + "\"updatedAt\":\"2019-08-09T19:00:00Z\",\"addedLater\":{\"a\":1}}";

        assertThat(serde.deserialize("t", json.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new Entity("football:x", "football", "X", "x", KICKOFF));
        // (an entity written before providerRefs and aliased existed reads as no references, known)
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not json",
        "{\"id\":\"football:x\"",
        "[1,2,3]",
        "{\"id\":\"football:x\",\"sport\":\"football\",\"name\":\"X\",\"normalizedName\":\"x\",\"updatedAt\":\"yesterday\"}",
        "{\"sport\":\"football\",\"name\":\"X\",\"normalizedName\":\"x\",\"updatedAt\":\"2019-08-09T19:00:00Z\"}",
        "{\"id\":\"a\",\"sport\":\"football\",\"name\":\"X\",\"normalizedName\":\"x\",\"updatedAt\":\"2019-08-09T19:00:00Z\"} trailing"
    })
    void shouldRaiseSerializationExceptionOnMalformedInput(String input) {
        JsonSerde<Entity> serde = new JsonSerde<>(Entity.class);

        assertThatThrownBy(() -> serde.deserialize("entities.clean", input.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Entity");
    }

    @Test
    void shouldRaiseSerializationExceptionOnInvalidUtf8() {
        JsonSerde<Entity> serde = new JsonSerde<>(Entity.class);
        byte[] invalid = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        assertThatThrownBy(() -> serde.deserialize("entities.clean", invalid))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void shouldRaiseSerializationExceptionWhenARequiredNumberIsNull() {
        JsonSerde<IngestRun> serde = new JsonSerde<>(IngestRun.class);
        String json = "{\"runId\":\"r\",\"command\":\"replay\",\"provider\":\"p\",\"source\":\"s\",\"status\":\"RUNNING\","
                + "\"startedAt\":\"2019-08-09T19:00:00Z\",\"recordsRead\":null}";

        assertThatThrownBy(() -> serde.deserialize("ingest.runs", json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }
}
