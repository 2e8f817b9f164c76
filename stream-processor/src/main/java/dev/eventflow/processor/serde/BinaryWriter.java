package dev.eventflow.processor.serde;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Writes the compact binary format of the topology's internal topics and stores: variable-length
 * integers, length-prefixed UTF-8 strings, nullable values behind a presence flag. Internal only:
 * the clean topics stay the plain-JSON contract of docs/topics.md.
 */
public final class BinaryWriter {

    private byte[] buffer;
    private int size;

    public BinaryWriter(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    public BinaryWriter writeByte(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    public BinaryWriter writeBoolean(boolean value) {
        return writeByte(value ? 1 : 0);
    }

    /** An unsigned variable-length int (7 bits per byte). */
    public BinaryWriter writeVarInt(int value) {
        ensure(5);
        int v = value;
        while ((v & ~0x7F) != 0) {
            buffer[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[size++] = (byte) v;
        return this;
    }

    /** A signed variable-length long (zig-zag, 7 bits per byte). */
    public BinaryWriter writeVarLong(long value) {
        ensure(10);
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            buffer[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[size++] = (byte) v;
        return this;
    }

    public BinaryWriter writeLong(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    /** A non-null string. */
    public BinaryWriter writeString(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeVarInt(bytes.length);
        return writeBytes(bytes);
    }

    public BinaryWriter writeNullableString(String value) {
        writeBoolean(value != null);
        return value == null ? this : writeString(value);
    }

    public BinaryWriter writeBytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
        return this;
    }

    public BinaryWriter writeNullableBytes(byte[] bytes) {
        writeBoolean(bytes != null);
        if (bytes != null) {
            writeVarInt(bytes.length);
            writeBytes(bytes);
        }
        return this;
    }

    /** Epoch seconds and nanoseconds: exact. */
    public BinaryWriter writeInstant(Instant value) {
        writeVarLong(value.getEpochSecond());
        return writeVarInt(value.getNano());
    }

    public BinaryWriter writeNullableInstant(Instant value) {
        writeBoolean(value != null);
        return value == null ? this : writeInstant(value);
    }

    public BinaryWriter writeNullableInt(Integer value) {
        writeBoolean(value != null);
        return value == null ? this : writeVarLong(value);
    }

    /** A decimal as its scale and unscaled value: exact, as {@link BigDecimal#equals} sees it. */
    public BinaryWriter writeDecimal(BigDecimal value) {
        writeVarLong(value.scale());
        BigInteger unscaled = value.unscaledValue();
        if (unscaled.bitLength() < 63) {
            writeByte(0);
            return writeVarLong(unscaled.longValueExact());
        }
        writeByte(1);
        byte[] bytes = unscaled.toByteArray();
        writeVarInt(bytes.length);
        return writeBytes(bytes);
    }

    public BinaryWriter writeNullableDecimal(BigDecimal value) {
        writeBoolean(value != null);
        return value == null ? this : writeDecimal(value);
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
