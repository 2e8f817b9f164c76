package dev.eventflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventflow.model.DeadLetter;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.processor.RawRecords;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Poison pills: every kind of bad input ends on the dead-letter topic, with its bytes and reason, and processing goes on. */
class DeadLetterTopologyTest {

    final TopologyHarness harness = TopologyHarness.create();

    @AfterEach
    void close() {
        harness.close();
    }

    static Stream<Arguments> malformedBytes() {
        return Stream.of(
                Arguments.of("not JSON", "E0/1".getBytes(StandardCharsets.UTF_8), "this is not json".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("invalid UTF-8", "E0/2".getBytes(StandardCharsets.UTF_8),
                        new byte[] {'{', '"', 'p', 'r', 'o', 'v', 'i', 'd', 'e', 'r', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}),
                Arguments.of("wrong envelope", "E0/3".getBytes(StandardCharsets.UTF_8),
                        "{\"HomeTeam\":\"Liverpool\",\"AwayTeam\":\"Norwich\"}".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("JSON array", null, "[1,2]".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("empty value", "E0/5".getBytes(StandardCharsets.UTF_8), new byte[0]),
                Arguments.of("tombstone", "E0/6".getBytes(StandardCharsets.UTF_8), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBytes")
    void shouldSendMalformedBytesToTheDeadLetterTopicUntouched(String kind, byte[] key, byte[] value) {
        harness.pipeEventBytes(key, value);

        List<TestRecord<byte[], byte[]>> dead = harness.deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).key()).isEqualTo(key);
        assertThat(dead.get(0).value()).isEqualTo(value);
        DeadLetter letter = TopologyHarness.deadLetter(dead.get(0));
        assertThat(letter.stage()).isEqualTo(DeadLetter.STAGE_DESERIALIZE);
        assertThat(letter.provider()).isNull();
        assertThat(letter).extracting(DeadLetter::sourceTopic, DeadLetter::sourcePartition, DeadLetter::sourceOffset,
                DeadLetter::failedAt).containsExactly("provider.events.raw", 0, 0L, TopologyHarness.FAILED_AT);
        assertThat(letter.reason()).isNotBlank();
        assertThat(harness.metrics.count("eventflow.dead.letters", "stage", "deserialize", "reason", "malformed-envelope"))
                .isEqualTo(1);
        assertThat(harness.allOutputsEmpty()).isTrue();
    }

    static Stream<Arguments> invalidRows() {
        return Stream.of(
                Arguments.of("AwayTeam", null, "missing-field", "missing field AwayTeam"),
                Arguments.of("HomeTeam", "   ", "missing-field", "missing field HomeTeam"),
                Arguments.of("Date", "31/02/2019", "invalid-date", "Date '31/02/2019' is not a calendar date"),
                Arguments.of("Date", "2019-08-09", "invalid-date", "Date '2019-08-09' is not dd/mm/yy or dd/mm/yyyy"),
                Arguments.of("Time", "25:00", "invalid-kickoff", "Time '25:00' is not a time of day"),
                Arguments.of("FTHG", "-1", "invalid-score", "FTHG '-1' is not a non-negative integer"),
                Arguments.of("FTAG", "1.5", "invalid-score", "FTAG '1.5' is not a non-negative integer"),
                Arguments.of("FTHG", null, "missing-field", "missing field FTHG"),
                Arguments.of("FTR", "A", "invalid-result", "FTR 'A' contradicts the score 4-1"),
                Arguments.of("HTHG", "5", "invalid-score", "half-time score 5-0 exceeds full-time score 4-1"),
                Arguments.of("AwayTeam", "Liverpool", "same-teams", "home and away are the same entity football:liverpool"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("invalidRows")
    void shouldSendAnInvalidRowToTheDeadLetterTopicWithItsReasonAndNothingElse(String column, String value, String code,
                                                                               String reason) {
        RawRecords.Keyed row = FootballDataTopologyTest.firstRowOf2019();
        ObjectNode payload = row.envelope().payload().deepCopy();
        if (value == null) {
            payload.remove(column);
        } else {
            payload.put(column, value);
        }
        RawEnvelope bad = RawRecords.envelope("football-data", "E0_2019-20.csv", 2L, payload);

        harness.pipeEvent(row.key(), bad, RawRecords.RECEIVED_AT);

        List<TestRecord<byte[], byte[]>> dead = harness.deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo(row.key());
        assertThat(dead.get(0).value()).isEqualTo(RawRecords.bytes(bad));
        assertThat(TopologyHarness.deadLetter(dead.get(0))).extracting(DeadLetter::reason, DeadLetter::stage, DeadLetter::provider)
                .containsExactly(reason, DeadLetter.STAGE_VALIDATE, "football-data");
        assertThat(harness.metrics.count("eventflow.dead.letters", "stage", "validate", "reason", code)).isEqualTo(1);
        assertThat(harness.allOutputsEmpty()).isTrue();
    }

    @Test
    void shouldSendARecordOfAnUnknownProviderToTheDeadLetterTopic() {
        harness.pipeEvent("x", RawRecords.envelope("acme-feed", "acme.json", null, RawRecords.json("{'a':1}")), RawRecords.RECEIVED_AT);

        assertThat(harness.deadLetters()).extracting(TopologyHarness::deadLetter).extracting(DeadLetter::reason, DeadLetter::provider)
                .containsExactly(tuple("unknown provider 'acme-feed' (known: [football-data, football-data-org, synthetic, the-odds-api])", "acme-feed"));
        assertThat(harness.allOutputsEmpty()).isTrue();
    }

    @Test
    void shouldAcceptTheGoodPartsOfARowAndDeadLetterItForTheBadPrices() {
        // Given a row whose B365 home price is below 1.0 and whose BW away price is not a number
        RawRecords.Keyed row = FootballDataTopologyTest.firstRowOf2019();
        ObjectNode payload = row.envelope().payload().deepCopy();
        payload.put("B365H", "0.95");
        payload.put("BWA", "n/a");
        RawEnvelope partlyBad = RawRecords.envelope("football-data", "E0_2019-20.csv", 2L, payload);

        harness.pipeEvent(row.key(), partlyBad, RawRecords.RECEIVED_AT);

        // Then the event, its entities and the other prices flow on, each bookmaker's newest: B365 and BW with their
        // (valid) closing prices, IW and VC with their opening prices (their closing ones are the same)
        assertThat(harness.events()).hasSize(1);
        assertThat(harness.entities()).hasSize(2);
        String event = FootballDataTopologyTest.LIVERPOOL_NORWICH;
        assertThat(harness.rates()).extracting(r -> r.key().substring(event.length() + 1), r -> r.value().quotedAt())
                .containsExactly(
                        tuple("B365|1X2", FootballDataTopologyTest.KICKOFF), tuple("BW|1X2", FootballDataTopologyTest.KICKOFF),
                        tuple("IW|1X2", FootballDataTopologyTest.KICKOFF.minusSeconds(48 * 3600)),
                        tuple("PS|1X2", FootballDataTopologyTest.KICKOFF),
                        tuple("WH|1X2", FootballDataTopologyTest.KICKOFF),
                        tuple("VC|1X2", FootballDataTopologyTest.KICKOFF.minusSeconds(48 * 3600)));
        assertThat(harness.enriched()).hasSize(1);
        // and the raw row is dead-lettered once, with both reasons
        List<TestRecord<byte[], byte[]>> dead = harness.deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(TopologyHarness.deadLetter(dead.get(0)).reason()).isEqualTo(
                "partly accepted, refused: B365H 0.95 is not above 1.0; BWA 'n/a' is not a price");
        assertThat(harness.allOutputsEmpty()).isTrue();
    }

    @Test
    void shouldNameWhatIsWrongWithATextPayloadAndASemicolonSeparatedRow() {
        // A JSON-lines line that is not valid JSON arrives as text; a ;-separated CSV's row as one column
        harness.pipeEvent("line-2", RawRecords.envelope("synthetic", "feed.jsonl", 2L,
                com.fasterxml.jackson.databind.node.TextNode.valueOf("{\"id\":\"p-2\",\"sport\":\"foo")), RawRecords.RECEIVED_AT);
        harness.pipeEvent("line-3", RawRecords.envelope("football-data", "E0.csv", 2L,
                RawRecords.json("{'Div;Date;HomeTeam;AwayTeam;FTHG;FTAG':'E0;21/01/2031;Arsenal;Everton;1;1'}")), RawRecords.RECEIVED_AT);

        assertThat(harness.deadLetters()).extracting(TopologyHarness::deadLetter).extracting(DeadLetter::reason).containsExactly(
                "payload is not a JSON object but text (a line that is not valid JSON is published as text)",
                "missing field Div: the row has one column, 'Div;Date;HomeTeam;AwayTeam;FTHG;FTAG' (a ;-separated file? "
                        + "football-data files are comma-separated)");
        assertThat(harness.allOutputsEmpty()).isTrue();
    }

    @Test
    void shouldRefuseCodesWithControlCharactersWhichNoRowCouldHold() {
        // PostgreSQL's text cannot hold NUL: a competition or bookmaker with one would fail its sink's task for good
        RawRecords.Keyed row = FootballDataTopologyTest.firstRowOf2019();
        ObjectNode payload = row.envelope().payload().deepCopy();
        payload.put("Div", "E\u00000");
        harness.pipeEvent(row.key(), RawRecords.envelope("football-data", "E0_2019-20.csv", 2L, payload), RawRecords.RECEIVED_AT);

        assertThat(harness.deadLetters()).extracting(TopologyHarness::deadLetter).extracting(DeadLetter::reason, DeadLetter::stage)
                .containsExactly(tuple("Div holds control characters", DeadLetter.STAGE_VALIDATE));
        assertThat(harness.metrics.count("eventflow.dead.letters", "stage", "validate", "reason", "invalid-field")).isEqualTo(1);
        assertThat(harness.allOutputsEmpty()).isTrue();
    }

    @Test
    void shouldKeepProcessingGoodRecordsAfterBadOnes() {
        harness.pipeEventBytes("bad".getBytes(StandardCharsets.UTF_8), "{".getBytes(StandardCharsets.UTF_8));
        harness.pipe(List.of(FootballDataTopologyTest.firstRowOf2019()));

        assertThat(harness.deadLetters()).hasSize(1);
        assertThat(harness.events()).hasSize(1);
    }
}
