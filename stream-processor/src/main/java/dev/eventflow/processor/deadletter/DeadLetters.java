package dev.eventflow.processor.deadletter;

import dev.eventflow.model.DeadLetter;
import dev.eventflow.processor.ProcessorMetrics;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/** Builds dead-letter records for failures that reach Kafka Streams' exception handlers. */
final class DeadLetters {

    /** Config key under which the application passes its {@link ProcessorMetrics} to the handlers. */
    static final String METRICS_CONFIG = "eventflow.metrics";

    private final String topic;
    private final ProcessorMetrics metrics;
    private final Clock clock;

    private final int maxBytes;

    private DeadLetters(String topic, ProcessorMetrics metrics, Clock clock, int maxBytes) {
        this.topic = topic;
        this.metrics = metrics;
        this.clock = clock;
        this.maxBytes = maxBytes;
    }

    static DeadLetters fromConfig(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new IllegalStateException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG + " is not set");
        }
        Object metrics = configs.get(METRICS_CONFIG);
        return new DeadLetters(topic.toString(),
                metrics instanceof ProcessorMetrics m ? m : ProcessorMetrics.inMemory(), Clock.systemUTC(),
                DeadLetterBounds.maxBytes(configs));
    }

    ProducerRecord<byte[], byte[]> record(ErrorHandlerContext context, byte[] key, byte[] value, String stage,
                                          Exception exception) {
        String reason = exception.getClass().getSimpleName() + ": " + firstLine(exception.getMessage());
        metrics.deadLetter(stage, exception.getClass().getSimpleName());
        DeadLetter letter = new DeadLetter(reason, stage, null, context.topic(), context.partition(), context.offset(),
                clock.instant());
        RecordHeaders headers = new RecordHeaders(context.headers() == null ? new org.apache.kafka.common.header.Header[0]
                : context.headers().toArray());
        byte[] bounded = DeadLetterBounds.bound(key, value, letter, headers, maxBytes);
        return new ProducerRecord<>(topic, null, context.timestamp() < 0 ? null : context.timestamp(), key, bounded, headers);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
