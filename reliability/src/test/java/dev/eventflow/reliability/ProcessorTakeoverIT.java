package dev.eventflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fault 5: two stream-processor instances with the same application id share the work; one is killed with
 * SIGKILL mid-backfill, the other takes over its tasks; then the killed one starts again and the tasks are
 * spread over both again.
 */
class ProcessorTakeoverIT {

    @RegisterExtension
    static final Reliability SHARED = new Reliability();

    @Test
    void shouldLandExactlyTheFaultFreeRowsWhenOneOfTwoInstancesIsKilledAndComesBack() throws Exception {
        SHARED.baseline();
        long seed = Long.getLong("eventflow.reliability.seed", System.currentTimeMillis());
        Random random = new Random(seed);
        try (PipelineRun run = PipelineRun.start(SHARED.stack(), "processor-takeover")) {
            run.startProcessor("instance-a");
            run.startProcessor("instance-b");
            Waits.until(Duration.ofMinutes(5), "both instances holding partitions", () -> {
                Map<String, Set<TopicPartition>> held = run.assignments();
                return held.size() == 2 && held.values().stream().noneMatch(Set::isEmpty);
            });
            Map<String, Set<TopicPartition>> before = run.assignments();
            Set<TopicPartition> all = new HashSet<>();
            before.values().forEach(all::addAll);
            System.out.printf(Locale.ROOT, "two instances: a holds %d partitions, b holds %d%n", before.get("instance-a").size(),
                    before.get("instance-b").size());
            run.publishBackfill();
            run.startLiveFeed(Reliability.LIVE_RATE);
            long point = (long) (Input.backfillRecords() * (0.15 + 0.35 * random.nextDouble()));
            System.out.printf(Locale.ROOT, "instance b killed: seed %d, at %,d backfill records processed%n", seed, point);
            Waits.until(Duration.ofMinutes(10), "the instances processing " + point + " raw records", () -> {
                run.processor("instance-a").requireAlive();
                run.processor("instance-b").requireAlive();
                return run.processed() >= point;
            });
            Set<TopicPartition> ofB = run.assignments().get("instance-b");
            run.processor("instance-b").kill();
            Instant killed = Instant.now();
            long atKill = run.processed();
            Instant takenOver = Waits.until(Duration.ofMinutes(5), "instance a holding every partition", () -> {
                Map<String, Set<TopicPartition>> held = run.assignments();
                return held.size() == 1 && held.getOrDefault("instance-a", Set.of()).containsAll(all);
            });
            Instant resumed = Waits.until(Duration.ofMinutes(5), "instance a committing past " + atKill, () -> {
                run.processor("instance-a").requireAlive();
                return run.processed() > atKill;
            });
            System.out.printf(Locale.ROOT, "instance b (SIGKILL) at %,d raw records processed, holding %d partitions: instance a held every "
                            + "partition %.1f s after the kill; offsets committed past the kill point %.1f s after it%n", atKill, ofB.size(),
                    Reliability.seconds(killed, takenOver), Reliability.seconds(killed, resumed));
            run.startProcessor("instance-b");
            Instant restarted = Instant.now();
            Instant rebalanced = Waits.until(Duration.ofMinutes(5), "instance b holding partitions again", () -> {
                run.processor("instance-b").requireAlive();
                Map<String, Set<TopicPartition>> held = run.assignments();
                return held.size() == 2 && !held.getOrDefault("instance-b", Set.of()).isEmpty();
            });
            Map<String, Set<TopicPartition>> after = run.assignments();
            System.out.printf(Locale.ROOT, "instance b restarted: it held %d partitions %.1f s after its start (a %d): %s%n",
                    after.get("instance-b").size(), Reliability.seconds(restarted, rebalanced), after.get("instance-a").size(),
                    after.get("instance-b"));
            Instant landed = run.awaitLanded(Reliability.LANDED);
            System.out.printf(Locale.ROOT, "two instances: everything landed %.1f s after instance b's restart%n",
                    Reliability.seconds(restarted, landed));
            assertThat(run.assignments().keySet()).containsExactly("instance-a", "instance-b");
            SHARED.assertSameAsBaseline(run);
        }
    }
}
