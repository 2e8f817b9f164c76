package dev.eventflow.cli;

import dev.eventflow.ops.OpsServer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventflow.ingest.ProviderFormat;
import dev.eventflow.ingest.generate.Generator;
import dev.eventflow.ingest.generate.SyntheticFeed;
import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.ingest.replay.Replayer;
import dev.eventflow.ingest.runs.Checkpoints;
import dev.eventflow.localstack.LocalStack;
import dev.eventflow.localstack.LocalStackConfig;
import dev.eventflow.localstack.ShutdownSequence;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicCreator;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.app.StreamProcessorApp;
import dev.eventflow.security.AccessPlan.Role;
import dev.eventflow.sink.connectors.ConnectClient;
import dev.eventflow.sink.connectors.ConnectorConfigs;
import dev.eventflow.sink.connectors.ConnectorDeployer;
import dev.eventflow.sink.schema.SchemaMigrator;
import dev.eventflow.sink.supervise.SinkSupervisor;
import java.io.IOException;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on one machine: the local stack, the PostgreSQL schema, the sink connectors,
 * the stream processor and a publisher for replays and the synthetic live feed, started in that
 * order and stopped in the reverse one.
 */
public final class LocalPipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPipeline.class);
    /** The PostgreSQL role the sink connectors log in as. */
    public static final String SINK_ROLE = "eventflow_sink";
    /** The sink connectors the pipeline deploys: eventflow's COPY sink for the clean tables (connectors/copy/). */
    public static final String DEFAULT_SINK = "copy";
    /** Kafka Connect's dead-letter topic for records the sink connectors cannot write. */
    public static final String SINK_DEAD_LETTERS = "eventflow.sink.dlq";
    /** The tables the sink fills, in the order the summary lists them. */
    public static final List<String> TABLES = List.of("entities", "events", "return_rates", "events_enriched", "quarantine", "ingest_runs");

    /** How often {@link #awaitLanded} looks: the summary comes at most about twice this after the last row. */
    private static final Duration LANDED_POLL = Duration.ofMillis(100);

    private final LocalStack stack;
    private volatile StreamProcessorApp processor;
    private final RawPublisher publisher;
    private volatile ProcessorConfig processorConfig;
    private final Instant started;
    private Thread liveFeed;
    private Admin admin;
    private ConsumerLag lags;
    private final SinkSupervisor supervisor;
    private boolean closed;

    /**
     * @param stack          the stack to start
     * @param metricsPort    port of the processor's /metrics, /health and /ready (0: any free port)
     * @param sinkPassword   password of the sink role when it is created
     * @param sinkBatchSize  rows per JDBC batch
     * @param supervisorPort port of the sink supervisor's /metrics (0: any free port; -1: no supervisor)
     */
    public record Options(LocalStackConfig stack, int metricsPort, String sinkPassword, int sinkBatchSize, int supervisorPort) {
    }

    private LocalPipeline(LocalStack stack, StreamProcessorApp processor, RawPublisher publisher, ProcessorConfig processorConfig,
                          Instant started, SinkSupervisor supervisor) {
        this.supervisor = supervisor;
        this.stack = stack;
        this.processor = processor;
        this.publisher = publisher;
        this.processorConfig = processorConfig;
        this.started = started;
    }

    public static LocalPipeline start(Options options) throws IOException, InterruptedException {
        Instant started = Instant.now();
        LocalStack stack = LocalStack.start(options.stack());
        try {
            // The processor needs only Kafka: it joins its group while the schema and the connectors are set up.
            Map<String, String> topicNames = new HashMap<>();
            stack.config().config().asMap().forEach((key, value) -> {
                if (key.startsWith("topic.")) {
                    topicNames.put(key, value);
                }
            });
            // Each component logs in as its own principal when the broker is secured (docs/security.md).
            topicNames.putAll(stack.security(Role.PROCESSOR).asSettings());
            topicNames.put(ProcessorConfig.APPLICATION_ID, stack.accessPlan().applicationId());
            ProcessorConfig processorConfig = ProcessorConfig.of(topicNames)
                    .with(ProcessorConfig.BOOTSTRAP_SERVERS, stack.bootstrapServers())
                    .with(ProcessorConfig.STATE_DIR, stack.workDir().resolve("streams").toString())
                    .with(ProcessorConfig.METRICS_PORT, Integer.toString(options.metricsPort()));
            StreamProcessorApp processor = StreamProcessorApp.start(processorConfig);
            SinkSupervisor supervisor = null;
            try {
                int migrations = SchemaMigrator.migrate(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword(), SINK_ROLE,
                        options.sinkPassword());
                LOG.info("PostgreSQL schema ready ({} migrations applied)", migrations);
                createSinkDeadLetterTopic(stack);
                ConnectorDeployer deployer = new ConnectorDeployer(new ConnectClient(stack.connectUrl()), Duration.ofSeconds(5),
                        Duration.ofMinutes(5));
                Map<String, ObjectNode> connectors = ConnectorConfigs.render(DEFAULT_SINK, stack.topics(),
                        new ConnectorConfigs.Settings(stack.jdbcUrl(), SINK_ROLE, 1, options.sinkBatchSize(), SINK_DEAD_LETTERS, 1));
                deployer.deploy(connectors, Duration.ofMinutes(2));
                if (options.supervisorPort() >= 0) {
                    List<String> groups = new ArrayList<>(List.of(processorConfig.applicationId()));
                    connectors.keySet().forEach(name -> groups.add("connect-" + name));
                    supervisor = SinkSupervisor.start(deployer, Optional.of(Admin.create(stack.clientConfig(Role.MONITOR))),
                            new SinkSupervisor.Settings(connectors.keySet(), groups, Optional.of(stack.jdbcUrl()), SINK_ROLE,
                                    options.sinkPassword(), Duration.ofSeconds(5), OpsServer.DEFAULT_HOST, options.supervisorPort()));
                }
                awaitRunning(processor);
            } catch (IOException | InterruptedException | RuntimeException e) {
                // Failed, or interrupted: stop what started, waiting for each part as a normal stop does (an
                // interrupt is set aside meanwhile); the catch below stops the stack.
                boolean interrupted = Thread.interrupted() || e instanceof InterruptedException;
                try {
                    if (supervisor != null) {
                        supervisor.close();
                    }
                    processor.close();
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
                throw e;
            }
            RawPublisher publisher = new RawPublisher(stack.bootstrapServers(), stack.security(Role.INGEST).clientConfig());
            LocalPipeline pipeline = new LocalPipeline(stack, processor, publisher, processorConfig, started, supervisor);
            // Closed at JVM exit, before the stack, if its owner never closes it.
            ShutdownSequence.closeOnShutdown(pipeline);
            return pipeline;
        } catch (IOException | InterruptedException | RuntimeException e) {
            boolean interrupted = Thread.interrupted() || e instanceof InterruptedException;
            try {
                stack.close();
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw e;
        }
    }

    private static void awaitRunning(StreamProcessorApp processor) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (processor.state() != KafkaStreams.State.RUNNING) {
            if (Instant.now().isAfter(deadline) || processor.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("The stream processor did not reach RUNNING: " + processor.state());
            }
            Thread.sleep(20);
        }
    }

    /** The stream processor's settings. */
    public ProcessorConfig processorConfig() {
        return processorConfig;
    }

    /** Stops the stream processor (it leaves its group); the rest of the pipeline runs on. */
    public synchronized void stopProcessor() {
        processor.close();
    }

    /** Starts the stream processor again, with {@code config}, and waits until it runs. */
    public synchronized void startProcessor(ProcessorConfig config) throws InterruptedException {
        StreamProcessorApp started = StreamProcessorApp.start(config);
        processor = started;
        processorConfig = config;
        awaitRunning(started);
    }

    /**
     * The connectors' dead-letter topic, made before they start: Connect would create it itself, but
     * logs an ERROR first, and a healthy run prints none.
     */
    public static void createSinkDeadLetterTopic(LocalStack stack) {
        try (Admin admin = Admin.create(stack.clientConfig())) {
            TopicCreator.createIfMissing(admin, new NewTopic(SINK_DEAD_LETTERS, java.util.Optional.of(1), java.util.Optional.empty()));
        }
    }

    public LocalStack stack() {
        return stack;
    }

    public int metricsPort() {
        return processor.healthPort();
    }

    /** The port of the sink supervisor's /metrics; empty without a supervisor. */
    public Optional<Integer> supervisorPort() {
        return Optional.ofNullable(supervisor).map(SinkSupervisor::port);
    }

    public Instant started() {
        return started;
    }

    /** Replays files into the raw topics (see {@link Replayer}), each as its kind's provider (CSV: football-data; JSON lines: synthetic). */
    public IngestRun replay(List<Path> files, boolean fromStart) {
        return replay(files, null, fromStart);
    }

    /** Replays files into the raw topics as {@code provider}'s records (null: by each file's kind). */
    public IngestRun replay(List<Path> files, ProviderFormat provider, boolean fromStart) {
        Checkpoints checkpoints = Checkpoints.load(stack.clientConfig(Role.INGEST), publisher, stack.topics().ingestCheckpoints(),
                Clock.systemUTC());
        return new Replayer(publisher, checkpoints, stack.topics(), Clock.systemUTC(), 10_000)
                .replay(new Replayer.Options(files, provider, 0, null, null, fromStart));
    }

    /** Starts the synthetic live feed at {@code ratePerSecond}, until {@link #close()}. */
    public void startLiveFeed(double ratePerSecond, long seed) {
        SyntheticFeed.Options options = new SyntheticFeed.Options(0, 200, Instant.now(), Duration.ofNanos((long) (1e9 / ratePerSecond)),
                0.02, 0.01, 0.01);
        liveFeed = new Thread(() -> {
            try {
                new Generator(publisher, stack.topics(), Clock.systemUTC()).generate(seed, options, ratePerSecond);
            } catch (InterruptedException | org.apache.kafka.common.errors.InterruptException e) {
                // Stopped by close(): the interrupt may reach the feed inside the producer's flush.
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.error("The live feed stopped: {}", e.toString());
            }
        }, "eventflow-live-feed");
        liveFeed.setDaemon(true);
        liveFeed.start();
    }

    /** What the pipeline holds now. */
    public record Status(long rawRecords, Map<String, Long> rows, long processorLag, long sinkLag) {
    }

    public Status status() throws SQLException, ExecutionException, InterruptedException {
        EventflowTopics topics = stack.topics();
        ConsumerLag lags = lags();
        long raw = lags.ends(Set.of(topics.eventsRaw().name(), topics.returnRatesRaw().name())).values().stream()
                .mapToLong(Long::longValue).sum();
        long processorLag = lags.processorLag(processorConfig.applicationId(), topics);
        long sinkLag = lags.sinkLag(topics);
        return new Status(raw, rowCounts(), processorLag, sinkLag);
    }

    /** One admin client and lag reader for the pipeline's life: status is asked for often. */
    private synchronized ConsumerLag lags() {
        if (lags == null) {
            admin = Admin.create(stack.clientConfig());
            lags = new ConsumerLag(admin, stack.clientConfig());
        }
        return lags;
    }

    /** Waits until the processor and every connector have consumed everything (seen twice in a row). */
    public Status awaitLanded(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        int quiet = 0;
        while (Instant.now().isBefore(deadline)) {
            // Only the lags while waiting (cheap admin requests): the machine's cores are busy landing the data.
            ConsumerLag lags = lags();
            boolean landed = lags.processorLag(processorConfig.applicationId(), stack.topics()) == 0
                    && lags.sinkLag(stack.topics()) == 0;
            quiet = landed ? quiet + 1 : 0;
            if (quiet >= 2) {
                return status();
            }
            Thread.sleep(LANDED_POLL.toMillis());
        }
        throw new IllegalStateException("Not everything landed within " + timeout + ": " + status());
    }

    public Map<String, Long> rowCounts() throws SQLException {
        try (Connection db = connection()) {
            return rowCounts(db);
        }
    }

    /** Rows per sink table, in {@link #TABLES} order. */
    public static Map<String, Long> rowCounts(Connection db) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Statement sql = db.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    /**
     * When the newest row of the sink's tables was committed, if PostgreSQL tracks commit timestamps
     * ({@code track_commit_timestamp}, on in the embedded PostgreSQL); empty otherwise.
     */
    public java.util.Optional<Instant> lastRowCommit() throws SQLException {
        try (Connection db = connection(); Statement sql = db.createStatement()) {
            try (ResultSet on = sql.executeQuery("SELECT current_setting('track_commit_timestamp') = 'on'")) {
                if (!on.next() || !on.getBoolean(1)) {
                    return java.util.Optional.empty();
                }
            }
            return java.util.Optional.ofNullable(commitRange(db)[1]);
        }
    }

    /**
     * Commit times of the oldest and the newest transaction that wrote a row still in a sink table (nulls
     * when there is none); needs {@code track_commit_timestamp}.
     */
    public static Instant[] commitRange(Connection db) throws SQLException {
        StringBuilder query = new StringBuilder("SELECT min(f), max(l) FROM (");
        for (int i = 0; i < TABLES.size(); i++) {
            query.append(i > 0 ? " UNION ALL " : "").append("SELECT min(pg_xact_commit_timestamp(xmin)) AS f, ")
                    .append("max(pg_xact_commit_timestamp(xmin)) AS l FROM ").append(TABLES.get(i));
        }
        query.append(") commits");
        try (Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery(query.toString())) {
            rs.next();
            return new Instant[] {instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2))};
        }
    }

    private static Instant instant(java.sql.Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /**
     * The data-quality scores of one ingest run, per provider ({@code data_quality_runs}), once every provider's row is
     * closed (the run finished and every record it published was counted) and the rows were unchanged for three
     * {@code quality.emit-interval}s plus a second (the event step's counts follow the raw records'), or at the
     * timeout as they are then. Empty when the stage is off.
     */
    Optional<RunQuality> awaitRunQuality(String run, Duration timeout) throws SQLException, InterruptedException {
        if (!processorConfig.qualityEnabled()) {
            return Optional.empty();
        }
        Duration quiet = processorConfig.quality().emitInterval().multipliedBy(3).plusSeconds(1);
        Instant deadline = Instant.now().plus(timeout);
        List<QualitySummary.RunTotals> last = null;
        Instant unchangedSince = Instant.now();
        while (true) {
            List<QualitySummary.RunTotals> runs;
            try (Connection db = connection()) {
                runs = QualitySummary.readRun(db, run);
            }
            if (!runs.equals(last)) {
                last = runs;
                unchangedSince = Instant.now();
            }
            boolean closed = QualitySummary.allClosed(runs);
            if (closed && !Instant.now().isBefore(unchangedSince.plus(quiet)) || !Instant.now().isBefore(deadline)) {
                return Optional.of(new RunQuality(runs, closed, processorConfig.quality().weights()));
            }
            Thread.sleep(LANDED_POLL.toMillis());
        }
    }

    /** The scores of {@link #awaitRunQuality}, whether every row was closed, and the weights of the overall score. */
    record RunQuality(List<QualitySummary.RunTotals> runs, boolean closed,
                      Map<dev.eventflow.processor.quality.QualityDimension, Double> weights) {
    }

    /** Dead letters in the quarantine table, per stage and reason. */
    public Map<String, Long> deadLettersByReason() throws SQLException {
        Map<String, Long> reasons = new LinkedHashMap<>();
        try (Connection db = connection(); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT stage || ': ' || reason, count(*) FROM quarantine GROUP BY 1 ORDER BY 2 DESC, 1")) {
            while (rs.next()) {
                reasons.put(rs.getString(1), rs.getLong(2));
            }
        }
        return reasons;
    }

    public Connection connection() throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword());
    }

    /** Stops everything, newest first; once (a second call, from the shutdown hook for one, waits for the first). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ShutdownSequence.forget(this);
        if (liveFeed != null) {
            liveFeed.interrupt();
            try {
                liveFeed.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        publisher.close();
        if (lags != null) {
            lags.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (supervisor != null) {
            supervisor.close();
        }
        processor.close();
        stack.close();
    }
}
