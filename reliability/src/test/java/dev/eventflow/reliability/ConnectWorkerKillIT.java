package dev.eventflow.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fault 2: the Kafka Connect worker (its own JVM, running every sink connector of the run) killed with SIGKILL
 * at a random point while the sink writes the backfill and a live feed runs, then started again.
 */
class ConnectWorkerKillIT {

    @RegisterExtension
    static final Reliability SHARED = new Reliability();

    @Test
    void shouldLandExactlyTheFaultFreeRowsAfterTheConnectWorkerIsKilledMidSink() throws Exception {
        Reliability.Baseline baseline = SHARED.baseline();
        long seed = Long.getLong("eventflow.reliability.seed", System.currentTimeMillis());
        Random random = new Random(seed);
        FaultStack stack = SHARED.stack();
        try (PipelineRun run = PipelineRun.start(stack, "connect-kill")) {
            run.startProcessor("processor");
            run.publishBackfill();
            long point = (long) (baseline.sinkOffsets() * (0.2 + 0.4 * random.nextDouble()));
            System.out.printf(Locale.ROOT, "Connect worker kill: seed %d, at %,d of the fault-free run's %,d sink offsets%n", seed, point,
                    baseline.sinkOffsets());
            Waits.until(Duration.ofMinutes(10), "the sink committing " + point + " offsets", () -> {
                run.processor("processor").requireAlive();
                return run.sinkCommitted() >= point;
            });
            run.startLiveFeed(Reliability.LIVE_RATE);
            long pid = stack.connectWorker().pid();
            stack.killConnect();
            Instant killed = Instant.now();
            long atKill = run.sinkCommitted();
            stack.startConnect();
            Instant answering = Instant.now();
            Instant resumed = Waits.until(Duration.ofMinutes(5), "the sink committing past " + atKill + " again",
                    () -> run.sinkCommitted() > atKill);
            Instant running = Waits.until(Duration.ofMinutes(5), "every connector and task RUNNING",
                    () -> run.deployer().problems(run.connectorNames()).isEmpty());
            Instant landed = run.awaitLanded(Reliability.LANDED);
            System.out.printf(Locale.ROOT, "Connect worker kill (SIGKILL of pid %d) at %,d sink offsets committed: the new worker answered "
                            + "%.1f s after the kill, the sink committed again %.1f s after the kill, every connector and task RUNNING after "
                            + "%.1f s; everything landed %.1f s after the kill; tasks the sink supervisor restarted: %s%n", pid, atKill,
                    Reliability.seconds(killed, answering),
                    Reliability.seconds(killed, resumed), Reliability.seconds(killed, running), Reliability.seconds(killed, landed),
                    run.supervisorRestarts());
            SHARED.assertSameAsBaseline(run);
        }
    }
}
