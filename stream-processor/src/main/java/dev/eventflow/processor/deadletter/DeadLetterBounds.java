package dev.eventflow.processor.deadletter;

import dev.eventflow.model.DeadLetter;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Keeps a dead letter within what the processor's producer may send. A dead letter is the raw record's key and
 * value with the reason in headers, so a raw record just under the size limit (1 MiB by default) becomes a dead
 * letter over it; its send would fail the stream thread, and the thread that replaces it would fail on the same
 * record again, for ever. Such a dead letter keeps the first bytes of the value, and its reason says how many and
 * where the whole record is (raw topics keep everything).
 */
public final class DeadLetterBounds {

    /** The producer's default {@code max.request.size}, which the broker's default {@code message.max.bytes} matches. */
    public static final int DEFAULT_MAX_BYTES = 1_048_576;
    /** Room for a record batch's and a record's framing, and the reason's longer form. */
    static final int FRAMING_BYTES = 1024;

    private DeadLetterBounds() {
    }

    /** The largest record the processor's producer may send, from the Kafka Streams settings. */
    public static int maxBytes(Map<?, ?> streamsConfig) {
        Object value = streamsConfig.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        if (value == null) {
            value = streamsConfig.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        }
        return value == null ? DEFAULT_MAX_BYTES : Integer.parseInt(value.toString().strip());
    }

    /** The same, from {@link Properties}. */
    public static int maxBytes(Properties streamsProperties) {
        return maxBytes((Map<?, ?>) streamsProperties);
    }

    /**
     * Writes {@code letter} into {@code headers} and returns the value to send: {@code value} itself when key, value and
     * headers fit in {@code maxBytes}, else its first bytes, with the letter's reason saying so.
     */
    public static byte[] bound(byte[] key, byte[] value, DeadLetter letter, Headers headers, int maxBytes) {
        letter.writeTo(headers);
        int room = maxBytes - FRAMING_BYTES - length(key) - headerBytes(headers);
        if (value == null || value.length <= room) {
            return value;
        }
        int kept = Math.max(0, room);
        new DeadLetter(letter.reason() + " (this dead letter holds the first " + kept + " of the record's " + value.length
                + " bytes; the whole record is at " + letter.sourceTopic() + "/" + letter.sourcePartition() + "/"
                + letter.sourceOffset() + ")", letter.stage(), letter.provider(), letter.sourceTopic(), letter.sourcePartition(),
                letter.sourceOffset(), letter.failedAt()).writeTo(headers);
        return Arrays.copyOf(value, kept);
    }

    private static int headerBytes(Headers headers) {
        int bytes = 0;
        for (Header header : headers) {
            bytes += header.key().length() * 3 + length(header.value()) + 10;
        }
        return bytes;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
