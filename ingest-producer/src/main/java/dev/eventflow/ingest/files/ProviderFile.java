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
 * It also finds what makes a file unreadable in part or in whole: NUL bytes (a binary file, which
 * no text file holds) and gzip data that ends before its end (a truncated download), whose complete
 * lines are still read.
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
    private final boolean binary;
    private final String truncated;
    private final boolean endsInsideALine;

    private ProviderFile(Path path, Kind kind, boolean gzip, boolean utf8, boolean bom, long lines, boolean binary,
                         String truncated, boolean endsInsideALine) {
        this.path = path;
        this.kind = kind;
        this.gzip = gzip;
        this.utf8 = utf8;
        this.bom = bom;
        this.lines = lines;
        this.binary = binary;
        this.truncated = truncated;
        this.endsInsideALine = endsInsideALine;
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
        boolean binary = false;
        long newlines = 0;
        boolean lastWasNewline = true;
        EndsEarly.Ends ends = new EndsEarly.Ends();
        try (InputStream in = raw(path, gzip, ends)) {
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
                    } else if (chunk[i] == 0) {
                        binary = true;
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
        return new ProviderFile(path, kind, gzip, valid, bom, newlines + (lastWasNewline ? 0 : 1), binary, ends.reason(),
                !lastWasNewline);
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

    /** Whether the file holds NUL bytes: binary (or UTF-16) data, not the text of a CSV or JSON-lines file. */
    public boolean binary() {
        return binary;
    }

    /** Why the file's data ends before its end (a truncated or corrupt .gz), or null when it does not. */
    public String truncated() {
        return truncated;
    }

    /**
     * The line the data stops inside when the file is {@link #truncated()} within a line, else 0: the record
     * ending there is incomplete, and is not published.
     */
    public long incompleteLine() {
        return truncated != null && endsInsideALine ? lines : 0;
    }

    /** The last line whose record is complete: what a checkpoint may cover. */
    public long completeLines() {
        return incompleteLine() > 0 ? lines - 1 : lines;
    }

    public String encoding() {
        return utf8 ? (bom ? "UTF-8 with BOM" : "UTF-8") : "windows-1252";
    }

    /** The decoded text, without a byte-order mark. */
    public java.io.Reader reader() throws IOException {
        InputStream in = raw(path, gzip, new EndsEarly.Ends());
        if (bom) {
            in.skipNBytes(3);
        }
        return new java.io.BufferedReader(new java.io.InputStreamReader(in,
                utf8 ? StandardCharsets.UTF_8 : WINDOWS_1252), 64 * 1024);
    }

    /**
     * The file's bytes, decompressed when it is gzip; gzip data that ends early (truncated) or breaks (corrupt) ends the
     * stream there, as if the file ended, with the reason kept in {@code ends}.
     */
    private static InputStream raw(Path path, boolean gzip, EndsEarly.Ends ends) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 64 * 1024);
        if (!gzip) {
            return in;
        }
        try {
            return new EndsEarly(new GZIPInputStream(in, 64 * 1024), ends);
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            ends.end(e);
            in.close();
            return InputStream.nullInputStream();
        }
    }

    /** A gzip stream that ends, instead of failing, where its data is cut short or breaks. */
    private static final class EndsEarly extends java.io.FilterInputStream {

        /** Why the data ended early, once it did. */
        static final class Ends {
            private String reason;

            void end(IOException e) {
                if (reason == null) {
                    reason = e instanceof java.io.EOFException ? "truncated gzip data (" + e.getMessage() + ")"
                            : "corrupt gzip data (" + e.getMessage() + ")";
                }
            }

            String reason() {
                return reason;
            }
        }

        private final Ends ends;

        EndsEarly(InputStream in, Ends ends) {
            super(in);
            this.ends = ends;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ends.reason() != null) {
                return -1;
            }
            try {
                return super.read(b, off, len);
            } catch (java.io.EOFException | java.util.zip.ZipException e) {
                ends.end(e);
                return -1;
            }
        }
    }
}
