package dev.eventflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventflow.ingest.files.ProviderFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real-format data set: only the Div value changes, every other byte stays. */
class FootballDataCopiesTest {

    /** A windows-1252 file with CRLF endings, a ragged row, a blank row, a comma-only row and a quoted Div. */
    private static byte[] windows1252File() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,FTR,Referee\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("E0,23/04/05,Aston Villa,Bolton,1,1,D,".getBytes(StandardCharsets.US_ASCII));
        out.write(0xA0); // a no-break space in windows-1252: not valid UTF-8 on its own
        out.writeBytes("U Rennie\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("E0,24/04/05,Chelsea,Fulham,3,1,H,M Dean,,,\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(",,,,,,,\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("\"E0\",25/04/05,\"Man, City\",Everton,0,0,D,H Webb".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void shouldChangeOnlyTheDivValueOfEachDataRow() {
        byte[] source = windows1252File();

        FootballDataCopies.Rewritten copy = FootballDataCopies.rewrite(source, ProviderFile.WINDOWS_1252, "_C0007");

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes("Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,FTR,Referee\r\n".getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes("E0_C0007,23/04/05,Aston Villa,Bolton,1,1,D,".getBytes(StandardCharsets.US_ASCII));
        expected.write(0xA0);
        expected.writeBytes("U Rennie\r\n".getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes("E0_C0007,24/04/05,Chelsea,Fulham,3,1,H,M Dean,,,\r\n".getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes(",,,,,,,\r\n".getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes("\"E0_C0007\",25/04/05,\"Man, City\",Everton,0,0,D,H Webb".getBytes(StandardCharsets.US_ASCII));
        assertThat(copy.bytes()).isEqualTo(expected.toByteArray());
        assertThat(copy.rows()).isEqualTo(3);
        assertThat(copy.divisions()).containsExactly("E0");
    }

    @Test
    void shouldKeepLineFeedEndingsAndADivColumnThatIsNotFirst() {
        byte[] source = "Date,Div,HomeTeam\n01/02/03,SP1,Real Madrid\n\n02/02/03,SP1,Getafe\n".getBytes(StandardCharsets.UTF_8);

        FootballDataCopies.Rewritten copy = FootballDataCopies.rewrite(source, StandardCharsets.UTF_8, "_C0001");

        assertThat(new String(copy.bytes(), StandardCharsets.UTF_8))
                .isEqualTo("Date,Div,HomeTeam\n01/02/03,SP1_C0001,Real Madrid\n\n02/02/03,SP1_C0001,Getafe\n");
        assertThat(copy.rows()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAFileWithoutADivColumn() {
        byte[] source = "Date,HomeTeam\n01/02/03,Getafe\n".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> FootballDataCopies.rewrite(source, StandardCharsets.UTF_8, "_C0001"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Div");
    }

    @Test
    void shouldWriteEnoughCopiesOfTheBundledSeasonsInTheirOwnEncoding(@TempDir Path dir) throws IOException {
        Path samples = Path.of("..", "data", "football-data");
        List<Path> sources = List.of(samples.resolve("E0_2004-05.csv"), samples.resolve("E0_2019-20.csv"),
                samples.resolve("SP1_2012-13.csv"));

        FootballDataCopies.DataSet data = FootballDataCopies.write(sources, 2000, dir);

        assertThat(data.rowsPerCopy()).isEqualTo(1140);
        assertThat(data.copies()).isEqualTo(2);
        assertThat(data.rows()).isEqualTo(2280);
        assertThat(data.competitions()).containsExactly("E0_C0001", "E0_C0002", "SP1_C0001", "SP1_C0002");
        assertThat(data.files()).extracting(p -> p.getFileName().toString()).containsExactly(
                "E0_2004-05_C0001.csv", "E0_2019-20_C0001.csv", "SP1_2012-13_C0001.csv",
                "E0_2004-05_C0002.csv", "E0_2019-20_C0002.csv", "SP1_2012-13_C0002.csv");
        assertThat(ProviderFile.open(data.files().get(0)).encoding()).isEqualTo("windows-1252");
        assertThat(ProviderFile.open(data.files().get(1)).encoding()).isEqualTo("UTF-8");
        byte[] original = Files.readAllBytes(sources.get(0));
        byte[] copy = Files.readAllBytes(data.files().get(3));
        // Each of the 380 rows grows by the 6 bytes of "_C0002"; nothing else changes.
        assertThat(copy).hasSize(original.length + 380 * 6);
        assertThat(new String(copy, ProviderFile.WINDOWS_1252).replace("E0_C0002,", "E0,"))
                .isEqualTo(new String(original, ProviderFile.WINDOWS_1252));
    }

    @Test
    void shouldChooseTheFewestCopiesThatHoldTheRequestedRows() {
        assertThat(FootballDataCopies.copiesFor(350_000, 1140)).isEqualTo(308);
        assertThat(FootballDataCopies.copiesFor(1140, 1140)).isEqualTo(1);
        assertThat(FootballDataCopies.copiesFor(1141, 1140)).isEqualTo(2);
        assertThat(FootballDataCopies.copiesFor(1, 1140)).isEqualTo(1);
        assertThatThrownBy(() -> FootballDataCopies.copiesFor(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNameCopiesAfterTheirSourceAndKeepTheExtension() {
        assertThat(FootballDataCopies.suffix(12)).isEqualTo("_C0012");
        assertThat(FootballDataCopies.copyName("E0_2019-20.csv", "_C0012")).isEqualTo("E0_2019-20_C0012.csv");
        assertThat(FootballDataCopies.copyName("SP1.csv.gz", "_C0001")).isEqualTo("SP1_C0001.csv.gz");
    }
}
