package dev.eventflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Dead letters read as if the producer had written no raw record twice. */
class RawCopiesTest {

    static final List<String> COLUMNS = List.of("reason", "source_topic", "source_partition", "source_offset");

    static Tables.Snapshot quarantine(List<List<String>> rows) {
        Map<String, Tables.Table> tables = new LinkedHashMap<>();
        tables.put("events", new Tables.Table("events", List.of("id"), List.of(List.of("e1"))));
        tables.put("quarantine", new Tables.Table("quarantine", COLUMNS, rows));
        return new Tables.Snapshot("test", tables);
    }

    static List<String> row(String... values) {
        return Arrays.asList(values);
    }

    static RawCopies copies(String partition, long... copyThenOriginal) {
        NavigableMap<Long, Long> offsets = new TreeMap<>();
        for (int i = 0; i < copyThenOriginal.length; i += 2) {
            offsets.put(copyThenOriginal[i], copyThenOriginal[i + 1]);
        }
        return new RawCopies(Map.of(partition, offsets));
    }

    @Test
    void shouldMoveLaterDeadLettersBackPastTheCopiesAndLeaveOutACopysOwnDeadLetter() {
        // Partition 5 holds a copy of offset 3 at offset 4 (a malformed record, refused twice) and a copy of 8 at 10.
        Tables.Snapshot run = quarantine(List.of(
                row("not JSON", "raw", "5", "3"), row("not JSON", "raw", "5", "4"), row("missing team", "raw", "5", "7"),
                row("missing team", "raw", "5", "12"), row("missing team", "raw", "2", "12"), row("stale", "other", "5", "12")));

        Tables.Snapshot read = copies("raw/5", 4, 3, 10, 8).withoutCopies(run);

        assertThat(read.tables().get("quarantine").rows()).containsExactly(
                row("not JSON", "raw", "5", "3"), row("missing team", "raw", "5", "6"), row("missing team", "raw", "5", "10"),
                row("missing team", "raw", "2", "12"), row("stale", "other", "5", "12"));
        assertThat(read.tables().get("events")).isEqualTo(run.tables().get("events"));
    }

    @Test
    void shouldRefuseACopysDeadLetterThatDiffersFromItsOriginals() {
        Tables.Snapshot run = quarantine(List.of(row("not JSON", "raw", "5", "4")));

        assertThatThrownBy(() -> copies("raw/5", 4, 3).withoutCopies(run)).isInstanceOf(AssertionError.class)
                .hasMessage("The dead letter of a raw record the producer wrote twice differs from its original's: "
                        + "[not JSON, raw, 5, 3] (copies: raw/5: 4 (copy of 3))");
    }

    @Test
    void shouldChangeNothingWithoutCopies() {
        Tables.Snapshot run = quarantine(List.of(row("not JSON", "raw", "5", "4")));

        assertThat(new RawCopies(Map.of()).withoutCopies(run).tables()).isEqualTo(run.tables());
        assertThat(new RawCopies(Map.of())).hasToString("none");
    }
}
