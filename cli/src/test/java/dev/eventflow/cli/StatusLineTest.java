package dev.eventflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusLineTest {

    @Test
    void shouldRedrawTheLineInPlaceOnATerminal() {
        StringWriter out = new StringWriter();
        StatusLine line = new StatusLine(new PrintWriter(out), true);

        line.show("records in 1");
        line.show("records in 2");
        line.println("Stopping ...");
        line.end();

        // carriage return and no wrap, the text, erase to the end of the line and wrap again; a line of its own after it
        assertThat(out.toString()).isEqualTo("\r\033[?7lrecords in 1\033[K\033[?7h" + "\r\033[?7lrecords in 2\033[K\033[?7h"
                + System.lineSeparator() + "Stopping ..." + System.lineSeparator());
    }

    @Test
    void shouldPrintOneLineEachTimeElsewhere() {
        StringWriter out = new StringWriter();
        StatusLine line = new StatusLine(new PrintWriter(out), false);

        line.show("records in 1");
        line.show("records in 2");
        line.println("Stopping ...");
        line.end();

        assertThat(out.toString().lines().toList()).containsExactly("records in 1", "records in 2", "Stopping ...");
    }

    @Test
    void shouldSayWhatThePipelineHolds() {
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("entities", 48L);
        rows.put("events", 1_308L);
        rows.put("return_rates", 9_325L);
        rows.put("events_enriched", 1_308L);
        rows.put("quarantine", 5L);
        rows.put("ingest_runs", 2L);

        assertThat(EventflowLocal.statusText(new LocalPipeline.Status(1_538, rows, 14, 1_032)))
                .isEqualTo("records in 1,538 | rows: entities 48, events 1,308, return_rates 9,325, events_enriched 1,308, ingest_runs 2 "
                        + "| dead letters 5 | lag: processor 14, sink 1,032");
    }
}
