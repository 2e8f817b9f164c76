package dev.eventflow.processor.serde;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;

/** Reads what {@link BinaryWriter} wrote; any malformed input is a {@link SerializationException}. */
public final class BinaryReader {

    private final byte[] bytes;
    private int position;

    public BinaryReader(byte[] bytes) {
        this.bytes = bytes;
    }

    public boolean atEnd() {
        return position == bytes.length;
    }

    public int readByte() {
        require(1);
        return bytes[position++];
    }

    public boolean readBoolean() {
        int value = readByte();
        if (value != 0 && value != 1) {
            throw new SerializationException("Expected a boolean at byte " + (position - 1) + ", got " + value);
        }
        return value == 1;
    }

    public int readVarInt() {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = readByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new SerializationException("Malformed variable-length int before byte " + position);
    }

    public long readVarLong() {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = readByte();
            raw |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new SerializationException("Malformed variable-length long before byte " + position);
    }

    public long readLong() {
        require(8);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[position++] & 0xFF);
        }
        return value;
    }

    public String readString() {
        int length = length();
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    public String readNullableString() {
        return readBoolean() ? readString() : null;
    }

    public byte[] readNullableBytes() {
        if (!readBoolean()) {
            return null;
        }
        int length = length();
        byte[] value = java.util.Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return value;
    }

    public Instant readInstant() {
        long seconds = readVarLong();
        return Instant.ofEpochSecond(seconds, readVarInt());
    }

    public Instant readNullableInstant() {
        return readBoolean() ? readInstant() : null;
    }

    public Integer readNullableInt() {
        return readBoolean() ? Math.toIntExact(readVarLong()) : null;
    }

    public BigDecimal readDecimal() {
        int scale = Math.toIntExact(readVarLong());
        int kind = readByte();
        if (kind == 0) {
            return BigDecimal.valueOf(readVarLong(), scale);
        }
        int length = length();
        BigInteger unscaled = new BigInteger(bytes, position, length);
        position += length;
        return new BigDecimal(unscaled, scale);
    }

    public BigDecimal readNullableDecimal() {
        return readBoolean() ? readDecimal() : null;
    }

    private int length() {
        int length = readVarInt();
        if (length < 0) {
            throw new SerializationException("Negative length " + length + " before byte " + position);
        }
        require(length);
        return length;
    }

    private void require(int count) {
        if (position + count > bytes.length) {
            throw new SerializationException("Truncated value: needs " + count + " more byte(s) at byte " + position
                    + " of " + bytes.length);
        }
    }
}
