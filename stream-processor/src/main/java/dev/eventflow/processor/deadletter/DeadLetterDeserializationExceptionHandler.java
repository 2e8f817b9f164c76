package dev.eventflow.processor.deadletter;

import dev.eventflow.model.DeadLetter;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record Kafka Streams cannot deserialize goes to the dead-letter topic with stage
 * {@code deserialize}, its bytes untouched, and processing continues. (Raw topics are read as
 * bytes and parsed by the topology, so this catches corrupt internal records.)
 */
public final class DeadLetterDeserializationExceptionHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationExceptionHandler.class);
    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.fromConfig(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        LOG.error("Cannot deserialize {}/{}/{}; the record goes to the dead-letter topic", record.topic(), record.partition(),
                record.offset(), exception);
        return Response.resume(List.of(deadLetters.record(context, record.key(), record.value(),
                DeadLetter.STAGE_DESERIALIZE, exception)));
    }
}
