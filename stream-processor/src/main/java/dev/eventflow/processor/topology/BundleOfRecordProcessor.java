package dev.eventflow.processor.topology;

import org.apache.kafka.common.header.Headers;
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
        QualityObservation observed = record.value().quality();
        String run = observed == null ? null : observed.ingestRun();
        Headers headers = record.headers();
        // A copy only when the header changes: none to add (the quality stage is off) and none to drop is the usual case.
        if (run != null || headers.lastHeader(INGEST_RUN_HEADER) != null) {
            headers = new RecordHeaders(headers.toArray());
            headers.remove(INGEST_RUN_HEADER);
            if (run != null) {
                headers.add(INGEST_RUN_HEADER, run.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        context.forward(new Record<>(bundle.eventId(), bundle, record.timestamp(), headers));
    }
}
