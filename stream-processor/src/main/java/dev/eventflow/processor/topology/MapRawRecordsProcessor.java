package dev.eventflow.processor.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Maps every raw record with {@link RawRecordMapper} and forwards what it yields. */
final class MapRawRecordsProcessor implements Processor<byte[], byte[], String, Routed> {

    private final RawRecordMapper mapper;
    private ProcessorContext<String, Routed> context;

    MapRawRecordsProcessor(RawRecordMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RawRecordMapper.Source source = context.recordMetadata()
                .map(MapRawRecordsProcessor::source)
                .orElse(new RawRecordMapper.Source("unknown", -1, -1));
        for (RawRecordMapper.Output output : mapper.map(record.key(), record.value(), source)) {
            context.forward(record.withKey(output.key()).withValue(output.value()));
        }
    }

    private static RawRecordMapper.Source source(RecordMetadata metadata) {
        return new RawRecordMapper.Source(metadata.topic(), metadata.partition(), metadata.offset());
    }
}
