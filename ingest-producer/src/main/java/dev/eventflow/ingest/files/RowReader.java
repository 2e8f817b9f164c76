package dev.eventflow.ingest.files;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.eventflow.ingest.Hashes;
import dev.eventflow.model.serde.Json;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads the records of a {@link ProviderFile} one at a time. CSV: the first row is the header;
 * quoted fields may hold commas, quotes and line breaks (Jackson's CSV parser); blank and comma-only
 * rows are skipped and counted; a row wider or narrower than the header keeps the named columns and
 * is counted as an anomaly; columns with an empty header name are left out (counted). JSON lines:
 * blank lines are skipped and counted; a line that is not valid JSON is published as a JSON string
 * (counted as an anomaly) so the processor dead-letters it with its reason. In a truncated gzip file
 * the record the data stops inside is not returned: it is skipped and counted ({@link #INCOMPLETE}).
 */
public final class RowReader implements Iterator<SourceRow>, Closeable {

    /** Why the record a truncated gzip file ends inside is not published. */
    public static final String INCOMPLETE = "truncated file: the gzip data ends inside this record";

    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    private final ProviderFile file;
    private final ReadReport report;
    private final Reader reader;
    private final MappingIterator<String[]> csvRows;
    private final BufferedReader jsonLines;
    private List<String> header;
    private long line;
    private SourceRow next;
    private boolean done;

    private RowReader(ProviderFile file, ReadReport report) throws IOException {
        this.file = file;
        this.report = report;
        this.reader = file.reader();
        if (file.kind() == ProviderFile.Kind.CSV) {
            this.csvRows = CSV.readerFor(String[].class).readValues(reader);
            this.jsonLines = null;
        } else {
            this.csvRows = null;
            this.jsonLines = reader instanceof BufferedReader buffered ? buffered : new BufferedReader(reader);
        }
    }

    public static RowReader open(ProviderFile file, ReadReport report) throws IOException {
        return new RowReader(file, report);
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            next = file.kind() == ProviderFile.Kind.CSV ? nextCsv() : nextJsonLine();
        }
        return next != null;
    }

    @Override
    public SourceRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        SourceRow row = next;
        next = null;
        return row;
    }

    private SourceRow nextCsv() {
        try {
            while (csvRows.hasNextValue()) {
                String[] fields = csvRows.nextValue();
                line = csvRows.getCurrentLocation().getLineNr() - (endsAtLineStart() ? 1 : 0);
                if (file.incompleteLine() > 0 && line >= file.incompleteLine()) {
                    return incomplete(header != null);
                }
                if (header == null) {
                    header = readHeader(fields);
                    continue;
                }
                if (isBlank(fields)) {
                    report.skipped("blank row");
                    continue;
                }
                if (fields.length > header.size()) {
                    report.anomaly("row wider than header");
                } else if (fields.length < header.size()) {
                    report.anomaly("row narrower than header");
                }
                ObjectNode payload = JsonNodeFactory.instance.objectNode();
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < Math.min(header.size(), fields.length); i++) {
                    if (header.get(i) != null) {
                        payload.put(header.get(i), fields[i]);
                    }
                }
                for (String field : fields) {
                    text.append(field).append('\u001f');
                }
                return new SourceRow(line, payload, Hashes.sha256(text.toString()));
            }
            return null;
        } catch (IOException e) {
            if (file.truncated() != null) {
                // The data stops inside a quoted field: that row is the incomplete one.
                return incomplete(header != null);
            }
            throw new UncheckedIOException("Cannot read " + file.path() + " after line " + line + ": " + e.getMessage(), e);
        }
    }

    /** The record the data of a truncated file stops inside: skipped and counted, and the last one. */
    private SourceRow incomplete(boolean isRecord) {
        if (isRecord) {
            report.skipped(INCOMPLETE);
        }
        done = true;
        return null;
    }

    /** Jackson reports the location after the row's line break, on the next line: the row itself ended one line earlier. */
    private boolean endsAtLineStart() {
        return csvRows.getCurrentLocation().getColumnNr() <= 1;
    }

    private List<String> readHeader(String[] fields) {
        List<String> names = new ArrayList<>(fields.length);
        for (String field : fields) {
            String name = field.strip();
            if (name.isEmpty()) {
                report.anomaly("empty header name (column left out)");
                names.add(null);
            } else if (names.contains(name)) {
                report.anomaly("duplicate header name " + name + " (later column left out)");
                names.add(null);
            } else {
                names.add(name);
            }
        }
        return names;
    }

    private SourceRow nextJsonLine() {
        try {
            String text;
            while ((text = jsonLines.readLine()) != null) {
                line++;
                if (file.incompleteLine() > 0 && line >= file.incompleteLine()) {
                    return incomplete(true);
                }
                if (text.isBlank()) {
                    report.skipped("blank line");
                    continue;
                }
                JsonNode payload;
                try (JsonParser parser = Json.mapper().createParser(text)) {
                    payload = Json.mapper().readTree(parser);
                    if (parser.nextToken() != null) {
                        throw new IOException("trailing text after the JSON value");
                    }
                } catch (IOException e) {
                    report.anomaly("line is not valid JSON");
                    payload = TextNode.valueOf(text);
                }
                return new SourceRow(line, payload, Hashes.sha256(text));
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file.path() + " after line " + line + ": " + e.getMessage(), e);
        }
    }

    private static boolean isBlank(String[] fields) {
        for (String field : fields) {
            if (!field.isBlank()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        if (csvRows != null) {
            csvRows.close();
        }
        reader.close();
    }
}
