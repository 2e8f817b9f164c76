package dev.eventflow.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.eventflow.model.RawEnvelope;
import dev.eventflow.model.serde.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw records as the ingest producer publishes them, for tests: football-data CSV rows as objects
 * of column name to text, and synthetic payloads.
 */
public final class RawRecords {

    /** The bundled sample seasons (a copy of football-data.co.uk files, see data/football-data/README.md). */
    public static final Path DATA = dataDirectory();
    public static final Instant RECEIVED_AT = Instant.parse("2026-11-22T10:00:00Z");

    private RawRecords() {
    }

    /** One raw record per data row of a football-data CSV file (UTF-8 or cp1252; ragged rows keep the named columns). */
    public static List<Keyed> footballData(Path file) {
        List<Keyed> records = new ArrayList<>();
        try {
            String text = decode(Files.readAllBytes(file));
            CsvMapper csv = new CsvMapper();
            csv.enable(CsvParser.Feature.WRAP_AS_ARRAY);
            List<String> header = null;
            long line = 0;
            try (MappingIterator<String[]> rows = csv.readerFor(String[].class).readValues(text)) {
                while (rows.hasNext()) {
                    String[] row = rows.next();
                    line++;
                    if (header == null) {
                        header = List.of(row);
                        continue;
                    }
                    if (String.join("", row).isBlank()) {
                        continue;
                    }
                    ObjectNode payload = JsonNodeFactory.instance.objectNode();
                    for (int i = 0; i < header.size() && i < row.length; i++) {
                        if (!header.get(i).isBlank()) {
                            payload.put(header.get(i), row[i]);
                        }
                    }
                    records.add(new Keyed(naturalKey(payload), envelope("football-data", file.getFileName().toString(), line, payload)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    /** All rows of all three sample seasons, in file order. */
    public static List<Keyed> sampleSeasons() {
        List<Keyed> all = new ArrayList<>();
        for (String name : List.of("E0_2004-05.csv", "SP1_2012-13.csv", "E0_2019-20.csv")) {
            all.addAll(footballData(DATA.resolve(name)));
        }
        return all;
    }

    public static RawEnvelope envelope(String provider, String source, Long line, JsonNode payload) {
        return new RawEnvelope(provider, source, line, null, "test-run", RECEIVED_AT, null, payload);
    }

    /** A JSON payload from text (single quotes allowed for readability). */
    public static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(RawEnvelope envelope) {
        try {
            return Json.mapper().writeValueAsBytes(envelope);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** data/football-data of the project, whether run from the module (tests) or the project root (harnesses). */
    private static Path dataDirectory() {
        Path fromModule = Path.of("..", "data", "football-data");
        return Files.isDirectory(fromModule) ? fromModule : Path.of("data", "football-data");
    }

    private static String naturalKey(JsonNode row) {
        return row.path("Div").asText() + "/" + row.path("Date").asText() + "/" + row.path("HomeTeam").asText() + "/"
                + row.path("AwayTeam").asText();
    }

    private static String decode(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            return new String(bytes, Charset.forName("windows-1252"));
        }
    }

    /** A raw record with the key the producer gives it. */
    public record Keyed(String key, RawEnvelope envelope) {
    }
}
