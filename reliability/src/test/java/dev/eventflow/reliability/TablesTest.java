package dev.eventflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparisons the fault tests rest on must see a difference when there is one. */
class TablesTest {

    static Tables.Snapshot snapshot(List<List<String>> events, List<List<String>> quarantine) {
        Map<String, Tables.Table> tables = new LinkedHashMap<>();
        for (String name : Tables.KEYS.keySet()) {
            List<String> columns = name.equals("quarantine") ? List.of("reason", "source_offset") : List.of("id", "status", "updated_at");
            List<List<String>> rows = name.equals("events") ? events : name.equals("quarantine") ? quarantine : List.of();
            tables.put(name, new Tables.Table(name, columns, rows));
        }
        return new Tables.Snapshot("test", tables);
    }

    static List<String> row(String... values) {
        return Arrays.asList(values);
    }

    @Test
    void shouldFindNoDifferenceBetweenEqualTables() {
        Tables.Snapshot a = snapshot(List.of(row("e1", "SCHEDULED", "t1"), row("e2", "FINISHED", "t2")), List.of(row("bad", "7")));
        Tables.Snapshot b = snapshot(List.of(row("e1", "SCHEDULED", "t1"), row("e2", "FINISHED", "t2")), List.of(row("bad", "7")));

        assertThat(Tables.differences(a, b, 5)).isEmpty();
    }

    @Test
    void shouldReportAChangedColumnAMissingRowARowInExcessAndADeadLetterTwice() {
        Tables.Snapshot expected = snapshot(List.of(row("e1", "SCHEDULED", "t1"), row("e2", "FINISHED", "t2")), List.of(row("bad", "7")));
        Tables.Snapshot actual = snapshot(List.of(row("e1", "SCHEDULED", "t0"), row("e3", "FINISHED", "t3")),
                List.of(row("bad", "7"), row("bad", "7")));

        assertThat(Tables.differences(expected, actual, 5)).containsExactly(
                "events: 1 row(s) missing\n    [e2, FINISHED, t2]",
                "events: 1 row(s) changed\n    e1: updated_at t0 instead of t1",
                "events: 1 row(s) in excess\n    [e3, FINISHED, t3]",
                "quarantine: 1 row(s) in excess\n    [bad, 7]");
    }

    @Test
    void shouldTellAVersionWrittenTwiceFromTheSameContentOfAnotherRecord() {
        byte[] key = "e1".getBytes(StandardCharsets.UTF_8);
        byte[] value = "{\"status\":\"SCHEDULED\"}".getBytes(StandardCharsets.UTF_8);
        List<Object> digests = new ArrayList<>(List.of(CleanTopics.digest(key, value, 1000)));

        assertThat(digests).contains(CleanTopics.digest(key, value, 1000));
        assertThat(digests).doesNotContain(CleanTopics.digest(key, value, 2000), CleanTopics.digest(key, null, 1000),
                CleanTopics.digest("e2".getBytes(StandardCharsets.UTF_8), value, 1000));
    }
}
