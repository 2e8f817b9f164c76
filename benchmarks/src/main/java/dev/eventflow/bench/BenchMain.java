package dev.eventflow.bench;

import dev.eventflow.cli.ConsumerLag;
import dev.eventflow.cli.LocalPipeline;
import dev.eventflow.ingest.ProviderFormat;
import dev.eventflow.ingest.generate.Generator;
import dev.eventflow.ingest.generate.SyntheticFeed;
import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.ingest.replay.Replayer;
import dev.eventflow.ingest.runs.Checkpoints;
import dev.eventflow.localstack.Directories;
import dev.eventflow.localstack.LocalStack;
import dev.eventflow.localstack.LocalStackConfig;
import dev.eventflow.localstack.LocalStackMain;
import dev.eventflow.localstack.Ports;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.app.StreamProcessorMain;
import dev.eventflow.sink.connectors.ConnectClient;
import dev.eventflow.sink.connectors.ConnectorConfigs;
import dev.eventflow.sink.connectors.ConnectorDeployer;
import dev.eventflow.sink.schema.SchemaMigrator;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code eventflow bench}: the whole pipeline on the local stack, measured in one run against the
 * machine's own ceilings. The broker and PostgreSQL run here; the stream processor and the Connect
 * worker each run in their own JVM, as deployed, so their memory is their own.
 */
@Command(name = "eventflow bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Measures eventflow on this machine: the broker's and PostgreSQL's ceilings, topology throughput "
                    + "(exactly_once_v2), sink throughput, end-to-end backfill time, a real-format backfill (football-data "
                    + "files) beside a direct JDBC batch load of the same files, live freshness (p50/p95/p99 from "
                    + "the producer's send to the row visible in PostgreSQL) and the memory of the stream processor "
                    + "and the Connect worker. Prints a table; --json writes the same figures.",
            "A quick run: ./eventflow bench --records 100000 --live-seconds 20 --real-rows 20000"
        })
public final class BenchMain implements Callable<Integer> {

    /**
     * Broker writes per raw record the topology reached in issue 10 (5.2-5.9 synthetic, by run size: the
     * transaction markers weigh more in short runs; 11.7-11.8 per football-data row, 9-10 of them output
     * rows), with a margin: a figure above these marks the run MISSED, so a change that adds work per record shows.
     */
    static final double SYNTHETIC_WRITES_PIN = 6.5;
    static final double REAL_FORMAT_WRITES_PIN = 12.5;

    @Option(names = "--records", paramLabel = "N", description = "Raw records for the topology, sink and backfill phases (default: ${DEFAULT-VALUE}).")
    long records = 1_000_000;

    @Option(names = "--fixtures", paramLabel = "N", description = "Fixtures the records are spread over (default: records / 50).")
    Integer fixtures;

    @Option(names = "--live-rate", paramLabel = "RECORDS_PER_S", description = "Rate of the live phase (default: ${DEFAULT-VALUE}).")
    double liveRate = 2000;

    @Option(names = "--live-seconds", paramLabel = "S", description = "Duration of the live phase (default: ${DEFAULT-VALUE}).")
    int liveSeconds = 60;

    @Option(names = "--processor-heap", paramLabel = "SIZE", description = "-Xmx of the stream processor's JVM (default: ${DEFAULT-VALUE}).")
    String processorHeap = "512m";

    @Option(names = "--connect-heap", paramLabel = "SIZE", description = "-Xmx of the Connect worker's JVM (default: ${DEFAULT-VALUE}).")
    String connectHeap = "1g";

    @Option(names = "--sink", paramLabel = "FLAVOUR", description = "Sink connectors: copy (eventflow's COPY sink for the clean "
            + "tables, the default, as eventflow local) or debezium (Debezium's JDBC sink for every table).")
    String sinkFlavour = LocalPipeline.DEFAULT_SINK;

    @Option(names = "--sink-batch", paramLabel = "ROWS", description = "Rows per sink batch (default: ${DEFAULT-VALUE}, as eventflow local).")
    int sinkBatch = 2000;

    @Option(names = "--sink-tasks", paramLabel = "N", description = "Tasks per sink connector (default: ${DEFAULT-VALUE}, as eventflow local).")
    int sinkTasks = 1;

    @Option(names = "--sink-url-params", paramLabel = "PARAMS",
            description = "Extra JDBC URL parameters of the sink connectors, for example reWriteBatchedInserts=false (default: ${DEFAULT-VALUE}).")
    String sinkUrlParams = "";

    @Option(names = "--ceiling-records", paramLabel = "N", description = "Records and rows of the ceiling measures (default: min(records, 200000)).")
    Integer ceilingRecords;

    @Option(names = "--processor-env", paramLabel = "KEY=VALUE",
            description = "Extra stream-processor setting for this run, as its environment variable (repeatable), "
                    + "for example EVENTFLOW_COMMIT_INTERVAL=PT1S.")
    Map<String, String> processorEnv = new LinkedHashMap<>();

    @Option(names = "--processor-java-option", paramLabel = "OPTION",
            description = "Extra JVM option of the stream processor (repeatable), for example a profiler agent.")
    List<String> processorJavaOptions = new ArrayList<>();

    @Option(names = "--connect-java-option", paramLabel = "OPTION", description = "Extra JVM option of the Connect worker (repeatable).")
    List<String> connectJavaOptions = new ArrayList<>();

    @Option(names = "--real-rows", paramLabel = "N",
            description = "Data rows of the real-format phases: the bundled football-data seasons copied until they hold at least "
                    + "N rows, replayed through the pipeline and loaded by the direct batch baseline (default: ${DEFAULT-VALUE}; 0 skips them).")
    long realRows = 350_000;

    /** The phases, in the order they run. */
    enum Phase { ceilings, topology, sink, backfill, realformat, live }

    @Option(names = "--stop-after", paramLabel = "PHASE",
            description = "Stop after this phase (${COMPLETION-CANDIDATES}); for profiling one phase. Default: run all.")
    Phase stopAfter = Phase.live;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures to this JSON file.")
    Path json;

    @Option(names = "--keep", description = "Keep the work directory (logs, GC logs) after the run.")
    boolean keep;

    private static final double TOPOLOGY_TARGET = 50_000;
    private static final double SINK_TARGET = 35_000;
    private static final double BACKFILL_TARGET_SECONDS_PER_MILLION = 60;
    private static final double LIVE_P99_TARGET_MS = 1000;
    private static final double REAL_FORMAT_TARGET_SECONDS = 76;
    private static final long REAL_FORMAT_TARGET_ROWS = 350_000;
    private static final double REAL_FORMAT_RATIO_TARGET = 1.5;
    private static final double REAL_FORMAT_TOPOLOGY_TARGET = 10_000;
    /** The bundled football-data seasons, under the project directory the eventflow script passes as eventflow.home. */
    private static final Path FOOTBALL_DATA = Path.of(System.getProperty("eventflow.home", "."), "data", "football-data");
    private static final long HEAP_TARGET = 512L << 20;

    private final PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new BenchMain()).setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println("eventflow bench: " + e);
            e.printStackTrace(cmd.getErr());
            return 1;
        });
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int fixtureCount = fixtures != null ? fixtures : (int) Math.max(20, records / 50);
        int ceilingSize = ceilingRecords != null ? ceilingRecords : (int) Math.min(records, 200_000);
        Path work = Files.createTempDirectory("eventflow-bench-");
        Report report = new Report();
        report.context("date", Instant.now());
        report.context("machine", Runtime.getRuntime().availableProcessors() + " cores, "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB max heap for the broker's JVM, Java " + Runtime.version());
        report.context("load", String.format(Locale.ROOT, "%,d raw synthetic records over %,d fixtures (%.0f %% exact duplicates, "
                + "%.0f %% malformed); live %,.0f records/s for %d s", records, fixtureCount, SyntheticRecords.DUPLICATES * 100,
                SyntheticRecords.MALFORMED * 100, liveRate, liveSeconds));
        report.context("work directory", work);
        report.context("sink", String.format(Locale.ROOT, "%s sink connectors, %d task(s) per connector, batch %d, URL parameters '%s'",
                sinkFlavour, sinkTasks, sinkBatch, sinkUrlParams));
        long begin = System.nanoTime();
        LocalStackConfig stackConfig = LocalStackConfig.defaults().withFreePorts()
                .with(LocalStackConfig.CONNECT_ENABLED, "false")
                .with(LocalStackConfig.WORK_DIR, work.toString());
        try (LocalStack stack = LocalStack.start(stackConfig)) {
            String bootstrap = stack.bootstrapServers();
            EventflowTopics topics = stack.topics();
            SchemaMigrator.migrate(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), LocalPipeline.SINK_ROLE, "eventflow-bench");
            int connectPort = Ports.freePort();
            String connectUrl = "http://" + Ports.HOST + ":" + connectPort;
            Map<String, String> connectEnv = Map.of("EVENTFLOW_KAFKA_BOOTSTRAP_SERVERS", bootstrap, "EVENTFLOW_POSTGRES_ENABLED", "false",
                    "EVENTFLOW_CONNECT_PORT", Integer.toString(connectPort), "EVENTFLOW_WORK_DIR", work.toString());
            try (ChildJvm connect = ChildJvm.start("connect-worker", LocalStackMain.class.getName(), List.of(), connectEnv, connectHeap,
                    jvmOptions(connectJavaOptions), work)) {
                awaitConnect(connectUrl, connect);
                step("Kafka Connect worker running (pid %d)", connect.pid());

                // 1. Ceilings
                List<byte[][]> sample = SyntheticRecords.envelopes(0, SyntheticRecords.history(ceilingSize, fixtureCount, SyntheticRecords.HISTORY_START));
                double rawBytes = sample.stream().mapToLong(r -> r[0].length + r[1].length).average().orElse(0);
                report.context("raw record size", String.format(Locale.ROOT, "%.0f bytes average (key and envelope)", rawBytes));
                double produceCeiling = Ceilings.produce(bootstrap, "eventflow.bench.ceiling", topics.returnRatesRaw().partitions(), sample);
                double consumeCeiling = Ceilings.consume(bootstrap, "eventflow.bench.ceiling", sample.size());
                sample = null;
                step("broker ceilings: produce %,.0f, consume %,.0f records/s", produceCeiling, consumeCeiling);
                Ceilings.Postgres pg = Ceilings.postgres(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), ceilingSize, sinkBatch);
                step("PostgreSQL ceilings: COPY %,.0f, batch upsert %,.0f rows/s", pg.copy(), pg.batchUpsert());
                String produceOf = "broker produce ceiling";
                report.add("ceiling.broker_produce", "ceiling: broker produce, raw-size records", produceCeiling, "records/s", 1, produceOf);
                report.add("ceiling.broker_consume", "ceiling: broker consume (read_committed)", consumeCeiling, "records/s",
                        consumeCeiling / produceCeiling, produceOf);
                report.add("ceiling.postgres_copy", "ceiling: PostgreSQL COPY, enriched-event rows", pg.copy(), "rows/s", 1, "PostgreSQL COPY");
                report.add("ceiling.postgres_batch_upsert", "ceiling: PostgreSQL JDBC batch upsert (batch " + sinkBatch + ")",
                        pg.batchUpsert(), "rows/s", pg.batchUpsert() / pg.copy(), "PostgreSQL COPY");

                if (stopAfter == Phase.ceilings) {
                    return 0;
                }
                try (RawPublisher publisher = new RawPublisher(bootstrap, Map.of());
                     Admin admin = Admin.create(stack.clientConfig());
                     Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword());
                     ConsumerLag lags = new ConsumerLag(admin, stack.clientConfig())) {

                    // 2. Topology throughput: the raw records first, then the processor from nothing.
                    long publishStart = System.nanoTime();
                    IngestRun generated = new Generator(publisher, topics, Clock.systemUTC())
                            .generate(1, SyntheticRecords.history(records, fixtureCount, SyntheticRecords.HISTORY_START), 0);
                    double publishRate = generated.recordsPublished() / seconds(publishStart);
                    step("published %,d raw records at %,.0f records/s", generated.recordsPublished(), publishRate);
                    report.add("ingest.publish_records_per_second", "ingest: synthetic records published", publishRate, "records/s",
                            publishRate / produceCeiling, produceOf);

                    int metricsPort = Ports.freePort();
                    Map<String, String> processorEnvironment = new LinkedHashMap<>();
                    processorEnvironment.put("EVENTFLOW_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
                    processorEnvironment.put("EVENTFLOW_STATE_DIR", work.resolve("streams").toString());
                    processorEnvironment.put("EVENTFLOW_METRICS_PORT", Integer.toString(metricsPort));
                    processorEnvironment.putAll(processorEnv);
                    String applicationId = processorEnvironment.getOrDefault("EVENTFLOW_APPLICATION_ID", "eventflow-stream-processor");
                    report.context("stream processor settings", processorEnv.isEmpty() ? "defaults" : processorEnv);
                    Map<String, Long> offsetsBefore = endOffsets(admin, lags);
                    try (ChildJvm processor = ChildJvm.start("stream-processor", StreamProcessorMain.class.getName(), List.of(),
                            processorEnvironment, processorHeap, jvmOptions(processorJavaOptions), work)) {
                        Metrics metrics = new Metrics("http://" + Ports.HOST + ":" + metricsPort + "/metrics");
                        long started = System.nanoTime();
                        long firstConsumed = waitFor(processor, Duration.ofMinutes(3), () -> metrics.sum("eventflow_records_in_total") > 0 ? 1 : 0);
                        long drained = waitFor(processor, Duration.ofMinutes(60), () -> lags.processorLag(applicationId, topics) == 0 ? 1 : 0);
                        double topologySeconds = (drained - firstConsumed) / 1e9;
                        double topologyRate = records / topologySeconds;
                        double cleanRecords = metrics.sum("eventflow_records_out_total") + metrics.sum("eventflow_dead_letters_total");
                        String threadSplit = metrics.threadSplit();
                        step("topology: %,d raw records in %.1f s (%,.0f records/s; %.1f s from JVM start); %,.0f clean records and dead letters out",
                                records, topologySeconds, topologyRate, (drained - started) / 1e9, cleanRecords);
                        report.context("stream thread time split", threadSplit);
                        report.context("topology output", String.format(Locale.ROOT, "%,.0f records to the clean topics and the dead-letter "
                                + "topic (%s)", cleanRecords, metrics.outputs()));
                        Map<String, Long> written = writtenPerKind(offsetsBefore, endOffsets(admin, lags));
                        long writes = written.values().stream().mapToLong(Long::longValue).sum();
                        double amplification = writes / (double) records;
                        report.context("broker writes of the topology (offsets, transaction markers included)", written);
                        report.add("topology.broker_writes_per_raw_record", "topology: broker writes per raw record", amplification,
                                "records", Double.NaN, null, "<= " + SYNTHETIC_WRITES_PIN, amplification <= SYNTHETIC_WRITES_PIN);
                        report.add("topology.broker_bound", "topology: bound = produce ceiling / writes per raw record",
                                produceCeiling / amplification, "records/s", 1 / amplification, produceOf);
                        report.add("topology.records_per_second", "topology: raw records, exactly_once_v2, until lag 0", topologyRate,
                                "records/s", topologyRate / produceCeiling, produceOf, ">= 50,000", topologyRate >= TOPOLOGY_TARGET);

                        if (stopAfter == Phase.topology) {
                            addMemory(report, processor.memory(), connect.memory());
                            return 0;
                        }
                        // 3. Sink throughput: the connectors start on the full clean topics.
                        LocalPipeline.createSinkDeadLetterTopic(stack);
                        long sinkStart = System.nanoTime();
                        Instant sinkStartedAt = Instant.now();
                        new ConnectorDeployer(new ConnectClient(connectUrl), Duration.ofSeconds(5), Duration.ofMinutes(5))
                                .deploy(ConnectorConfigs.render(sinkFlavour, topics, new ConnectorConfigs.Settings(
                                        withParams(stack.jdbcUrl(), sinkUrlParams), LocalPipeline.SINK_ROLE, sinkTasks, sinkBatch, LocalPipeline.SINK_DEAD_LETTERS, 1)), Duration.ofMinutes(2));
                        long sinkDone = waitFor(connect, Duration.ofMinutes(60), () -> lags.sinkLag(topics) == 0 ? 1 : 0);
                        double sinkSeconds = (sinkDone - sinkStart) / 1e9;
                        double sinkRate = cleanRecords / sinkSeconds;
                        Map<String, Long> rows = LocalPipeline.rowCounts(db);
                        step("sink: %,.0f records in %.1f s (%,.0f records/s); rows %s", cleanRecords, sinkSeconds, sinkRate, rows);
                        report.context("rows after the sink phase", rows);
                        Instant[] commits = LocalPipeline.commitRange(db);
                        double writingSeconds = Duration.between(commits[0], commits[1]).toNanos() / 1e9;
                        double writingRate = cleanRecords / writingSeconds;
                        step("sink: first row committed %.1f s after the deploy, last after %.1f s (%,.0f records/s in between)",
                                Duration.between(sinkStartedAt, commits[0]).toNanos() / 1e9,
                                Duration.between(sinkStartedAt, commits[1]).toNanos() / 1e9,
                                writingRate);
                        // The goal is judged on the writing itself: the deploy-to-lag-0 time adds the connectors' start
                        // and the lag polling (offsets are committed once a second, transaction markers are checked).
                        report.add("sink.rows_per_second", "sink: clean records upserted, first to last row commit", writingRate,
                                "rows/s", writingRate / pg.batchUpsert(), "PostgreSQL batch-upsert ceiling", ">= 35,000",
                                writingRate >= SINK_TARGET);
                        report.add("sink.deploy_to_lag_zero_rows_per_second", "sink: the same, from the deploy until lag 0", sinkRate,
                                "rows/s", sinkRate / pg.batchUpsert(), "PostgreSQL batch-upsert ceiling");

                        if (stopAfter == Phase.sink) {
                            addMemory(report, processor.memory(), connect.memory());
                            return 0;
                        }
                        // 4. End-to-end backfill: a replay of a file of new fixtures, until the last row is visible.
                        Path file = SyntheticRecords.writeJsonLines(2, SyntheticRecords.history(records, fixtureCount, SyntheticRecords.BACKFILL_START),
                                work.resolve("backfill.jsonl"));
                        Instant replayStart = Instant.now();
                        Checkpoints checkpoints = Checkpoints.load(bootstrap, publisher, topics.ingestCheckpoints(), Clock.systemUTC());
                        IngestRun replay = new Replayer(publisher, checkpoints, topics, Clock.systemUTC(), 10_000)
                                .replay(new Replayer.Options(List.of(file), ProviderFormat.SYNTHETIC, 0, null, null, true));
                        double replaySeconds = Duration.between(replayStart, Instant.now()).toNanos() / 1e9;
                        waitFor(processor, Duration.ofMinutes(60), () -> lags.processorLag(applicationId, topics) == 0
                                && lags.sinkLag(topics) == 0 ? 1 : 0);
                        Instant lastVisible = LocalPipeline.commitRange(db)[1];
                        double backfillSeconds = Duration.between(replayStart, lastVisible).toNanos() / 1e9;
                        double backfillTarget = Targets.scaledSeconds(BACKFILL_TARGET_SECONDS_PER_MILLION, 1_000_000, records);
                        step("backfill: %,d records replayed in %.1f s, last row visible after %.1f s", replay.recordsPublished(),
                                replaySeconds, backfillSeconds);
                        report.add("backfill.replay_records_per_second", "backfill: replay publishing (file to raw topic)",
                                replay.recordsPublished() / replaySeconds, "records/s", replay.recordsPublished() / replaySeconds / produceCeiling,
                                produceOf);
                        report.add("backfill.seconds", String.format(Locale.ROOT, "backfill: %,d records, replay start to last row visible", records),
                                backfillSeconds, "s", (records / backfillSeconds) / produceCeiling, "produce ceiling (as records/s)",
                                String.format(Locale.ROOT, "<= %.0f s", backfillTarget), backfillSeconds <= backfillTarget);

                        if (stopAfter == Phase.backfill) {
                            addMemory(report, processor.memory(), connect.memory());
                            return 0;
                        }
                        // 5. Real format: football-data files, the pipeline's backfill and the direct batch baseline.
                        if (realRows > 0) {
                            realFormat(report, new Running(stack, topics, publisher, admin, lags, db, processor, connect, metrics,
                                    applicationId, processorEnvironment), work, produceCeiling, pg);
                        }

                        // 7. Memory, peaks over phases 2-5.
                        ChildJvm.Memory processorMemory = processor.memory();
                        ChildJvm.Memory connectMemory = connect.memory();

                        if (stopAfter == Phase.realformat) {
                            addMemory(report, processorMemory, connectMemory);
                            return 0;
                        }
                        // 6. Live freshness.
                        Freshness.installProbe(db);
                        Instant liveStart = Instant.now();
                        Map<Long, Freshness.Sent> sendTimes = Freshness.send(publisher, topics.returnRatesRaw().name(), 3, liveRate,
                                Duration.ofSeconds(liveSeconds));
                        double liveElapsed = Duration.between(liveStart, Instant.now()).toNanos() / 1e9;
                        waitFor(processor, Duration.ofMinutes(10), () -> lags.processorLag(applicationId, topics) == 0
                                && lags.sinkLag(topics) == 0 ? 1 : 0);
                        long sent = (long) (liveRate * liveSeconds);
                        Freshness.Result live = Freshness.measure(db, sendTimes, sent, liveElapsed);
                        Freshness.removeProbe(db);
                        step("live: %,d records at %,.0f records/s; %,d of %,d snapshots seen in PostgreSQL; p50 %.0f ms, p95 %.0f ms, "
                                + "p99 %.0f ms, max %.0f ms", live.sent(), live.rate(), live.observed(), live.snapshots(), live.p50(),
                                live.p95(), live.p99(), live.max());
                        report.context("live snapshots measured", String.format(Locale.ROOT, "%,d of %,d (the rest are duplicates or malformed)",
                                live.observed(), live.sent()));
                        report.add("live.rate", "live: records/s sent", live.rate(), "records/s", live.rate() / liveRate, "requested rate");
                        report.add("live.p50_ms", "live: send to row visible, p50", live.p50(), "ms", live.p50() / LIVE_P99_TARGET_MS, "1 s");
                        report.add("live.p95_ms", "live: send to row visible, p95", live.p95(), "ms", live.p95() / LIVE_P99_TARGET_MS, "1 s");
                        report.add("live.p99_ms", "live: send to row visible, p99", live.p99(), "ms", live.p99() / LIVE_P99_TARGET_MS, "1 s",
                                "<= 1,000 ms", live.p99() <= LIVE_P99_TARGET_MS);
                        report.add("live.max_ms", "live: send to row visible, max", live.max(), "ms", live.max() / LIVE_P99_TARGET_MS, "1 s");

                        addMemory(report, processorMemory, connectMemory);
                    }
                }
            }
        } finally {
            report.context("wall time of the whole run", String.format(Locale.ROOT, "%.0f s", seconds(begin)));
            report.print(out);
            if (json != null) {
                report.writeJson(json);
                out.println("Figures written to " + json);
            }
            if (keep) {
                out.println("Logs kept in " + work);
            } else {
                Directories.deleteRecursively(work);
            }
        }
        return 0;
    }

    /** The pipeline as it runs from the topology phase on. */
    private record Running(LocalStack stack, EventflowTopics topics, RawPublisher publisher, Admin admin, ConsumerLag lags,
                           Connection db, ChildJvm processor, ChildJvm connect, Metrics metrics, String applicationId,
                           Map<String, String> processorEnvironment) {

        boolean landed() throws Exception {
            return lags.processorLag(applicationId, topics) == 0 && lags.sinkLag(topics) == 0;
        }
    }

    /**
     * The real-format phases: copies of the bundled football-data seasons loaded first by the direct
     * batch baseline (the pipeline idle), then replayed through the running pipeline; the topology's
     * rate on these rows, both times, their ratio, and whether both wrote the same rows.
     */
    private void realFormat(Report report, Running pipeline, Path work, double produceCeiling, Ceilings.Postgres pg) throws Exception {
        List<Path> sources;
        try (var files = Files.list(FOOTBALL_DATA)) {
            sources = files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")).sorted().toList();
        }
        FootballDataCopies.DataSet data = FootballDataCopies.write(sources, realRows, work.resolve("real-format"));
        List<String> slugs = CompetitionRows.slugs(data.competitions());
        report.context("real-format load", String.format(Locale.ROOT, "%,d football-data rows: %d files of %s copied %d times "
                + "(%,d rows a copy), %d competitions", data.rows(), sources.size(), FOOTBALL_DATA, data.copies(), data.rowsPerCopy(),
                data.competitions().size()));
        step("real format: %,d rows in %d files", data.rows(), data.files().size());

        // The baseline first, while the pipeline is idle (the backfill phase has landed).
        LocalStack stack = pipeline.stack();
        DirectBaseline.createTables(pipeline.db());
        Instant baselineStart = Instant.now();
        DirectBaseline.Result baseline = DirectBaseline.run(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), data.files(),
                ProcessorConfig.load(null, pipeline.processorEnvironment()).mappingRules(), sinkBatch);
        double baselineSeconds = seconds(baselineStart, CompetitionRows.lastCommit(pipeline.db(), DirectBaseline.TABLE_SUFFIX, slugs));
        Map<String, Long> baselineRows = CompetitionRows.counts(pipeline.db(), DirectBaseline.TABLE_SUFFIX, slugs);
        long baselineWritten = baseline.written().values().stream().mapToLong(Long::longValue).sum();
        step("real format, direct batch baseline: %,d rows read (%,d refused), %,d rows upserted, last commit after %.1f s; rows %s",
                baseline.rowsRead(), baseline.rowsRefused(), baselineWritten, baselineSeconds, baselineRows);
        DirectBaseline.dropTables(pipeline.db());

        // The same files through the pipeline.
        Map<String, Long> offsetsBefore = endOffsets(pipeline.admin(), pipeline.lags());
        double consumedBefore = pipeline.metrics().sum("eventflow_records_in_total");
        Instant replayStart = Instant.now();
        FutureTask<IngestRun> replay = new FutureTask<>(() -> new Replayer(pipeline.publisher(),
                Checkpoints.load(stack.bootstrapServers(), pipeline.publisher(), pipeline.topics().ingestCheckpoints(), Clock.systemUTC()),
                pipeline.topics(), Clock.systemUTC(), 10_000)
                .replay(new Replayer.Options(data.files(), ProviderFormat.FOOTBALL_DATA, 0, null, null, true)));
        new Thread(replay, "real-format-replay").start();
        long firstConsumed = waitFor(pipeline.processor(), Duration.ofMinutes(3), () -> {
            if (replay.isDone()) {
                replay.get();
            }
            return pipeline.metrics().sum("eventflow_records_in_total") > consumedBefore ? 1 : 0;
        });
        IngestRun replayed = replay.get();
        double replaySeconds = seconds(replayStart, Instant.now());
        long drained = waitFor(pipeline.processor(), Duration.ofMinutes(60),
                () -> pipeline.lags().processorLag(pipeline.applicationId(), pipeline.topics()) == 0 ? 1 : 0);
        Map<String, Long> written = writtenPerKind(offsetsBefore, endOffsets(pipeline.admin(), pipeline.lags()));
        waitFor(pipeline.connect(), Duration.ofMinutes(60), () -> pipeline.landed() ? 1 : 0);
        double pipelineSeconds = seconds(replayStart, CompetitionRows.lastCommit(pipeline.db(), "", slugs));
        Map<String, Long> pipelineRows = CompetitionRows.counts(pipeline.db(), "", slugs);
        long published = replayed.recordsPublished();
        double topologyRate = published / ((drained - firstConsumed) / 1e9);
        double amplification = written.values().stream().mapToLong(Long::longValue).sum() / (double) published;
        step("real format, pipeline: %,d rows replayed in %.1f s; topology %,.0f records/s; last row committed after %.1f s; rows %s",
                published, replaySeconds, topologyRate, pipelineSeconds, pipelineRows);

        List<String> differing = CompetitionRows.TABLES.stream()
                .filter(t -> !baselineRows.get(t).equals(pipelineRows.get(t))).toList();
        report.context("real-format rows, pipeline", pipelineRows);
        report.context("real-format rows, direct batch baseline", baselineRows + String.format(Locale.ROOT,
                " (%,d rows read, %,d refused by the mapper)", baseline.rowsRead(), baseline.rowsRefused()));
        report.context("real-format row counts equal (baseline and pipeline)", differing.isEmpty() ? "yes" : "NO, they differ in " + differing);
        report.context("broker writes of the topology on real-format rows", written);
        addRealFormat(report, data.rows(), published, replaySeconds, topologyRate, amplification, baselineSeconds, baselineWritten,
                pipelineSeconds, differing.size(), produceCeiling, pg);
    }

    private void addRealFormat(Report report, long rows, long published, double replaySeconds, double topologyRate, double amplification,
                               double baselineSeconds, long baselineWritten, double pipelineSeconds, int differing,
                               double produceCeiling, Ceilings.Postgres pg) {
        String produceOf = "broker produce ceiling";
        double target = Targets.scaledSeconds(REAL_FORMAT_TARGET_SECONDS, REAL_FORMAT_TARGET_ROWS, rows);
        double ratio = pipelineSeconds / baselineSeconds;
        report.add("realformat.replay_records_per_second", "real format: replay publishing (files to raw topic)", published / replaySeconds,
                "records/s", published / replaySeconds / produceCeiling, produceOf);
        report.add("realformat.topology.broker_writes_per_raw_record", "real format: topology broker writes per raw record", amplification,
                "records", Double.NaN, null, "<= " + REAL_FORMAT_WRITES_PIN, amplification <= REAL_FORMAT_WRITES_PIN);
        report.add("realformat.topology.records_per_second", "real format: topology, football-data rows, exactly_once_v2",
                topologyRate, "records/s", topologyRate / produceCeiling, produceOf, ">= 10,000", topologyRate >= REAL_FORMAT_TOPOLOGY_TARGET);
        report.add("realformat.baseline.seconds", String.format(Locale.ROOT, "real format: direct baseline, %,d rows, to last commit", rows),
                baselineSeconds, "s", baselineWritten / baselineSeconds / pg.batchUpsert(), "batch-upsert ceiling (as rows/s)");
        report.add("realformat.backfill.seconds", String.format(Locale.ROOT, "real format: backfill, %,d rows, replay to last commit", rows),
                pipelineSeconds, "s", ratio, "direct batch baseline",
                String.format(Locale.ROOT, "<= %.0f s", target), pipelineSeconds <= target);
        report.add("realformat.pipeline_to_baseline", "real format: backfill time / baseline time", ratio, "x", Double.NaN, null,
                String.format(Locale.ROOT, "<= %.1f", REAL_FORMAT_RATIO_TARGET), ratio <= REAL_FORMAT_RATIO_TARGET);
        report.add("realformat.tables_with_other_row_counts", "real format: tables whose row count differs from baseline", differing,
                "tables", Double.NaN, null, "= 0", differing == 0);
    }

    private void addMemory(Report report, ChildJvm.Memory processorMemory, ChildJvm.Memory connectMemory) {
        report.add("memory.processor.peak_heap_mib", "memory: stream processor, peak heap used (-Xmx" + processorHeap + ")",
                mib(processorMemory.peakHeapUsed()), "MiB", processorMemory.peakHeapUsed() / (double) HEAP_TARGET, "512 MiB",
                "<= 512 MiB", processorMemory.peakHeapUsed() <= HEAP_TARGET);
        report.add("memory.processor.heap_after_gc_mib", "memory: stream processor, most heap retained after a GC",
                mib(processorMemory.peakHeapAfterGc()), "MiB", processorMemory.peakHeapAfterGc() / (double) HEAP_TARGET, "512 MiB");
        report.add("memory.processor.peak_rss_mib", "memory: stream processor, peak RSS (VmHWM)",
                mib(processorMemory.peakRss()), "MiB", Double.NaN, null);
        report.add("memory.connect.peak_heap_mib", "memory: Connect worker, peak heap used (-Xmx" + connectHeap + ")",
                mib(connectMemory.peakHeapUsed()), "MiB", Double.NaN, null);
        report.add("memory.connect.heap_after_gc_mib", "memory: Connect worker, most heap retained after a GC",
                mib(connectMemory.peakHeapAfterGc()), "MiB", Double.NaN, null);
        report.add("memory.connect.peak_rss_mib", "memory: Connect worker, peak RSS (VmHWM)", mib(connectMemory.peakRss()), "MiB",
                Double.NaN, null);
    }

    private void step(String format, Object... args) {
        out.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    }

    /** Properties the eventflow script passes on (plugin path, home), then {@code extra}. */
    private static List<String> jvmOptions(List<String> extra) {
        List<String> properties = new ArrayList<>();
        for (String name : List.of(LocalStackConfig.PLUGIN_PATH_PROPERTY, "eventflow.home")) {
            String value = System.getProperty(name);
            if (value != null) {
                properties.add("-D" + name + "=" + value);
            }
        }
        properties.addAll(extra);
        return properties;
    }

    private static void awaitConnect(String url, ChildJvm connect) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        waitFor(connect, Duration.ofMinutes(3), () -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(url + "/connectors")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200 ? 1 : 0;
            } catch (java.io.IOException e) {
                return 0;
            }
        });
    }

    @FunctionalInterface
    private interface Check {
        long done() throws Exception;
    }

    /** Polls {@code check} until it returns non-zero; returns System.nanoTime() of that moment. */
    private static long waitFor(ChildJvm process, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            process.requireAlive();
            if (check.done() != 0) {
                return System.nanoTime();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("Timed out after " + timeout + " waiting on the " + process.name());
    }

    /** The end offset of every partition, summed per topic. */
    private static Map<String, Long> endOffsets(Admin admin, ConsumerLag lags) throws Exception {
        Map<String, Long> ends = new java.util.TreeMap<>();
        lags.ends(admin.listTopics().names().get()).forEach((partition, end) -> ends.merge(partition.topic(), end, Long::sum));
        return ends;
    }

    /** Offsets written between two snapshots, by kind of topic (raw input not counted). */
    private static Map<String, Long> writtenPerKind(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> kinds = new java.util.TreeMap<>();
        after.forEach((topic, end) -> {
            long delta = end - before.getOrDefault(topic, 0L);
            if (delta <= 0 || topic.startsWith("provider.") || topic.startsWith("__") || topic.startsWith("eventflow-connect")
                    || topic.startsWith("connect-") || topic.startsWith("ingest.")) {
                return;
            }
            String kind = topic.endsWith("-repartition") ? "repartition topics"
                    : topic.endsWith("-changelog") ? "changelog topics" : "output topics";
            kinds.merge(kind, delta, Long::sum);
        });
        return kinds;
    }

    private static String withParams(String jdbcUrl, String params) {
        return params.isBlank() ? jdbcUrl : jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + params;
    }

    private static double mib(long bytes) {
        return bytes / (double) (1 << 20);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The stream processor's Prometheus endpoint. */
    private static final class Metrics {
        private final HttpClient http = HttpClient.newHttpClient();
        private final URI uri;

        Metrics(String url) {
            this.uri = URI.create(url);
        }

        List<String> lines() {
            try {
                return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body().lines()
                        .filter(line -> !line.startsWith("#")).toList();
            } catch (java.io.IOException e) {
                return List.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }

        /** Sum of every series of {@code name}. */
        double sum(String name) {
            return lines().stream().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        }

        String outputs() {
            List<String> parts = new ArrayList<>();
            for (String line : lines()) {
                if (line.startsWith("eventflow_records_out_total{") || line.startsWith("eventflow_dead_letters_total{")
                        || line.startsWith("eventflow_duplicates_dropped_total{")) {
                    parts.add(line);
                }
            }
            return String.join("; ", parts);
        }

        String threadSplit() {
            List<String> parts = new ArrayList<>();
            for (String line : lines()) {
                if (line.startsWith("kafka_stream_thread_") && line.contains("_ratio")) {
                    parts.add(line.replaceAll("\\{.*\\}", "").replace("kafka_stream_thread_", "").replace("_ratio", ""));
                }
            }
            return String.join(", ", parts);
        }
    }
}
