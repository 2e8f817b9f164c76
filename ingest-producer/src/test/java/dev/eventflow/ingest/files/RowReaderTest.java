package dev.eventflow.ingest.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every quirk of real provider files, on small fixtures and on the real sample seasons. */
class RowReaderTest {

    static final Path DATA = Files.isDirectory(Path.of("..", "data", "football-data"))
            ? Path.of("..", "data", "football-data") : Path.of("data", "football-data");

    @TempDir
    Path dir;

    List<SourceRow> read(Path file, ReadReport report) throws IOException {
        List<SourceRow> rows = new ArrayList<>();
        try (RowReader reader = RowReader.open(ProviderFile.open(file), report)) {
            reader.forEachRemaining(rows::add);
        }
        return rows;
    }

    Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    @Test
    void shouldReadWindows1252AsWellAsUtf8WithAndWithoutBom() throws IOException {
        String csv = "Div,Date,HomeTeam,AwayTeam\nSP1,18/08/12,Málaga,Atlético\n";
        Charset cp1252 = Charset.forName("windows-1252");
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] utf8 = csv.getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + utf8.length];
        System.arraycopy(bom, 0, withBom, 0, 3);
        System.arraycopy(utf8, 0, withBom, 3, utf8.length);

        for (Path file : List.of(write("cp1252.csv", csv.getBytes(cp1252)), write("utf8.csv", utf8), write("bom.csv", withBom))) {
            List<SourceRow> rows = read(file, new ReadReport());
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).payload().get("HomeTeam").asText()).as(file.toString()).isEqualTo("Málaga");
            assertThat(rows.get(0).payload().get("AwayTeam").asText()).isEqualTo("Atlético");
            assertThat(rows.get(0).payload().has("Div")).as("the BOM is not part of the first header").isTrue();
        }
        assertThat(ProviderFile.open(dir.resolve("cp1252.csv")).encoding()).isEqualTo("windows-1252");
        assertThat(ProviderFile.open(dir.resolve("bom.csv")).encoding()).isEqualTo("UTF-8 with BOM");
    }

    @Test
    void shouldReadQuotedFieldsCrlfAndSkipBlankAndCommaOnlyRowsCountingThem() throws IOException {
        Path file = write("quirks.csv", ("Div,Date,HomeTeam,AwayTeam,Referee\r\n"
                + "E0,09/08/2019,Liverpool,Norwich,\"Oliver, M\"\r\n"
                + "\r\n"
                + ",,,,\r\n"
                + "E0,10/08/2019,West Ham,Man City,\"Dean \"\"the\"\" ref\"\r\n").getBytes(StandardCharsets.UTF_8));
        ReadReport report = new ReadReport();

        List<SourceRow> rows = read(file, report);

        assertThat(rows).extracting(SourceRow::line).containsExactly(2L, 5L);
        assertThat(rows.get(0).payload().get("Referee").asText()).isEqualTo("Oliver, M");
        assertThat(rows.get(1).payload().get("Referee").asText()).isEqualTo("Dean \"the\" ref");
        assertThat(report.skipped()).isEqualTo(Map.of("blank row", 2L));
    }

    @Test
    void shouldKeepTheNamedColumnsOfRaggedRowsAndLeaveOutEmptyHeaderNames() throws IOException {
        Path file = write("ragged.csv", ("Div,Date,,HomeTeam,AwayTeam\n"
                + "E0,14/08/04,x,Aston Villa,Southampton,extra,more\n"
                + "E0,14/08/04,y,Blackburn\n").getBytes(StandardCharsets.UTF_8));
        ReadReport report = new ReadReport();

        List<SourceRow> rows = read(file, report);

        JsonNode wide = rows.get(0).payload();
        assertThat(wide.size()).isEqualTo(4);
        assertThat(wide.get("AwayTeam").asText()).isEqualTo("Southampton");
        JsonNode narrow = rows.get(1).payload();
        assertThat(narrow.get("HomeTeam").asText()).isEqualTo("Blackburn");
        assertThat(narrow.has("AwayTeam")).isFalse();
        assertThat(report.anomalies()).isEqualTo(Map.of("empty header name (column left out)", 1L,
                "row wider than header", 1L, "row narrower than header", 1L));
    }

    @Test
    void shouldReadGzipAndJsonLinesPublishingInvalidLinesAsText() throws IOException {
        Path file = dir.resolve("odds.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("{\"id\":\"a\",\"price\":2.5}\n\n{not json\n{\"id\":\"b\"}".getBytes(StandardCharsets.UTF_8));
        }
        ReadReport report = new ReadReport();

        List<SourceRow> rows = read(file, report);

        assertThat(rows).extracting(SourceRow::line).containsExactly(1L, 3L, 4L);
        assertThat(rows.get(0).payload().get("price").decimalValue()).isEqualByComparingTo("2.5");
        assertThat(rows.get(1).payload().isTextual()).isTrue();
        assertThat(rows.get(1).payload().asText()).isEqualTo("{not json");
        assertThat(report.skipped()).isEqualTo(Map.of("blank line", 1L));
        assertThat(report.anomalies()).isEqualTo(Map.of("line is not valid JSON", 1L));
        assertThat(ProviderFile.open(file).lines()).isEqualTo(4);
    }

    @Test
    void shouldGiveTheSameHashToTheSameRowAndAnotherToAChangedOne() throws IOException {
        Path a = write("a.csv", "H1,H2\nx,y\nx,y\nx,z\n".getBytes(StandardCharsets.UTF_8));

        List<SourceRow> rows = read(a, new ReadReport());

        assertThat(rows.get(0).contentHash()).isEqualTo(rows.get(1).contentHash()).hasSize(64);
        assertThat(rows.get(2).contentHash()).isNotEqualTo(rows.get(0).contentHash());
    }

    @Test
    void shouldReadTheRealSampleSeasons() throws IOException {
        ReadReport old = new ReadReport();
        List<SourceRow> season2004 = read(DATA.resolve("E0_2004-05.csv"), old);
        assertThat(season2004).hasSize(380);
        assertThat(ProviderFile.open(DATA.resolve("E0_2004-05.csv")).encoding()).isEqualTo("windows-1252");
        assertThat(old.anomalies()).containsOnlyKeys("row wider than header");
        assertThat(season2004.get(0).line()).isEqualTo(2);
        assertThat(season2004.get(379).line()).isEqualTo(381);

        assertThat(read(DATA.resolve("E0_2019-20.csv"), new ReadReport())).hasSize(380)
                .first().satisfies(row -> assertThat(row.payload().get("PSCA").asText()).isEqualTo("19.63"));
        assertThat(read(DATA.resolve("SP1_2012-13.csv"), new ReadReport())).hasSize(380);
    }

    @Test
    void shouldReadTheCompleteRowsOfATruncatedGzipAndSkipTheOneItEndsInside() throws IOException {
        // gzip data flushed after each row, then cut inside the third row: no end of stream, no trailer
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        GZIPOutputStream gzip = new GZIPOutputStream(bytes, true);
        for (String part : List.of("Div,Date,HomeTeam,AwayTeam\nE0,01/01/2031,Arsenal,Chelsea\n", "E0,02/01/2031,Everton,Fulham\n",
                "E0,03/01/20")) {
            gzip.write(part.getBytes(StandardCharsets.UTF_8));
            gzip.flush();
        }
        for (String name : List.of("cut.csv.gz", "cut.jsonl.gz")) {
            Path file = write(name, name.endsWith(".csv.gz") ? bytes.toByteArray() : jsonLinesCutShort());
            ProviderFile provider = ProviderFile.open(file);
            assertThat(provider.truncated()).as(name).startsWith("truncated gzip data");
            assertThat(provider.incompleteLine()).isEqualTo(4);
            assertThat(provider.completeLines()).isEqualTo(3);
            ReadReport report = new ReadReport();

            List<SourceRow> rows = read(file, report);

            assertThat(rows).extracting(SourceRow::line).containsExactly(name.endsWith(".csv.gz") ? new Long[] {2L, 3L}
                    : new Long[] {1L, 2L, 3L});
            assertThat(report.skipped()).isEqualTo(Map.of(RowReader.INCOMPLETE, 1L));
        }
    }

    static byte[] jsonLinesCutShort() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        GZIPOutputStream gzip = new GZIPOutputStream(bytes, true);
        for (String part : List.of("{\"id\":1}\n{\"id\":2}\n", "{\"id\":3}\n", "{\"id\":")) {
            gzip.write(part.getBytes(StandardCharsets.UTF_8));
            gzip.flush();
        }
        return bytes.toByteArray();
    }

    @Test
    void shouldTellABinaryFileFromText() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write("Div,Date\nE0,01/01/2031\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(ProviderFile.open(write("gzip-named.csv", bytes.toByteArray())).binary()).isTrue();
        assertThat(ProviderFile.open(write("utf16.csv", "Div,Date\n".getBytes(StandardCharsets.UTF_16LE))).binary()).isTrue();
        assertThat(ProviderFile.open(write("text.csv", "Div,Date\nE0,01/01/2031\n".getBytes(StandardCharsets.UTF_8))).binary()).isFalse();
        assertThat(ProviderFile.open(write("whole.csv.gz", bytes.toByteArray()))).extracting(ProviderFile::binary, ProviderFile::truncated)
                .containsExactly(false, null);
    }
}
