package dev.eventflow.processor.topology;

import dev.eventflow.processor.deadletter.DeadLetterBounds;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns a refused record back into its original bytes, with the reason and coordinates in headers; a value too large
 * to send with them is cut ({@link DeadLetterBounds}).
 */
final class DeadLetterWriter implements Processor<byte[], MappedRaw.Refused, byte[], byte[]> {

    private final int maxBytes;
    private ProcessorContext<byte[], byte[]> context;

    DeadLetterWriter(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], MappedRaw.Refused> record) {
        MappedRaw.Refused refused = record.value();
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        byte[] value = DeadLetterBounds.bound(refused.key(), refused.value(), refused.deadLetter(), headers, maxBytes);
        context.forward(new Record<>(refused.key(), value, record.timestamp(), headers));
    }
}
