package dev.eventflow.reliability;

import dev.eventflow.model.topics.TopicDefinition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads clean topics from the beginning as a downstream consumer does ({@link TopicScan}) and looks for a
 * version of a row written twice: the same key, value bytes and timestamp a second time. A clean record's
 * timestamp is that of the raw record it came from, and the input's distinct raw records have distinct data
 * times (exact copies are dropped as duplicates), so a repeat is one raw record's output committed twice: a
 * record processed again after a crash without its first output being aborted, what exactly-once must prevent.
 * (The same key and value alone may legitimately come back: an enriched row whose join result a late quote
 * changed and a later late quote changed back, each from a raw record of its own.)
 */
final class CleanTopics {

    /** Per topic: records read, and up to a few of the versions read more than once. */
    record Report(Map<String, Long> records, Map<String, Long> repeated, List<String> examples) {

        long totalRepeated() {
            return repeated.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private CleanTopics() {
    }

    static Report read(Map<String, Object> clientConfig, List<TopicDefinition<?, ?>> topics) {
        Map<String, Long> records = new LinkedHashMap<>();
        Map<String, Long> repeated = new LinkedHashMap<>();
        List<String> examples = new ArrayList<>();
        for (TopicDefinition<?, ?> topic : topics) {
            Set<ByteBuffer> seen = new HashSet<>();
            long[] counts = new long[2];
            TopicScan.read(clientConfig, topic.name(), record -> {
                counts[0]++;
                if (!seen.add(digest(record.key(), record.value(), record.timestamp()))) {
                    counts[1]++;
                    if (examples.size() < 5) {
                        examples.add(topic.name() + " partition " + record.partition() + " offset " + record.offset()
                                + " timestamp " + Instant.ofEpochMilli(record.timestamp()) + ": " + text(record.key()) + " = "
                                + text(record.value()));
                    }
                }
            });
            records.put(topic.name(), counts[0]);
            repeated.put(topic.name(), counts[1]);
        }
        return new Report(records, repeated, examples);
    }

    /** SHA-256 of timestamp, key and value (a null value, a tombstone, differs from every value). */
    static ByteBuffer digest(byte[] key, byte[] value, long timestamp) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ByteBuffer.allocate(Long.BYTES).putLong(timestamp).array());
            sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(key == null ? -1 : key.length).array());
            sha.update(key == null ? new byte[0] : key);
            if (value == null) {
                sha.update((byte) 1);
            } else {
                sha.update((byte) 2);
                sha.update(value);
            }
            return ByteBuffer.wrap(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}
