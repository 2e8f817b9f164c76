package dev.eventflow.ingest.publish;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer every ingest command publishes through: idempotent, {@code acks=all}, compressed and
 * batched for throughput. A send failure is never swallowed: after the client's own retries it is
 * kept and raised by the next {@link #flush()} or {@link #send}, which fails the run with the reason.
 */
public final class RawPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final int maxRecordBytes;
    /** The producer's default {@code max.request.size} (1 MiB), as the broker's {@code message.max.bytes}. */
    static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;
    /** An upper bound of a batch's header (61 bytes) and one record's own framing (at most 21), rounded up. */
    static final int FRAMING_BYTES = 100;

    /**
     * @param overrides producer settings over {@link #producerConfig(String)} (security settings, for example)
     */
    public RawPublisher(String bootstrapServers, Map<String, ?> overrides) {
        Map<String, Object> config = producerConfig(bootstrapServers);
        config.putAll(overrides);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        Object maxRequestSize = config.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        this.maxRecordBytes = maxRequestSize == null ? DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(maxRequestSize.toString().strip());
    }

    /** The producer's {@code max.request.size}: no record larger than this can be sent. */
    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /**
     * Whether a record fits in {@link #maxRecordBytes()} with its framing (a record batch's header and the record's own,
     * under {@value #FRAMING_BYTES} bytes). One that does not would fail its send, and with it the run, after everything
     * sent before it: such a record is for the caller to skip.
     */
    public boolean fits(String key, byte[] value) {
        long size = (key == null ? 0 : key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                + (value == null ? 0 : value.length) + FRAMING_BYTES;
        return size <= maxRecordBytes;
    }

    /** The publisher's producer settings: idempotent, acks=all, lz4, 20 ms linger, 256 KiB batches. */
    public static Map<String, Object> producerConfig(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        return config;
    }

    /** Sends one data record (counted in {@link #acknowledged()}); raises an earlier send's failure. */
    public void send(String topic, String key, byte[] value, long timestamp) {
        send(topic, key, value, timestamp, true);
    }

    /** Sends a bookkeeping record (a run or a checkpoint), not counted as data. */
    public void sendControl(String topic, String key, byte[] value, long timestamp) {
        send(topic, key, value, timestamp, false);
    }

    private void send(String topic, String key, byte[] value, long timestamp, boolean data) {
        throwIfFailed();
        producer.send(new ProducerRecord<>(topic, null, timestamp, key, value), (metadata, exception) -> {
            if (exception != null) {
                failure.compareAndSet(null, exception);
            } else if (data) {
                acknowledged.incrementAndGet();
            }
        });
    }

    /** Waits until every record sent so far is acknowledged; raises the first failure. */
    public void flush() {
        producer.flush();
        throwIfFailed();
    }

    /** Data records acknowledged by the broker so far. */
    public long acknowledged() {
        return acknowledged.get();
    }

    private void throwIfFailed() {
        Exception exception = failure.get();
        if (exception instanceof TopicAuthorizationException denied) {
            throw new PublishException("Publishing failed: this principal may not WRITE to topic(s) " + denied.unauthorizedTopics()
                    + " (an ACL is missing: ./eventflow security provision grants the ingest principal WRITE on the raw, run "
                    + "and checkpoint topics)", exception);
        }
        if (exception != null) {
            throw new PublishException("Publishing failed after the producer's retries: " + exception, exception);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }

    /** A record the broker did not accept. */
    public static final class PublishException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
