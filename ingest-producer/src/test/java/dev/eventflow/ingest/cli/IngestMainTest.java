package dev.eventflow.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IngestMainTest {

    record Outcome(int exitCode, String out, String err) {
    }

    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = IngestMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void shouldExplainEveryCommand() {
        for (String command : new String[] {"replay", "poll", "generate"}) {
            Outcome help = run(command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).contains("Usage: eventflow ingest " + command).contains("--bootstrap-servers").contains("--config");
        }
        assertThat(run("--help").out()).contains("replay", "poll", "generate");
    }

    @Test
    void shouldExitNonZeroWithAOneLineReason() {
        Outcome missing = run("replay", "no/such/file.csv");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("eventflow ingest replay: No such file or directory: no/such/file.csv" + System.lineSeparator());

        Outcome unknownOption = run("replay", "--sped", "2x", "x.csv");
        assertThat(unknownOption.exitCode()).isEqualTo(2);
        assertThat(unknownOption.err()).startsWith("Unknown option: '--sped'");
    }

    @Test
    void shouldReadSpeedsAndDates() {
        assertThat(IngestMain.parseSpeed("max")).isZero();
        assertThat(IngestMain.parseSpeed("60x")).isEqualTo(60);
        assertThat(IngestMain.parseSpeed("2.5")).isEqualTo(2.5);
        assertThatThrownBy(() -> IngestMain.parseSpeed("fast")).hasMessage("--speed must be 'max' or a positive multiple such as '60x', was 'fast'");
        assertThat(IngestMain.parseTime("2019-08-01")).isEqualTo(Instant.parse("2019-08-01T00:00:00Z"));
        assertThat(IngestMain.parseTime("2019-08-01T12:00:00Z")).isEqualTo(Instant.parse("2019-08-01T12:00:00Z"));
    }

    @Test
    void shouldPollTheRealProvidersOnlyWithTheirKeys() {
        assertThat(run("poll", "--help").out()).contains("--provider", "--season", "football-data-org");

        IngestMain.environment = java.util.Map.of();
        try {
            Outcome noToken = run("poll", "--provider", "football-data-org", "--once", "--bootstrap-servers", "127.0.0.1:1");
            assertThat(noToken.exitCode()).isEqualTo(1);
            assertThat(noToken.err()).isEqualTo("eventflow ingest poll: football-data.org needs an API token: set "
                    + "EVENTFLOW_FOOTBALL_DATA_ORG_KEY (or football-data-org.key)" + System.lineSeparator());

            Outcome noKey = run("poll", "--provider", "the-odds-api", "--once", "--bootstrap-servers", "127.0.0.1:1");
            assertThat(noKey.exitCode()).isEqualTo(1);
            assertThat(noKey.err()).isEqualTo("eventflow ingest poll: The Odds API needs an API key: set "
                    + "EVENTFLOW_THE_ODDS_API_KEY (or the-odds-api.key)" + System.lineSeparator());

            Outcome seasonElsewhere = run("poll", "--provider", "the-odds-api", "--season", "2023", "--once",
                    "--bootstrap-servers", "127.0.0.1:1");
            assertThat(seasonElsewhere.exitCode()).isEqualTo(1);
            assertThat(seasonElsewhere.err()).contains("--season applies to --provider football-data-org only");

            Outcome noProvider = run("poll", "--once", "--bootstrap-servers", "127.0.0.1:1");
            assertThat(noProvider.exitCode()).isEqualTo(1);
            assertThat(noProvider.err()).isEqualTo("eventflow ingest poll: choose the provider to poll: --provider the-odds-api "
                    + "or --provider football-data-org" + System.lineSeparator());

            Outcome synthetic = run("poll", "--provider", "synthetic", "--once", "--bootstrap-servers", "127.0.0.1:1");
            assertThat(synthetic.exitCode()).isEqualTo(1);
            assertThat(synthetic.err()).isEqualTo("eventflow ingest poll: --provider synthetic cannot be polled "
                    + "(pollable: the-odds-api, football-data-org)" + System.lineSeparator());
        } finally {
            IngestMain.environment = System.getenv();
        }
    }
}
