package dev.eventflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fault 1: the stream processor (its own JVM, exactly_once_v2) killed with SIGKILL three times at random
 * points of a backfill, while a live feed runs, and started again each time on the same state directory.
 */
class ProcessorKillIT {

    @RegisterExtension
    static final Reliability SHARED = new Reliability();

    @Test
    void shouldLandExactlyTheFaultFreeRowsAfterThreeKillsOfTheProcessor() throws Exception {
        SHARED.baseline();
        long seed = Long.getLong("eventflow.reliability.seed", System.currentTimeMillis());
        Random random = new Random(seed);
        try (PipelineRun run = PipelineRun.start(SHARED.stack(), "processor-kill")) {
            run.startProcessor("processor");
            run.publishBackfill();
            run.startLiveFeed(Reliability.LIVE_RATE);
            long backfill = Input.backfillRecords();
            System.out.printf(Locale.ROOT, "processor kills: seed %d (-Deventflow.reliability.seed=%d repeats these points)%n", seed, seed);
            Instant lastRestart = null;
            for (int kill = 1; kill <= 3; kill++) {
                // A random point in each third of the backfill, at least where the previous restart resumed
                long point = (long) (backfill * (kill - 1 + 0.1 + 0.8 * random.nextDouble()) / 3);
                long target = Math.max(point, run.processed() + 1);
                Waits.until(Duration.ofMinutes(5), "the processor processing " + target + " raw records", () -> {
                    run.processor("processor").requireAlive();
                    return run.processed() >= target;
                });
                run.processor("processor").kill();
                Instant killed = Instant.now();
                long atKill = run.processed();
                run.startProcessor("processor");
                Instant restarted = Instant.now();
                Instant resumed = Waits.until(Duration.ofMinutes(5), "the restarted processor committing past " + atKill, () -> {
                    run.processor("processor").requireAlive();
                    return run.processed() > atKill;
                });
                lastRestart = restarted;
                System.out.printf(Locale.ROOT, "processor kill %d (SIGKILL) at %,d of %,d backfill raw records processed: processing "
                                + "again (offsets committed past the kill point) %.1f s after the kill, %.1f s after the restart%n",
                        kill, atKill, backfill, Reliability.seconds(killed, resumed), Reliability.seconds(restarted, resumed));
            }
            Instant landed = run.awaitLanded(Reliability.LANDED);
            System.out.printf(Locale.ROOT, "processor kills: everything landed (processor and sink lag 0) %.1f s after the third restart%n",
                    Reliability.seconds(lastRestart, landed));
            SHARED.assertSameAsBaseline(run);
            assertThat(run.processed()).isEqualTo(run.rawRecords());
        }
    }
}
