package dev.eventflow.processor.topology;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Sends a raw record's event bundle on, keyed by event id, with the ingest run that published the record in header
 * {@link #INGEST_RUN_HEADER} (when the quality stage observed it): {@code event-state} scores the record's events and
 * quotes in that run too. Headers cross the repartition topic, so the bundle's format is unchanged.
 */
final class BundleOfRecordProcessor implements Processor<byte[], MappedRaw, String, EventBundle> {

    /** Header of a bundle: the id of the ingest run that published its raw record (UTF-8). */
    static final String INGEST_RUN_HEADER = "eventflow.ingest-run";

    private ProcessorContext<String, EventBundle> context;

    @Override
    public void init(ProcessorContext<String, EventBundle> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], MappedRaw> record) {
        EventBundle bundle = record.value().bundle();
        if (bundle == null) {
            return;
        }
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.remove(INGEST_RUN_HEADER);
        QualityObservation observed = record.value().quality();
        if (observed != null && observed.ingestRun() != null) {
            headers.add(INGEST_RUN_HEADER, observed.ingestRun().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        context.forward(new Record<>(bundle.eventId(), bundle, record.timestamp(), headers));
    }
}
