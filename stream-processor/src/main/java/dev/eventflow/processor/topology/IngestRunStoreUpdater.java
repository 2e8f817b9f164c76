package dev.eventflow.processor.topology;

import dev.eventflow.model.IngestRun;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global store of ingest runs from {@code ingest.runs} (run id to its latest state), which the quality stage
 * asks whether a run is scored and when its score is complete. A run the store does not have (its record was not a
 * run, or had no key) is scored as an unknown run, never closed.
 */
final class IngestRunStoreUpdater extends JsonGlobalStoreUpdater<IngestRun, IngestRun> {

    private static final Logger LOG = LoggerFactory.getLogger(IngestRunStoreUpdater.class);

    IngestRunStoreUpdater(String storeName) {
        super(storeName, IngestRun.class, "an ingest run");
    }

    @Override
    void update(KeyValueStore<String, IngestRun> store, String key, IngestRun run) {
        if (key == null) {
            LOG.warn("Left out an ingest run without a key ({}): run {}", where(), run.runId());
            return;
        }
        store.put(key, run);
    }
}
