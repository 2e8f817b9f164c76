package dev.eventflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    @Test
    void shouldRoundTripThroughHeaders() {
        DeadLetter letter = new DeadLetter("missing field HomeTeam", DeadLetter.STAGE_VALIDATE, "football-data",
                "provider.events.raw", 3, 1234L, Instant.parse("2026-11-22T10:00:00Z"));

        RecordHeaders headers = new RecordHeaders();
        letter.writeTo(headers);

        assertThat(DeadLetter.readFrom(headers)).isEqualTo(letter);
        assertThat(new String(headers.lastHeader(DeadLetter.HEADER_REASON).value(), StandardCharsets.UTF_8))
                .isEqualTo("missing field HomeTeam");
    }

    @Test
    void shouldOmitTheProviderHeaderWhenTheProviderIsUnknown() {
        DeadLetter letter = new DeadLetter("not JSON", DeadLetter.STAGE_DESERIALIZE, null,
                "provider.events.raw", 0, 7L, Instant.parse("2026-11-22T10:00:00Z"));

        RecordHeaders headers = new RecordHeaders();
        letter.writeTo(headers);

        assertThat(headers.lastHeader(DeadLetter.HEADER_PROVIDER)).isNull();
        assertThat(DeadLetter.readFrom(headers)).isEqualTo(letter);
    }

    @Test
    void shouldRefuseHeadersWithoutAReason() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetter.HEADER_STAGE, "validate".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> DeadLetter.readFrom(headers))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(DeadLetter.HEADER_REASON);
    }
}
