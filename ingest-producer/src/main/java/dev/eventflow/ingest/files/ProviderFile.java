package dev.eventflow.ingest.files;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * A provider file on disk: plain or gzip-compressed ({@code .gz}), CSV or JSON lines. A first
 * streaming pass finds the encoding (UTF-8 when every byte sequence is valid UTF-8, else
 * Windows-1252) and counts the lines, so nothing is held in memory and progress can show an ETA.
 */
public final class ProviderFile {

    /** What a file that is not valid UTF-8 is read as: a superset of ISO-8859-1's printable characters. */
    public static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /** The kinds of file the producer reads. */
    public enum Kind { CSV, JSON_LINES }

    private final Path path;
    private final Kind kind;
    private final boolean gzip;
    private final boolean utf8;
    private final boolean bom;
    private final long lines;

    private ProviderFile(Path path, Kind kind, boolean gzip, boolean utf8, boolean bom, long lines) {
        this.path = path;
        this.kind = kind;
        this.gzip = gzip;
        this.utf8 = utf8;
        this.bom = bom;
        this.lines = lines;
    }

    /** Inspects a file; the kind comes from its name ({@code .csv}, {@code .jsonl}, {@code .ndjson}, {@code .json}, each optionally {@code .gz}). */
    public static ProviderFile open(Path path) throws IOException {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean gzip = name.endsWith(".gz");
        String base = gzip ? name.substring(0, name.length() - 3) : name;
        Kind kind;
        if (base.endsWith(".csv")) {
            kind = Kind.CSV;
        } else if (base.endsWith(".jsonl") || base.endsWith(".ndjson") || base.endsWith(".json")) {
            kind = Kind.JSON_LINES;
        } else {
            throw new IllegalArgumentException("Not a provider file (.csv, .jsonl, .ndjson or .json, optionally .gz): " + path);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        boolean valid = true;
        boolean bom = false;
        long newlines = 0;
        boolean lastWasNewline = true;
        try (InputStream in = raw(path, gzip)) {
            byte[] chunk = new byte[64 * 1024];
            ByteBuffer bytes = ByteBuffer.allocate(chunk.length + 8);
            CharBuffer chars = CharBuffer.allocate(chunk.length + 8);
            boolean first = true;
            int read;
            while ((read = in.read(chunk)) > 0) {
                int offset = 0;
                if (first && read >= 3 && (chunk[0] & 0xFF) == 0xEF && (chunk[1] & 0xFF) == 0xBB && (chunk[2] & 0xFF) == 0xBF) {
                    bom = true;
                    offset = 3;
                }
                first = false;
                for (int i = offset; i < read; i++) {
                    if (chunk[i] == '\n') {
                        newlines++;
                    }
                }
                lastWasNewline = chunk[read - 1] == '\n';
                if (valid) {
                    bytes.put(chunk, offset, read - offset).flip();
                    CoderResult result = decoder.decode(bytes, chars, false);
                    chars.clear();
                    if (result.isError()) {
                        valid = false;
                    }
                    bytes.compact();
                }
            }
            if (valid) {
                bytes.flip();
                valid = !decoder.decode(bytes, chars, true).isError() && !bytes.hasRemaining();
            }
        }
        return new ProviderFile(path, kind, gzip, valid, bom, newlines + (lastWasNewline ? 0 : 1));
    }

    public Path path() {
        return path;
    }

    public Kind kind() {
        return kind;
    }

    /** Lines in the file (a last line without a newline counts). */
    public long lines() {
        return lines;
    }

    public String encoding() {
        return utf8 ? (bom ? "UTF-8 with BOM" : "UTF-8") : "windows-1252";
    }

    /** The decoded text, without a byte-order mark. */
    public java.io.Reader reader() throws IOException {
        InputStream in = raw(path, gzip);
        if (bom) {
            in.skipNBytes(3);
        }
        return new java.io.BufferedReader(new java.io.InputStreamReader(in,
                utf8 ? StandardCharsets.UTF_8 : WINDOWS_1252), 64 * 1024);
    }

    private static InputStream raw(Path path, boolean gzip) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 64 * 1024);
        return gzip ? new GZIPInputStream(in, 64 * 1024) : in;
    }
}
