package dev.eventflow.processor.topology;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Turns a refused record back into its original bytes, with the reason and coordinates in headers. */
final class DeadLetterWriter implements Processor<byte[], MappedRaw.Refused, byte[], byte[]> {

    private ProcessorContext<byte[], byte[]> context;

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], MappedRaw.Refused> record) {
        MappedRaw.Refused refused = record.value();
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        refused.deadLetter().writeTo(headers);
        context.forward(new Record<>(refused.key(), refused.value(), record.timestamp(), headers));
    }
}
