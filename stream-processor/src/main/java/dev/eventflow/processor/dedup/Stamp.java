package dev.eventflow.processor.dedup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the deduplicating stores remember of a key: the fingerprint of its current content and the
 * newest source time (epoch milliseconds) that content was seen with.
 */
public record Stamp(String fingerprint, long version) {

    /** Compact binary serde: 8 bytes of version, then the fingerprint in UTF-8. */
    public static Serde<Stamp> serde() {
        Serializer<Stamp> serializer = (topic, stamp) -> {
            if (stamp == null) {
                return null;
            }
            byte[] fingerprint = stamp.fingerprint().getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(Long.BYTES + fingerprint.length).putLong(stamp.version()).put(fingerprint).array();
        };
        Deserializer<Stamp> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length < Long.BYTES) {
                throw new SerializationException("A stamp needs at least 8 bytes, got " + bytes.length);
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long version = buffer.getLong();
            return new Stamp(new String(bytes, Long.BYTES, bytes.length - Long.BYTES, StandardCharsets.UTF_8), version);
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
