package dev.eventflow.sink.supervise;

import dev.eventflow.ops.OpsServer;
import dev.eventflow.sink.connectors.ConnectorDeployer;
import dev.eventflow.sink.connectors.ConnectorDeployer.TaskState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the sink and the pipeline around it, every {@code interval}: restarts FAILED connector tasks
 * (with the deployer's backoff) and publishes on {@code /metrics} what an operator alerts on:
 * <ul>
 *   <li>{@code eventflow_sink_connector_state{connector,state}} and {@code eventflow_sink_task_state{connector,task,state}}:
 *       1 for the current state, 0 for the other states Connect knows;</li>
 *   <li>{@code eventflow_sink_task_restarts_total{connector,task}}: restarts the supervisor made;</li>
 *   <li>{@code eventflow_sink_connect_up}: 1 when Connect's REST API answered the last pass;</li>
 *   <li>{@code eventflow_consumer_group_lag{group}}: records not yet consumed by each consumer group
 *       (the stream processor's and each connector's);</li>
 *   <li>{@code eventflow_sink_rows_written{table}}: rows inserted, updated or deleted in each table,
 *       from PostgreSQL's statistics; {@code eventflow_ingest_runs{status}}: ingest runs in
 *       {@code ingest_runs} by status; {@code eventflow_sink_database_up}: 1 when PostgreSQL answered.</li>
 * </ul>
 * A source that does not answer keeps its gauges out of the scrape (never a stale value) and is logged once
 * until it answers again.
 */
public final class SinkSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkSupervisor.class);
    static final List<String> STATES = List.of("RUNNING", "FAILED", "PAUSED", "STOPPED", "UNASSIGNED", "RESTARTING", "MISSING");
    private static final List<String> TABLES = List.of("entities", "events", "return_rates", "events_enriched", "quarantine",
            "ingest_runs", "data_quality", "data_quality_runs");
    private static final List<String> RUN_STATUSES = List.of("RUNNING", "SUCCEEDED", "FAILED");

    /** Where the supervisor looks, and where it serves its metrics. */
    public record Settings(Set<String> connectors, List<String> groups, Optional<String> jdbcUrl, String user, String password,
                           Duration interval, String metricsHost, int metricsPort) {
        @Override
        public String toString() {
            return "Settings[connectors=" + connectors + ", groups=" + groups + ", jdbcUrl=" + jdbcUrl + ", user=" + user
                    + ", interval=" + interval + ", metrics=" + metricsHost + ":" + metricsPort + "]";
        }
    }

    private final ConnectorDeployer deployer;
    private final Optional<Admin> admin;
    private final Settings settings;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge connectorStates;
    private final MultiGauge taskStates;
    private final MultiGauge lags;
    private final MultiGauge rowsWritten;
    private final MultiGauge ingestRuns;
    private final AtomicInteger connectUp = new AtomicInteger();
    private final AtomicInteger databaseUp = new AtomicInteger();
    private final Map<String, Boolean> failing = new HashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "eventflow-sink-supervisor");
        thread.setDaemon(true);
        return thread;
    });
    private final OpsServer ops;
    private Connection connection;
    private volatile boolean closing;

    private SinkSupervisor(ConnectorDeployer deployer, Optional<Admin> admin, Settings settings) {
        this.deployer = deployer;
        this.admin = admin;
        this.settings = settings;
        this.connectorStates = MultiGauge.builder("eventflow.sink.connector.state")
                .description("1 for the connector's current state in Connect, 0 for the others").register(registry);
        this.taskStates = MultiGauge.builder("eventflow.sink.task.state")
                .description("1 for the task's current state in Connect, 0 for the others").register(registry);
        this.lags = MultiGauge.builder("eventflow.consumer.group.lag")
                .description("records of the group's partitions not yet consumed (end offset - committed offset)").register(registry);
        this.rowsWritten = MultiGauge.builder("eventflow.sink.rows.written")
                .description("rows inserted, updated or deleted in the table since PostgreSQL's statistics began").register(registry);
        this.ingestRuns = MultiGauge.builder("eventflow.ingest.runs")
                .description("ingest runs recorded in ingest_runs, by status").register(registry);
        Gauge.builder("eventflow.sink.connect.up", connectUp, AtomicInteger::get)
                .description("1 when Connect's REST API answered the last pass").register(registry);
        Gauge.builder("eventflow.sink.database.up", databaseUp, AtomicInteger::get)
                .description("1 when PostgreSQL answered the last pass").register(registry);
        this.ops = OpsServer.start(settings.metricsHost(), settings.metricsPort(), registry::scrape, () -> true, () -> connectUp.get() == 1,
                () -> connectUp.get() == 1 ? "SUPERVISING" : "CONNECT UNREACHABLE");
    }

    /** Starts the endpoints and the passes (the first at once). */
    public static SinkSupervisor start(ConnectorDeployer deployer, Optional<Admin> admin, Settings settings) {
        SinkSupervisor supervisor = new SinkSupervisor(deployer, admin, settings);
        supervisor.scheduler.scheduleWithFixedDelay(supervisor::pass, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Supervising {} connectors every {}; metrics on port {}", settings.connectors().size(), settings.interval(),
                supervisor.port());
        return supervisor;
    }

    public int port() {
        return ops.port();
    }

    /** One pass; never throws (a failing source is reported by its gauges and logged once). */
    void pass() {
        try {
            superviseConnectors();
            measureLags();
            measureDatabase();
        } catch (RuntimeException | Error e) {
            // A pass that throws would end every later pass of the scheduler without a word.
            LOG.error("Supervision pass failed; the next one runs as planned", e);
        }
    }

    private void superviseConnectors() {
        try {
            List<TaskState> states = deployer.states(settings.connectors());
            List<TaskState> restarted = deployer.restartFailed(states);
            List<MultiGauge.Row<?>> connectors = new ArrayList<>();
            List<MultiGauge.Row<?>> tasks = new ArrayList<>();
            for (TaskState state : states) {
                for (String candidate : STATES) {
                    int value = candidate.equals(state.state()) ? 1 : 0;
                    if (state.task() < 0) {
                        connectors.add(MultiGauge.Row.of(Tags.of("connector", state.connector(), "state", candidate), value));
                    } else {
                        tasks.add(MultiGauge.Row.of(Tags.of("connector", state.connector(), "task", Integer.toString(state.task()),
                                "state", candidate), value));
                    }
                }
            }
            connectorStates.register(connectors, true);
            taskStates.register(tasks, true);
            for (TaskState task : restarted) {
                registry.counter("eventflow.sink.task.restarts", "connector", task.connector(), "task",
                        Integer.toString(task.task())).increment();
            }
            connectUp.set(1);
            recovered("connect");
        } catch (Exception e) {
            connectUp.set(0);
            connectorStates.register(List.of(), true);
            taskStates.register(List.of(), true);
            failed("connect", "Cannot read the connectors' state from Connect: " + e);
        }
    }

    private void measureLags() {
        if (admin.isEmpty() || settings.groups().isEmpty()) {
            return;
        }
        try {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (Map.Entry<String, Long> lag : lags(admin.get(), settings.groups()).entrySet()) {
                rows.add(MultiGauge.Row.of(Tags.of("group", lag.getKey()), lag.getValue()));
            }
            lags.register(rows, true);
            recovered("kafka");
        } catch (Exception e) {
            lags.register(List.of(), true);
            failed("kafka", "Cannot read the consumer groups' lag from Kafka: " + e);
        }
    }

    /** The lag of each group that has committed offsets (end offset for read_committed minus committed offset, summed). */
    static Map<String, Long> lags(Admin admin, List<String> groups) throws Exception {
        Map<String, Long> result = new LinkedHashMap<>();
        for (String group : groups) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            if (committed.isEmpty()) {
                continue;
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS);
            long lag = 0;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
                if (entry.getValue() != null && ends.containsKey(entry.getKey())) {
                    lag += Math.max(0, ends.get(entry.getKey()).offset() - entry.getValue().offset());
                }
            }
            result.put(group, lag);
        }
        return result;
    }

    private void measureDatabase() {
        if (settings.jdbcUrl().isEmpty()) {
            return;
        }
        try {
            if (connection == null || !connection.isValid(5)) {
                closeConnection();
                connection = DriverManager.getConnection(settings.jdbcUrl().get(), settings.user(), settings.password());
                connection.setAutoCommit(true);
            }
            List<MultiGauge.Row<?>> written = new ArrayList<>();
            List<MultiGauge.Row<?>> runs = new ArrayList<>();
            try (Statement statement = connection.createStatement()) {
                try (ResultSet rows = statement.executeQuery("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del "
                        + "FROM pg_stat_user_tables WHERE schemaname = current_schema()")) {
                    while (rows.next()) {
                        if (TABLES.contains(rows.getString(1))) {
                            written.add(MultiGauge.Row.of(Tags.of("table", rows.getString(1)), rows.getLong(2)));
                        }
                    }
                }
                Map<String, Long> byStatus = new LinkedHashMap<>();
                RUN_STATUSES.forEach(status -> byStatus.put(status, 0L));
                try (ResultSet rows = statement.executeQuery("SELECT status, count(*) FROM ingest_runs GROUP BY status")) {
                    while (rows.next()) {
                        byStatus.put(rows.getString(1), rows.getLong(2));
                    }
                }
                byStatus.forEach((status, count) -> runs.add(MultiGauge.Row.of(Tags.of("status", status), count)));
            }
            rowsWritten.register(written, true);
            ingestRuns.register(runs, true);
            databaseUp.set(1);
            recovered("database");
        } catch (SQLException e) {
            databaseUp.set(0);
            rowsWritten.register(List.of(), true);
            ingestRuns.register(List.of(), true);
            closeConnection();
            failed("database", "Cannot read the sink's tables from PostgreSQL: " + e.getMessage());
        }
    }

    private void failed(String source, String message) {
        if (closing) {
            // close() interrupted the pass: the source did not fail.
            return;
        }
        if (failing.put(source, true) == null) {
            LOG.warn(message);
        }
    }

    private void recovered(String source) {
        if (failing.remove(source) != null) {
            LOG.info("{} answers again", source);
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing a broken connection.
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closing = true;
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ops.close();
        closeConnection();
        admin.ifPresent(Admin::close);
    }
}
