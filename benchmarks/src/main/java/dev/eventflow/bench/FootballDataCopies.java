package dev.eventflow.bench;

import dev.eventflow.ingest.files.ProviderFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The real-format data set: football-data.co.uk files copied N times, each copy a competition of its
 * own. Only the value of the {@code Div} column changes ({@code E0} becomes {@code E0_C0001} in copy 1);
 * every other byte of the file is kept: its encoding (the new value is written in the file's own
 * charset), ragged and blank rows, quoting and line endings.
 */
final class FootballDataCopies {

    private static final String DIVISION = "Div";

    /**
     * The copies written.
     *
     * @param files        the copies, copy by copy, in the order of the sources
     * @param rowsPerCopy  data rows (rows with a {@code Div} value) of one copy of every source
     * @param copies       copies of each source
     * @param competitions every competition code of the copies ({@code Div} value and suffix)
     */
    record DataSet(List<Path> files, long rowsPerCopy, int copies, Set<String> competitions) {

        long rows() {
            return rowsPerCopy * copies;
        }
    }

    /** One file rewritten: its bytes, its data rows, and the {@code Div} values it had (stripped). */
    record Rewritten(byte[] bytes, long rows, Set<String> divisions) {
    }

    private FootballDataCopies() {
    }

    /** Copies of {@code sources} into {@code dir}, as few as make at least {@code minRows} data rows (at least one copy). */
    static DataSet write(List<Path> sources, long minRows, Path dir) throws IOException {
        List<byte[]> contents = new ArrayList<>();
        List<Charset> charsets = new ArrayList<>();
        long rowsPerCopy = 0;
        for (Path source : sources) {
            byte[] bytes = Files.readAllBytes(source);
            Charset charset = charsetOf(source);
            contents.add(bytes);
            charsets.add(charset);
            rowsPerCopy += rewrite(bytes, charset, "").rows();
        }
        int copies = copiesFor(minRows, rowsPerCopy);
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        Set<String> competitions = new TreeSet<>();
        for (int copy = 1; copy <= copies; copy++) {
            for (int i = 0; i < sources.size(); i++) {
                String suffix = suffix(copy);
                Rewritten rewritten = rewrite(contents.get(i), charsets.get(i), suffix);
                rewritten.divisions().forEach(division -> competitions.add(division + suffix));
                Path file = dir.resolve(copyName(sources.get(i).getFileName().toString(), suffix));
                Files.write(file, rewritten.bytes());
                files.add(file);
            }
        }
        return new DataSet(List.copyOf(files), rowsPerCopy, copies, competitions);
    }

    /** The fewest copies of {@code rowsPerCopy} rows that hold at least {@code minRows} (at least one). */
    static int copiesFor(long minRows, long rowsPerCopy) {
        if (rowsPerCopy <= 0) {
            throw new IllegalArgumentException("The source files hold no data rows");
        }
        return (int) Math.max(1, (minRows + rowsPerCopy - 1) / rowsPerCopy);
    }

    /** What copy {@code copy} (from 1) appends to each {@code Div} value: {@code _C0001}. */
    static String suffix(int copy) {
        return String.format(Locale.ROOT, "_C%04d", copy);
    }

    /** {@code E0_2019-20.csv} becomes {@code E0_2019-20_C0001.csv}: the extension stays, so readers see the same kind of file. */
    static String copyName(String sourceName, String suffix) {
        int dot = sourceName.toLowerCase(Locale.ROOT).endsWith(".csv.gz") ? sourceName.length() - 7 : sourceName.lastIndexOf('.');
        return dot < 0 ? sourceName + suffix : sourceName.substring(0, dot) + suffix + sourceName.substring(dot);
    }

    /** The charset the ingest producer reads the file with: UTF-8 when it is valid UTF-8, else windows-1252. */
    static Charset charsetOf(Path file) throws IOException {
        return ProviderFile.open(file).encoding().startsWith("UTF-8") ? StandardCharsets.UTF_8 : ProviderFile.WINDOWS_1252;
    }

    /**
     * The file with {@code suffix} appended to every non-blank {@code Div} value (inside its quotes
     * when quoted, before trailing blanks); every other byte as it was. A UTF-8 byte-order mark, the
     * header, blank rows, rows without a {@code Div} value and the line endings are copied untouched.
     */
    static Rewritten rewrite(byte[] csv, Charset charset, String suffix) {
        int start = hasBom(csv) ? 3 : 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream(csv.length + csv.length / 20);
        int copiedUpTo = 0;
        int divIndex = -1;
        boolean header = true;
        long rows = 0;
        Set<String> divisions = new TreeSet<>();
        int pos = start;
        while (pos < csv.length) {
            int field = 0;
            while (true) {
                int end = fieldEnd(csv, pos);
                boolean lastOfRecord = end >= csv.length || csv[end] == '\n';
                int contentEnd = lastOfRecord && end > pos && csv[end - 1] == '\r' ? end - 1 : end;
                String text = new String(csv, pos, contentEnd - pos, charset);
                if (header && text.strip().equals(DIVISION) && divIndex < 0) {
                    divIndex = field;
                } else if (!header && field == divIndex && !text.isBlank()) {
                    out.write(csv, copiedUpTo, pos - copiedUpTo);
                    out.writeBytes(withSuffix(text, suffix).getBytes(charset));
                    copiedUpTo = contentEnd;
                    divisions.add(unquoted(text).strip());
                    rows++;
                }
                pos = end + 1;
                field++;
                if (lastOfRecord) {
                    break;
                }
            }
            if (header && divIndex < 0) {
                throw new IllegalArgumentException("No " + DIVISION + " column in the header");
            }
            header = false;
        }
        out.write(csv, copiedUpTo, csv.length - copiedUpTo);
        return new Rewritten(out.toByteArray(), rows, divisions);
    }

    /** Index of the comma or line feed that ends the field starting at {@code from} (or the length); quotes may hold both. */
    private static int fieldEnd(byte[] csv, int from) {
        boolean quoted = false;
        for (int i = from; i < csv.length; i++) {
            byte b = csv[i];
            if (b == '"') {
                quoted = !quoted;
            } else if (!quoted && (b == ',' || b == '\n')) {
                return i;
            }
        }
        return csv.length;
    }

    private static String withSuffix(String value, String suffix) {
        int end = value.length();
        while (end > 0 && Character.isWhitespace(value.charAt(end - 1))) {
            end--;
        }
        if (end >= 2 && value.charAt(end - 1) == '"' && value.stripLeading().startsWith("\"")) {
            end--;
        }
        return value.substring(0, end) + suffix + value.substring(end);
    }

    private static String unquoted(String value) {
        String text = value.strip();
        return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
                ? text.substring(1, text.length() - 1).replace("\"\"", "\"") : text;
    }

    private static boolean hasBom(byte[] csv) {
        return csv.length >= 3 && (csv[0] & 0xFF) == 0xEF && (csv[1] & 0xFF) == 0xBB && (csv[2] & 0xFF) == 0xBF;
    }
}
