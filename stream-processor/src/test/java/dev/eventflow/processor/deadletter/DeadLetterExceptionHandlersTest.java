package dev.eventflow.processor.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.model.DeadLetter;
import dev.eventflow.processor.ProcessorMetrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class DeadLetterExceptionHandlersTest {

    static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);
    static final byte[] VALUE = "{\"eventId\":\"e\"}".getBytes(StandardCharsets.UTF_8);
    final ProcessorMetrics metrics = ProcessorMetrics.inMemory();
    final Map<String, Object> configs = Map.of("errors.dead.letter.queue.topic.name", "eventflow.dlq", "eventflow.metrics", metrics);

    static ErrorHandlerContext context() {
        return new ErrorHandlerContext() {
            @Override public String topic() { return "app-event-bundles-by-event-id-repartition"; }
            @Override public int partition() { return 3; }
            @Override public long offset() { return 42; }
            @Override public Headers headers() { return new RecordHeaders(); }
            @Override public String processorNodeId() { return "event-state-processor"; }
            @Override public TaskId taskId() { return new TaskId(2, 3); }
            @Override public long timestamp() { return 1_000L; }
            @Override public byte[] sourceRawKey() { return KEY; }
            @Override public byte[] sourceRawValue() { return VALUE; }
        };
    }

    @Test
    void shouldSendTheSourceRecordOfAFailedProcessorToTheDeadLetterTopicAndResume() {
        DeadLetterProcessingExceptionHandler handler = new DeadLetterProcessingExceptionHandler();
        handler.configure(configs);

        ProcessingExceptionHandler.Response response = handler.handleError(context(), new Record<>("k", "v", 1_000L),
                new IllegalStateException("boom\nsecond line"));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        List<ProducerRecord<byte[], byte[]>> records = response.deadLetterQueueRecords();
        assertThat(records).hasSize(1);
        assertThat(records.get(0).topic()).isEqualTo("eventflow.dlq");
        assertThat(records.get(0).key()).isEqualTo(KEY);
        assertThat(records.get(0).value()).isEqualTo(VALUE);
        DeadLetter letter = DeadLetter.readFrom(records.get(0).headers());
        assertThat(letter).extracting(DeadLetter::reason, DeadLetter::stage, DeadLetter::sourceTopic, DeadLetter::sourcePartition,
                DeadLetter::sourceOffset).containsExactly("IllegalStateException: boom", "process",
                "app-event-bundles-by-event-id-repartition", 3, 42L);
        assertThat(metrics.count("eventflow.dead.letters", "stage", "process", "reason", "IllegalStateException")).isEqualTo(1);
    }

    @Test
    void shouldSendAnUndeserializableRecordToTheDeadLetterTopicAndResume() {
        DeadLetterDeserializationExceptionHandler handler = new DeadLetterDeserializationExceptionHandler();
        handler.configure(configs);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("app-entities-by-id-repartition", 1, 7L, KEY, VALUE);

        var response = handler.handleError(context(), record, new SerializationException("Malformed Entity JSON"));

        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(dead -> {
            assertThat(dead.value()).isEqualTo(VALUE);
            assertThat(DeadLetter.readFrom(dead.headers())).extracting(DeadLetter::stage, DeadLetter::reason)
                    .containsExactly("deserialize", "SerializationException: Malformed Entity JSON");
        });
    }
}
