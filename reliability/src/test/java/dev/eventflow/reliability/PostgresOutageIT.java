package dev.eventflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.sink.connectors.ConnectorDeployer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fault 3: PostgreSQL stopped for 30 s while the sink writes the backfill and a live feed runs, then started
 * again on the same data directory. The connectors' tasks fail or retry, the sink supervisor restarts the
 * failed ones with its backoff, nothing is lost, and the outage shows in the supervisor's metrics.
 */
class PostgresOutageIT {

    @RegisterExtension
    static final Reliability SHARED = new Reliability();

    static final Duration OUTAGE = Duration.ofSeconds(30);
    static final Pattern FAILED_TASK = Pattern.compile("^eventflow_sink_task_state\\{[^}]*state=\"FAILED\"[^}]*} 1\\.0$", Pattern.MULTILINE);

    @Test
    void shouldLandExactlyTheFaultFreeRowsAfterPostgresIsDownForThirtySeconds() throws Exception {
        Reliability.Baseline baseline = SHARED.baseline();
        long seed = Long.getLong("eventflow.reliability.seed", System.currentTimeMillis());
        Random random = new Random(seed);
        FaultStack stack = SHARED.stack();
        try (PipelineRun run = PipelineRun.start(stack, "postgres-outage")) {
            run.startProcessor("processor");
            run.publishBackfill();
            long point = (long) (baseline.sinkOffsets() * (0.2 + 0.3 * random.nextDouble()));
            System.out.printf(Locale.ROOT, "PostgreSQL outage: seed %d, at %,d of the fault-free run's %,d sink offsets%n", seed, point,
                    baseline.sinkOffsets());
            Waits.until(Duration.ofMinutes(10), "the sink committing " + point + " offsets", () -> {
                run.processor("processor").requireAlive();
                return run.sinkCommitted() >= point;
            });
            long atStop = run.sinkCommitted();
            // The live feed's 30 s run through the outage: dead letters and ingest runs for Debezium's connectors too
            run.startLiveFeed(Reliability.LIVE_RATE);
            stack.stopPostgres();
            Instant stopped = Instant.now();
            Map<String, Instant> failed = new TreeMap<>();
            boolean databaseDownSeen = false;
            boolean failedTaskSeen = false;
            while (Instant.now().isBefore(stopped.plus(OUTAGE))) {
                String metrics = run.supervisorMetrics();
                databaseDownSeen |= metrics.contains("eventflow_sink_database_up 0.0");
                failedTaskSeen |= FAILED_TASK.matcher(metrics).find();
                noteFailed(run, failed);
                Thread.sleep(500);
            }
            stack.startPostgres();
            Instant started = Instant.now();
            Instant resumed = Waits.until(Duration.ofMinutes(5), "the sink committing past " + atStop, () -> {
                noteFailed(run, failed);
                return run.sinkCommitted() > atStop;
            });
            Instant running = Waits.until(Duration.ofMinutes(10), "every connector and task RUNNING", () -> {
                noteFailed(run, failed);
                return run.deployer().problems(run.connectorNames()).isEmpty();
            });
            Instant landed = run.awaitLanded(Reliability.LANDED);
            // The supervisor looks at PostgreSQL once per pass (every 5 s here), so the rows can land before its first
            // pass after the start: the recovery shows at the next pass.
            Instant seenUp = Waits.until(Duration.ofSeconds(30), "eventflow_sink_database_up 1 after the start",
                    () -> run.supervisorMetrics().contains("eventflow_sink_database_up 1.0"));
            Map<String, Long> restarts = run.supervisorRestarts();
            System.out.printf(Locale.ROOT, "PostgreSQL stopped for %.1f s at %,d sink offsets committed: eventflow_sink_database_up 0 seen "
                            + "%s, eventflow_sink_task_state FAILED seen %s; tasks seen FAILED (first seen after the stop): %s; supervisor "
                            + "restarts (eventflow_sink_task_restarts_total): %s; after the start the sink committed again in %.1f s, every "
                            + "task RUNNING in %.1f s, everything landed in %.1f s, eventflow_sink_database_up 1 in %.1f s%n",
                    Reliability.seconds(stopped, started), atStop, databaseDownSeen ? "yes" : "no", failedTaskSeen ? "yes" : "no",
                    describe(failed, stopped), restarts,
                    Reliability.seconds(started, resumed), Reliability.seconds(started, running), Reliability.seconds(started, landed),
                    Reliability.seconds(started, seenUp));
            assertThat(databaseDownSeen).as("the outage visible as eventflow_sink_database_up 0").isTrue();
            assertThat(failedTaskSeen).as("a failed task visible as eventflow_sink_task_state{state=FAILED} 1").isTrue();
            assertThat(failed).as("tasks the outage failed").isNotEmpty();
            assertThat(restarts.keySet()).as("tasks the supervisor restarted").containsAll(failed.keySet());
            SHARED.assertSameAsBaseline(run);
        }
    }

    private static void noteFailed(PipelineRun run, Map<String, Instant> failed) {
        try {
            for (ConnectorDeployer.TaskState state : run.deployer().states(run.connectorNames())) {
                if (state.state().equals("FAILED") && state.task() >= 0) {
                    failed.putIfAbsent(state.connector().substring(run.id().length() + 1) + "/" + state.task(), Instant.now());
                }
            }
        } catch (Exception e) {
            // Connect does not answer this time: the next look will
        }
    }

    private static String describe(Map<String, Instant> failed, Instant stopped) {
        StringBuilder text = new StringBuilder();
        failed.forEach((task, when) -> text.append(text.length() == 0 ? "" : ", ").append(task)
                .append(String.format(Locale.ROOT, " (%.1f s)", Reliability.seconds(stopped, when))));
        return text.length() == 0 ? "none" : text.toString();
    }
}
