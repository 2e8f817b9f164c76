package dev.eventflow.processor.deadletter;

import dev.eventflow.model.DeadLetter;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An unexpected exception inside a processor (a bug, not bad data: bad data is dead-lettered by the
 * topology itself) sends the source record's original bytes to the dead-letter topic with stage
 * {@code process}, and processing continues. Logs coordinates, never payloads.
 */
public final class DeadLetterProcessingExceptionHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingExceptionHandler.class);
    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.fromConfig(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        LOG.error("Processor {} failed on {}/{}/{}; the record goes to the dead-letter topic", context.processorNodeId(),
                context.topic(), context.partition(), context.offset(), exception);
        return Response.resume(List.of(deadLetters.record(context, context.sourceRawKey(), context.sourceRawValue(),
                DeadLetter.STAGE_PROCESS, exception)));
    }
}
