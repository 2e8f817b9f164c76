package dev.eventflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.security.AccessPlan;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecurityMainTest {

    @Test
    void shouldPrintThePlanAsATableWithTheConfiguredTopicNames() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = SecurityMain.run(new String[] {"acls"}, new PrintWriter(out, true), new PrintWriter(err, true),
                Map.of("EVENTFLOW_TOPIC_EVENTS_RAW_NAME", "acme.events.raw"));

        assertThat(exit).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.subList(0, 4)).containsExactly(
                "| principal | resource | pattern | operations |",
                "| --- | --- | --- | --- |",
                "| User:eventflow-ingest | TOPIC `acme.events.raw` | literal | WRITE, DESCRIBE |",
                "| User:eventflow-ingest | TOPIC `provider.return-rates.raw` | literal | WRITE, DESCRIBE |");
        assertThat(lines).contains("| User:eventflow-processor | TRANSACTIONAL_ID `eventflow-stream-processor-` | prefixed | WRITE, DESCRIBE |",
                "| User:eventflow-reader | GROUP `eventflow-reader` | prefixed | READ |");
        // one row per principal and resource; every ACL of the plan is in one of them
        assertThat(lines.stream().skip(2).mapToInt(line -> line.split("\\| ")[4].split(", ").length).sum())
                .isEqualTo(AccessPlan.defaults().bindings().size());
    }

    @Test
    void shouldNeverTakeAPasswordAsAnOption() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = SecurityMain.run(new String[] {"provision", "--password", "x"}, new PrintWriter(out, true),
                new PrintWriter(err, true), Map.of());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("Unknown options: '--password', 'x'");
    }
}
