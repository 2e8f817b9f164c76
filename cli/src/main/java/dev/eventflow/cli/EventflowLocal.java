package dev.eventflow.cli;

import dev.eventflow.ingest.files.FileDiscovery;
import dev.eventflow.localstack.LocalLogging;
import dev.eventflow.localstack.LocalStackConfig;
import dev.eventflow.localstack.Ports;
import dev.eventflow.localstack.SignalStop;
import dev.eventflow.model.IngestRun;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eventflow local}: the whole pipeline on this machine, with the bundled sample data and a live feed. */
@Command(name = "eventflow local", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Starts the embedded stack (Kafka, Kafka Connect with the JDBC sink, PostgreSQL), applies the schema, registers "
                    + "the sink connectors, starts the stream processor, replays the sample data (or --data), then keeps a "
                    + "synthetic live feed running until Ctrl-C, printing a status line.",
            "The console shows the endpoints, the status line, the summary and real problems; the full log goes to "
                    + "target/eventflow-local.log (printed at start; -Deventflow.log.file=PATH in JAVA_OPTS moves it).",
            "Settings of the stack can also be given as EVENTFLOW_* environment variables (see README.md)."
        })
public final class EventflowLocal implements Callable<Integer> {

    /** The bundled sample seasons, under the project directory the eventflow script passes as eventflow.home. */
    static final Path SAMPLES = Path.of(System.getProperty("eventflow.home", "."), "data", "football-data");

    @Option(names = "--data", arity = "1..*", paramLabel = "FILE", description = "Files, directories or globs to replay "
            + "instead of the bundled samples (data/football-data).")
    List<String> data;

    @Option(names = "--once", description = "Exit once everything has landed in PostgreSQL, after printing a summary.")
    boolean once;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Use this existing Kafka.")
    String bootstrapServers;

    @Option(names = "--postgres-url", paramLabel = "JDBC_URL", description = "Use this existing PostgreSQL "
            + "(owner: EVENTFLOW_POSTGRES_USER / EVENTFLOW_POSTGRES_PASSWORD).")
    String postgresUrl;

    @Option(names = "--free-ports", description = "Listen on free ports instead of 9092, 9093, 8083, 5432, 8001 and 8002.")
    boolean freePorts;

    @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "20", description = "Records per second of the live feed.")
    double rate;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with local-stack settings.")
    Path configFile;

    /** The sink role's password when EVENTFLOW_SINK_PASSWORD is not set. */
    static final String DEFAULT_SINK_PASSWORD = "eventflow-local";
    private static final Duration STATUS_EVERY = Duration.ofSeconds(2);

    private final Map<String, String> environment;
    /** How long the summary waits for the quality scores to count every raw record (they follow the rows by about a second). */
    static final Duration QUALITY_WAIT = Duration.ofSeconds(15);
    private final PrintWriter out;
    private final Path logFile;
    private final boolean terminal;

    EventflowLocal(Map<String, String> environment, PrintWriter out) {
        this(environment, out, null, false);
    }

    /**
     * @param logFile  the log file, printed at start (null: not printed)
     * @param terminal whether the console is a terminal: the status line is then redrawn in place
     */
    EventflowLocal(Map<String, String> environment, PrintWriter out, Path logFile, boolean terminal) {
        this.environment = environment;
        this.out = out;
        this.logFile = logFile;
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        boolean terminal = System.console() != null;
        // Before anything logs: the full log goes to a file, the console gets real problems only.
        Path logFile = LocalLogging.configure("eventflow-local", terminal);
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        CommandLine cli = new CommandLine(new EventflowLocal(System.getenv(), out, logFile, terminal));
        cli.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(e.toString());
            cmd.getErr().println("eventflow local: " + message);
            return 1;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        LocalStackConfig stack = LocalStackConfig.load(configFile, environment);
        if (freePorts) {
            stack = stack.withFreePorts();
        }
        if (bootstrapServers != null) {
            stack = stack.with(LocalStackConfig.KAFKA_BOOTSTRAP_SERVERS, bootstrapServers);
        }
        if (postgresUrl != null) {
            stack = stack.with(LocalStackConfig.POSTGRES_URL, postgresUrl);
        }
        List<Path> files = FileDiscovery.resolve(data == null ? List.of(SAMPLES.toString()) : data);
        int metricsPort = freePorts ? 0 : Ports.resolve(8001, "the stream processor's metrics", "metrics.port");
        int supervisorPort = freePorts ? 0 : Ports.resolve(8002, "the sink supervisor's metrics", "supervise.metrics.port");
        String sinkPassword = stack.config().getString(LocalStackConfig.SINK_PASSWORD, DEFAULT_SINK_PASSWORD);
        if (logFile != null) {
            out.println("Full log: " + logFile);
        }
        // Ctrl-C or SIGTERM: this thread stops everything in order below, and the JVM waits for that (the work
        // directory deleted, the log complete) before it exits. A signal during the start-up is acted on once it is
        // done; after it, the signal interrupts this thread wherever it waits (the replay, the status loop).
        StatusLine statusLine = new StatusLine(out, terminal);
        try (SignalStop stop = SignalStop.install(Duration.ofMinutes(2), () -> statusLine.println("Stopping ..."))) {
            LocalPipeline pipeline = null;
            try {
                pipeline = LocalPipeline.start(new LocalPipeline.Options(stack, metricsPort, sinkPassword, 2000, supervisorPort));
                stop.interruptible();
                if (stop.requested()) {
                    return 0;
                }
                printEndpoints(pipeline);
                IngestRun replay = pipeline.replay(files, true);
                out.printf(Locale.ROOT, "Replayed %d records from %d file(s) (%s).%n", replay.recordsPublished(), files.size(), replay.status());
                if (once) {
                    LocalPipeline.Status status = pipeline.awaitLanded(Duration.ofMinutes(10));
                    printSummary(pipeline, status, replay);
                    return 0;
                }
                pipeline.startLiveFeed(rate, 42);
                out.println("Live feed running at " + rate + " records/s. Press Ctrl-C to stop.");
                while (!stop.requested()) {
                    statusLine.show(statusText(pipeline.status()));
                    Thread.sleep(STATUS_EVERY.toMillis());
                }
                return 0;
            } catch (Exception e) {
                if (!stop.requested()) {
                    throw e;
                }
                // Interrupted by the signal: not a failure.
                return 0;
            } finally {
                stop.stopping();
                statusLine.end();
                if (pipeline != null) {
                    pipeline.close();
                }
                if (stop.requested()) {
                    Path data = pipeline == null ? null : pipeline.stack().workDir();
                    out.println(data != null && Files.exists(data) ? "Stopped; the stack's data is kept in " + data + "."
                            : "Stopped: nothing is left running, and the stack's data is deleted.");
                }
            }
        }
    }

    /** The status line: records in, rows per table, dead letters, lags. */
    static String statusText(LocalPipeline.Status status) {
        StringBuilder rows = new StringBuilder();
        status.rows().forEach((table, count) -> {
            if (!table.equals("quarantine")) {
                rows.append(rows.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %,d", table, count));
            }
        });
        return String.format(Locale.ROOT, "records in %,d | rows: %s | dead letters %,d | lag: processor %,d, sink %,d",
                status.rawRecords(), rows, status.rows().getOrDefault("quarantine", 0L), status.processorLag(), status.sinkLag());
    }

    private void printEndpoints(LocalPipeline pipeline) {
        out.println("eventflow pipeline is running:");
        out.printf(Locale.ROOT, "  Kafka bootstrap servers  %s%n", pipeline.stack().bootstrapServers());
        pipeline.stack().securitySummary().ifPresent(security -> out.printf(Locale.ROOT, "  Kafka security           %s%n", security));
        out.printf(Locale.ROOT, "  Kafka Connect REST API   %s%n", pipeline.stack().connectUrl());
        out.printf(Locale.ROOT, "  PostgreSQL JDBC URL      %s (user %s)%n", pipeline.stack().jdbcUrl(), pipeline.stack().jdbcUser());
        pipeline.stack().embeddedPostgres().ifPresent(pg -> out.printf(Locale.ROOT,
                "  psql                     psql -h 127.0.0.1 -p %d -U postgres postgres%n", pg.port()));
        out.printf(Locale.ROOT, "  Processor metrics        http://127.0.0.1:%d/metrics%n", pipeline.metricsPort());
        pipeline.supervisorPort().ifPresent(port -> out.printf(Locale.ROOT,
                "  Sink supervisor metrics  http://127.0.0.1:%d/metrics%n", port));
    }

    private void printSummary(LocalPipeline pipeline, LocalPipeline.Status status, IngestRun replay) throws Exception {
        out.println();
        out.println("| table | rows |");
        out.println("| --- | ---: |");
        status.rows().forEach((table, rows) -> out.printf(Locale.ROOT, "| %s | %,d |%n", table, rows));
        Map<String, Long> reasons = pipeline.deadLettersByReason();
        if (!reasons.isEmpty()) {
            out.println();
            out.println("| dead letters by reason | count |");
            out.println("| --- | ---: |");
            reasons.forEach((reason, count) -> out.printf(Locale.ROOT, "| %s | %,d |%n", reason, count));
        }
        Optional<LocalPipeline.RunQuality> quality = pipeline.awaitRunQuality(replay.runId(), QUALITY_WAIT);
        Instant now = Instant.now();
        if (quality.isPresent()) {
            out.println();
            out.printf(Locale.ROOT, "Data quality of this run (table data_quality_runs, ingest_run_id '%s'; docs/stream-processor.md):%n",
                    replay.runId());
            QualitySummary.printRun(out, quality.get().runs(), quality.get().weights());
            if (!quality.get().closed()) {
                long scored = quality.get().runs().stream().mapToLong(run -> run.tally().denominator(
                        dev.eventflow.processor.quality.QualityDimension.VALIDITY)).sum();
                out.printf(Locale.ROOT, "(the scores count %,d of the run's %,d records after %d s: the rest had not reached the table)%n",
                        scored, replay.recordsPublished(), QUALITY_WAIT.toSeconds());
            }
        }
        out.printf(Locale.ROOT, "%nEverything landed in %.1f s (raw records %,d, processor lag 0, sink lag 0).%n",
                Duration.between(pipeline.started(), now).toMillis() / 1000.0, status.rawRecords());
        pipeline.lastRowCommit().ifPresent(commit -> out.printf(Locale.ROOT,
                "The last row was committed %.1f s after the start, %.1f s before this summary.%n",
                Duration.between(pipeline.started(), commit).toMillis() / 1000.0, Duration.between(commit, now).toMillis() / 1000.0));
    }
}
