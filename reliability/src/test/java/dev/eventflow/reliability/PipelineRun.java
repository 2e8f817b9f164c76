package dev.eventflow.reliability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventflow.cli.ConsumerLag;
import dev.eventflow.ops.OpsServer;
import dev.eventflow.cli.LocalPipeline;
import dev.eventflow.config.Config;
import dev.eventflow.ingest.publish.RawPublisher;
import dev.eventflow.model.IngestRun;
import dev.eventflow.model.topics.EventflowTopics;
import dev.eventflow.model.topics.TopicCreator;
import dev.eventflow.model.topics.TopicDefinition;
import dev.eventflow.processor.app.StreamProcessorMain;
import dev.eventflow.sink.connectors.ConnectClient;
import dev.eventflow.sink.connectors.ConnectorConfigs;
import dev.eventflow.sink.connectors.ConnectorDeployer;
import dev.eventflow.sink.schema.SchemaMigrator;
import dev.eventflow.sink.supervise.SinkSupervisor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One run of the whole pipeline on the shared {@link FaultStack}, isolated from every other run by
 * names: the contract's topics under {@code <name>-<run>}, a PostgreSQL database of its own (schema by
 * the migrations, connectors logging in as the sink role), the six sink connectors (eventflow's COPY sink
 * and Debezium's, as {@code eventflow local} deploys them) under {@code <run>-<name>}, a sink supervisor,
 * and stream-processor instances (each a JVM of its own, {@code eventflow processor} with
 * {@code EVENTFLOW_*} settings) under the application id {@code eventflow-<run>}.
 */
final class PipelineRun implements AutoCloseable {

    static final String SINK_PASSWORD = "reliability";
    private static final Pattern RESTARTS = Pattern.compile(
            "^eventflow_sink_task_restarts_total\\{connector=\"([^\"]+)\",task=\"(\\d+)\"} (\\S+)$", Pattern.MULTILINE);

    private final FaultStack stack;
    private final String id;
    private final Path dir;
    private final Map<String, String> topicSettings;
    private final EventflowTopics topics;
    private final String database;
    private final String applicationId;
    private final Map<String, ObjectNode> connectors;
    private final Map<String, Set<String>> sinkGroups = new LinkedHashMap<>();
    private final ConnectorDeployer deployer;
    private final Admin admin;
    private final ConsumerLag lags;
    private final RawPublisher publisher;
    private final Map<String, ChildJvm> processors = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private SinkSupervisor supervisor;
    private volatile boolean backfillPublished;
    private volatile FutureTask<IngestRun> live;
    private Thread liveThread;

    private PipelineRun(FaultStack stack, String id) {
        this.stack = stack;
        this.id = id;
        this.dir = stack.logDir().resolve(id);
        Map<String, String> names = new TreeMap<>();
        EventflowTopics.defaults().all().forEach(topic -> names.put("topic." + topic.id() + ".name", topic.name() + "-" + id));
        this.topicSettings = Map.copyOf(names);
        this.topics = EventflowTopics.from(Config.of(EventflowTopics.configSpec(), names));
        this.database = "run_" + id.replace('-', '_');
        this.applicationId = "eventflow-" + id;
        Map<String, ObjectNode> rendered = ConnectorConfigs.render(LocalPipeline.DEFAULT_SINK, topics, new ConnectorConfigs.Settings(
                stack.jdbcUrl(database), LocalPipeline.SINK_ROLE, 1, 2000, sinkDeadLetters(), 1));
        Map<String, ObjectNode> named = new LinkedHashMap<>();
        Map<String, String> sinkTopics = ConsumerLag.sinkTopics(topics);
        rendered.forEach((name, config) -> {
            named.put(id + "-" + name, config);
            sinkGroups.put("connect-" + id + "-" + name, Set.of(sinkTopics.get(name)));
        });
        this.connectors = named;
        this.deployer = new ConnectorDeployer(new ConnectClient(stack.connectUrl()), Duration.ofSeconds(5), Duration.ofMinutes(5));
        Map<String, Object> adminConfig = new HashMap<>(stack.clientConfig());
        // Short timeouts: the lags are read in loops that must go on while the broker is down.
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        this.admin = Admin.create(adminConfig);
        this.lags = new ConsumerLag(admin, stack.clientConfig());
        this.publisher = new RawPublisher(stack.bootstrapServers(), Map.of());
    }

    /** Creates the run's topics, database and schema, deploys its connectors and starts its supervisor. */
    static PipelineRun start(FaultStack stack, String id) throws Exception {
        PipelineRun run = new PipelineRun(stack, id);
        try {
            TopicCreator.createMissing(run.admin, run.topics.all(), Optional.of((short) 1));
            run.admin.createTopics(List.of(new NewTopic(run.sinkDeadLetters(), Optional.of(1), Optional.empty()))).all()
                    .get(60, TimeUnit.SECONDS);
            stack.createDatabase(run.database);
            SchemaMigrator.migrate(stack.jdbcUrl(run.database), "postgres", "", LocalPipeline.SINK_ROLE, SINK_PASSWORD);
            run.deployer.deploy(run.connectors, Duration.ofMinutes(2));
            List<String> groups = new ArrayList<>(List.of(run.applicationId));
            groups.addAll(run.sinkGroups.keySet());
            run.supervisor = SinkSupervisor.start(run.deployer, Optional.of(Admin.create(stack.clientConfig())),
                    new SinkSupervisor.Settings(run.connectors.keySet(), groups, Optional.of(stack.jdbcUrl(run.database)),
                            LocalPipeline.SINK_ROLE, SINK_PASSWORD, Duration.ofSeconds(5), OpsServer.DEFAULT_HOST, 0));
            return run;
        } catch (Exception | Error e) {
            run.close();
            throw e;
        }
    }

    String id() {
        return id;
    }

    EventflowTopics topics() {
        return topics;
    }

    String applicationId() {
        return applicationId;
    }

    String jdbcUrl() {
        return stack.jdbcUrl(database);
    }

    String sinkDeadLetters() {
        return LocalPipeline.SINK_DEAD_LETTERS + "-" + id;
    }

    Set<String> connectorNames() {
        return connectors.keySet();
    }

    ConnectorDeployer deployer() {
        return deployer;
    }

    // ---- the stream processor

    /**
     * Starts a stream-processor instance in its own JVM ({@code eventflow processor}), with the processor's
     * default settings but for where to find Kafka, the run's names, and a state directory of the instance's own.
     */
    ChildJvm startProcessor(String instance) {
        Map<String, String> env = new HashMap<>();
        env.put("EVENTFLOW_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("EVENTFLOW_APPLICATION_ID", applicationId);
        env.put("EVENTFLOW_STATE_DIR", stack.dataDir().resolve(id).resolve("streams-" + instance).toString());
        env.put("EVENTFLOW_METRICS_PORT", "0");
        // Names the instance's clients (<instance>-StreamThread-1-consumer), so the group shows which instance holds what.
        env.put("EVENTFLOW_KAFKA_STREAMS_CLIENT_ID", instance);
        topicSettings.forEach((key, value) -> env.put("EVENTFLOW_" + Config.envName(key), value));
        ChildJvm processor = ChildJvm.start(instance, StreamProcessorMain.class.getName(), env, "512m", dir);
        processors.put(instance, processor);
        return processor;
    }

    ChildJvm processor(String instance) {
        return processors.get(instance);
    }

    /** Raw records the processor has committed as processed (its group's offsets on the raw topics). */
    long processed() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Set<String> raw = Set.of(topics.eventsRaw().name(), topics.returnRatesRaw().name());
        return committed.entrySet().stream().filter(e -> raw.contains(e.getKey().topic()) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    /** Records the run's sink connectors have committed as written (their groups' offsets, summed). */
    long sinkCommitted() throws Exception {
        Map<String, org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        sinkGroups.keySet().forEach(group -> specs.put(group, new org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec()));
        var result = admin.listConsumerGroupOffsets(specs);
        long sum = 0;
        for (String group : sinkGroups.keySet()) {
            for (OffsetAndMetadata offset : result.partitionsToOffsetAndMetadata(group).get(10, TimeUnit.SECONDS).values()) {
                sum += offset == null ? 0 : offset.offset();
            }
        }
        return sum;
    }

    long processorLag() throws Exception {
        return lags.processorLag(applicationId, topics);
    }

    long sinkLag() throws Exception {
        return lags.lag(sinkGroups);
    }

    /** The raw and repartition partitions each instance of the processor's group holds now. */
    Map<String, Set<TopicPartition>> assignments() throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId)).describedGroups().get(applicationId)
                .get(10, TimeUnit.SECONDS);
        Map<String, Set<TopicPartition>> byInstance = new TreeMap<>();
        for (MemberDescription member : group.members()) {
            String instance = member.clientId().replaceAll("-StreamThread-\\d+-consumer$", "");
            byInstance.computeIfAbsent(instance, k -> new java.util.TreeSet<>(
                    java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition)))
                    .addAll(member.assignment().topicPartitions());
        }
        return byInstance;
    }

    // ---- the input

    /** Publishes the whole backfill (as fast as the producer goes); returns its runs. */
    List<IngestRun> publishBackfill() throws InterruptedException {
        List<IngestRun> runs = Input.publishBackfill(publisher, topics);
        backfillPublished = true;
        return runs;
    }

    /** Starts publishing the live feed at {@code ratePerSecond} in the background. */
    Future<IngestRun> startLiveFeed(double ratePerSecond) {
        live = new FutureTask<>(() -> Input.publishLive(publisher, topics, ratePerSecond));
        liveThread = new Thread(live, "live-feed-" + id);
        liveThread.setDaemon(true);
        liveThread.start();
        return live;
    }

    /** Raw records on the run's raw topics (end offsets). */
    long rawRecords() throws Exception {
        return lags.ends(Set.of(topics.eventsRaw().name(), topics.returnRatesRaw().name())).values().stream()
                .mapToLong(Long::longValue).sum();
    }

    // ---- waiting

    /**
     * Waits until everything was published and has landed: the processor's and the connectors' lags are 0 in
     * two looks in a row. Every instance of the processor must still be running. Returns when it saw it.
     */
    Instant awaitLanded(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        int quiet = 0;
        String last = "nothing published yet";
        while (Instant.now().isBefore(deadline)) {
            processors.values().forEach(ChildJvm::requireAlive);
            stack.connectWorker().requireAlive();
            boolean published = backfillPublished && (live == null || live.isDone());
            if (live != null && live.isDone()) {
                live.get();
            }
            try {
                long processorLag = processorLag();
                long sinkLag = sinkLag();
                last = String.format(Locale.ROOT, "published %s, processor lag %,d, sink lag %,d", published, processorLag, sinkLag);
                quiet = published && processorLag == 0 && sinkLag == 0 ? quiet + 1 : 0;
                if (quiet >= 2) {
                    return Instant.now();
                }
            } catch (Exception e) {
                last = e.toString();
                quiet = 0;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Run " + id + ": not everything landed within " + timeout + ": " + last
                + "\nsink problems: " + sinkProblems() + "\nsink partitions behind: " + sinkGaps());
    }

    /** Each partition a sink connector has not committed up to its end, with the records in between. */
    private String sinkGaps() {
        try {
            return lags.behind(sinkGroups).toString();
        } catch (Exception e) {
            return "(not known: " + e + ")";
        }
    }

    /** Connectors or tasks of the run that are not RUNNING, with the first line of their trace. */
    String sinkProblems() {
        try {
            return ConnectorDeployer.problemsOf(deployer.states(connectors.keySet())).stream()
                    .map(p -> p.connector() + "/" + p.task() + " " + p.state() + (p.trace() == null ? ""
                            : " (" + p.trace().lines().findFirst().orElse("") + ")")).toList().toString();
        } catch (IOException | InterruptedException e) {
            return "(Connect does not answer: " + e + ")";
        }
    }

    /** What the run's sink supervisor serves on {@code /metrics} now. */
    String supervisorMetrics() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + supervisor.port() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Restarts of each task the run's supervisor made ({@code eventflow_sink_task_restarts_total}), by connector/task. */
    Map<String, Long> supervisorRestarts() throws IOException, InterruptedException {
        Map<String, Long> restarts = new TreeMap<>();
        Matcher m = RESTARTS.matcher(supervisorMetrics());
        while (m.find()) {
            restarts.put(m.group(1).substring(id.length() + 1) + "/" + m.group(2), (long) Double.parseDouble(m.group(3)));
        }
        return restarts;
    }


    // ---- what it produced

    /** The run's tables, its dead letters read as if the producer had written no raw record twice ({@link RawCopies}). */
    Tables.Snapshot tables(RawCopies copies) throws Exception {
        return copies.withoutCopies(Tables.snapshot(jdbcUrl(), id));
    }

    /** The raw records the producer wrote twice (a broker that went away with batches in flight). */
    RawCopies rawCopies() {
        return RawCopies.find(stack.clientConfig(), List.of(topics.eventsRaw().name(), topics.returnRatesRaw().name()), id);
    }

    CleanTopics.Report cleanTopics() {
        List<TopicDefinition<?, ?>> clean = List.of(topics.entitiesClean(), topics.eventsClean(), topics.returnRatesClean(),
                topics.eventsEnriched());
        return CleanTopics.read(stack.clientConfig(), clean);
    }

    /**
     * Stops what the run started: its processors (SIGTERM), its supervisor, its connectors (deleted, so that the
     * shared worker only runs the current run's). Its topics and database stay until the stack stops.
     */
    @Override
    public void close() {
        processors.values().forEach(ChildJvm::close);
        if (liveThread != null) {
            liveThread.interrupt();
            try {
                liveThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        publisher.close();
        if (supervisor != null) {
            supervisor.close();
        }
        for (String name : connectors.keySet()) {
            try {
                http.send(HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors/" + name)).timeout(Duration.ofSeconds(30))
                        .DELETE().build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                // the worker is gone: nothing runs the connector either
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lags.close();
        admin.close();
    }
}
