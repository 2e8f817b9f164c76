package dev.eventflow.processor.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.model.DeadLetter;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** A dead letter is never larger than the producer may send: else its send would stop the stream thread, again and again. */
class DeadLetterBoundsTest {

    static final DeadLetter LETTER = new DeadLetter("missing field AwayTeam", "validate", "football-data", "provider.events.raw",
            0, 8L, Instant.parse("2031-01-01T00:00:00Z"));

    @Test
    void shouldKeepAValueThatFitsWithItsHeadersUntouched() {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = new byte[1000];

        assertThat(DeadLetterBounds.bound("k".getBytes(), value, LETTER, headers, DeadLetterBounds.DEFAULT_MAX_BYTES)).isSameAs(value);
        assertThat(DeadLetter.readFrom(headers)).isEqualTo(LETTER);
    }

    @Test
    void shouldCutAValueThatWouldNotFitWithItsHeadersAndSaySoInTheReason() {
        // A raw record just under the producer's limit: with the dead letter's headers it would be over it
        byte[] value = new byte[DeadLetterBounds.DEFAULT_MAX_BYTES - 150];
        Arrays.fill(value, (byte) 'x');
        RecordHeaders headers = new RecordHeaders();

        byte[] bounded = DeadLetterBounds.bound(null, value, LETTER, headers, DeadLetterBounds.DEFAULT_MAX_BYTES);

        int headerBytes = 0;
        for (Header header : headers) {
            headerBytes += header.key().length() + header.value().length;
        }
        assertThat(bounded.length + headerBytes).isLessThan(DeadLetterBounds.DEFAULT_MAX_BYTES - 512);
        assertThat(bounded).isEqualTo(Arrays.copyOf(value, bounded.length));
        assertThat(DeadLetter.readFrom(headers).reason()).isEqualTo("missing field AwayTeam (this dead letter holds the first "
                + bounded.length + " of the record's " + value.length + " bytes; the whole record is at provider.events.raw/0/8)");
        assertThat(headers.headers(DeadLetter.HEADER_REASON)).hasSize(1);
    }

    @Test
    void shouldReadTheLimitFromTheStreamsSettings() {
        assertThat(DeadLetterBounds.maxBytes(new Properties())).isEqualTo(1_048_576);
        assertThat(DeadLetterBounds.maxBytes(Map.of("producer.max.request.size", "2097152"))).isEqualTo(2_097_152);
        assertThat(DeadLetterBounds.maxBytes(Map.of("max.request.size", "524288"))).isEqualTo(524_288);
    }
}
