package dev.eventflow.reliability;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Raw records the ingest producer wrote twice, and the dead letters read as if it had not.
 *
 * <p>The producer is idempotent, but only within one producer epoch: when a broker goes away with batches in
 * flight, the Java client may bump its epoch and send those batches again under new sequence numbers, and a
 * batch the broker had already written is then written a second time (an exact copy: same key, value and
 * timestamp, later on the same partition). The processor drops the copies as duplicates, so
 * the rows are the same; but every raw record after a copy sits one offset further on, and a dead letter names
 * its raw record by topic, partition and offset. Each compared dead letter is therefore read at the offset its
 * raw record would have without the copies, and a copy's own dead letter (a copy of a malformed record is
 * refused again) must be equal to its original's and is then left out.
 *
 * <p>A copy is told from a record the input sends twice on purpose by the envelope: the input's records carry
 * the time the producer received them, to the microsecond, so two sends never make the same bytes.
 */
final class RawCopies {

    /** Per {@code topic/partition} (the run's suffix removed): offset of a copy, offset of its original. */
    private final Map<String, NavigableMap<Long, Long>> copies;

    RawCopies(Map<String, NavigableMap<Long, Long>> copies) {
        this.copies = copies;
    }

    /** Reads the run's raw topics ({@code <name>-<run>}) and finds the exact copies. */
    static RawCopies find(Map<String, Object> clientConfig, List<String> rawTopics, String run) {
        Map<String, NavigableMap<Long, Long>> copies = new TreeMap<>();
        for (String topic : rawTopics) {
            Map<Integer, Map<ByteBuffer, Long>> firsts = new HashMap<>();
            TopicScan.read(clientConfig, topic, record -> {
                Long first = firsts.computeIfAbsent(record.partition(), p -> new HashMap<>())
                        .putIfAbsent(CleanTopics.digest(record.key(), record.value(), record.timestamp()), record.offset());
                if (first != null) {
                    copies.computeIfAbsent(topic.replace("-" + run, "") + "/" + record.partition(), p -> new TreeMap<>())
                            .put(record.offset(), first);
                }
            });
        }
        return new RawCopies(copies);
    }

    long count() {
        return copies.values().stream().mapToLong(Map::size).sum();
    }

    /** Where the copies are, as {@code topic/partition: offset (copy of offset), ...}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        copies.forEach((partition, offsets) -> {
            List<String> each = new ArrayList<>();
            offsets.forEach((copy, original) -> each.add(String.format(Locale.ROOT, "%d (copy of %d)", copy, original)));
            parts.add(partition + ": " + String.join(", ", each));
        });
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }

    /**
     * The snapshot with its dead letters read as if the producer had written every raw record once: source
     * offsets of the raw topics moved back past the copies before them, and the copies' own dead letters left
     * out. Fails when a copy's dead letter differs from its original's.
     */
    Tables.Snapshot withoutCopies(Tables.Snapshot snapshot) {
        Tables.Table quarantine = snapshot.tables().get("quarantine");
        int topic = quarantine.columns().indexOf("source_topic");
        int partition = quarantine.columns().indexOf("source_partition");
        int offset = quarantine.columns().indexOf("source_offset");
        List<List<String>> kept = new ArrayList<>();
        List<List<String>> ofCopies = new ArrayList<>();
        for (List<String> row : quarantine.rows()) {
            NavigableMap<Long, Long> here = copies.get(row.get(topic) + "/" + row.get(partition));
            long at = Long.parseLong(row.get(offset));
            Long original = here == null ? null : here.get(at);
            // A copy's dead letter is read at its original's place.
            long place = original != null ? original : at;
            List<String> moved = new ArrayList<>(row);
            moved.set(offset, Long.toString(here == null ? place : place - here.headMap(place, false).size()));
            (original != null ? ofCopies : kept).add(moved);
        }
        for (List<String> row : ofCopies) {
            if (!kept.contains(row)) {
                throw new AssertionError("The dead letter of a raw record the producer wrote twice differs from its original's: " + row
                        + " (copies: " + this + ")");
            }
        }
        Map<String, Tables.Table> tables = new LinkedHashMap<>(snapshot.tables());
        tables.put("quarantine", new Tables.Table("quarantine", quarantine.columns(), kept));
        return new Tables.Snapshot(snapshot.run(), tables);
    }
}
