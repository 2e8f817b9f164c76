package dev.eventflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.model.IngestRun;
import dev.eventflow.model.IngestRunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fault 4: the Kafka broker stopped mid-stream (the processor in the middle of the backfill, the live feed
 * publishing, the sink writing) and started again on the same log directory and port. Nothing is restarted
 * by the test: the producer, the processor and the connectors must come back by themselves.
 */
class BrokerRestartIT {

    @RegisterExtension
    static final Reliability SHARED = new Reliability();

    static final Duration DOWN = Duration.ofSeconds(10);

    @Test
    void shouldLandExactlyTheFaultFreeRowsAfterTheBrokerIsRestartedMidStream() throws Exception {
        SHARED.baseline();
        long seed = Long.getLong("eventflow.reliability.seed", System.currentTimeMillis());
        Random random = new Random(seed);
        FaultStack stack = SHARED.stack();
        try (PipelineRun run = PipelineRun.start(stack, "broker-restart")) {
            run.startProcessor("processor");
            run.publishBackfill();
            long point = (long) (Input.backfillRecords() * (0.2 + 0.4 * random.nextDouble()));
            System.out.printf(Locale.ROOT, "broker restart: seed %d, at %,d backfill records processed%n", seed, point);
            Waits.until(Duration.ofMinutes(10), "the processor processing " + point + " raw records", () -> {
                run.processor("processor").requireAlive();
                return run.processed() >= point;
            });
            // The live feed publishing while the broker goes away
            Future<IngestRun> live = run.startLiveFeed(Reliability.LIVE_RATE);
            Waits.until(Duration.ofMinutes(1), "the live feed publishing", () -> run.rawRecords() > Input.backfillRecords() + 100);
            long raw = run.rawRecords();
            long processed = run.processed();
            long sunk = run.sinkCommitted();
            Instant stopping = Instant.now();
            stack.stopBroker();
            Instant stopped = Instant.now();
            Thread.sleep(DOWN.toMillis());
            stack.startBroker();
            Instant started = Instant.now();
            Instant published = Waits.until(Duration.ofMinutes(5), "the live feed publishing again", () -> run.rawRecords() > raw);
            Instant processing = Waits.until(Duration.ofMinutes(5), "the processor committing again", () -> run.processed() > processed);
            Instant sinking = Waits.until(Duration.ofMinutes(5), "the sink committing again", () -> run.sinkCommitted() > sunk);
            Instant landed = run.awaitLanded(Reliability.LANDED);
            IngestRun liveRun = live.get();
            System.out.printf(Locale.ROOT, "broker restart at %,d raw records processed: stopped in %.1f s, down %.1f s, up again in %.1f s; "
                            + "after the start the producer published again in %.1f s, the processor committed again in %.1f s, the sink in "
                            + "%.1f s; everything landed %.1f s after the start; live feed run %s (%,d records published); tasks the sink "
                            + "supervisor restarted: %s%n",
                    processed, Reliability.seconds(stopping, stopped), DOWN.toMillis() / 1000.0,
                    Reliability.seconds(stopped.plus(DOWN), started), Reliability.seconds(started, published),
                    Reliability.seconds(started, processing), Reliability.seconds(started, sinking), Reliability.seconds(started, landed),
                    liveRun.status(), liveRun.recordsPublished(), run.supervisorRestarts());
            assertThat(liveRun.status()).isEqualTo(IngestRunStatus.SUCCEEDED);
            SHARED.assertSameAsBaseline(run);
        }
    }
}
