package dev.eventflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The arithmetic behind the benchmark's figures, on hand-made inputs. */
class MeasuresTest {

    @Test
    void heapFiguresComeFromTheGcLog() {
        List<String> log = List.of(
                "[0.512s][info][gc] Using G1",
                "[1.204s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->6M(256M) 3.100ms",
                "[9.870s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 180M->41M(512M) 8.200ms",
                "[12.001s][info][gc] GC(2) Pause Young (Concurrent Start) (G1 Humongous Allocation) 120M->52M(512M) 5.000ms",
                "[12.050s][info][gc] GC(3) Concurrent Mark Cycle 40.000ms");

        ChildJvm.Memory memory = ChildJvm.heap(log, 123);

        assertThat(memory.peakHeapUsed()).isEqualTo(180L << 20);
        assertThat(memory.peakHeapAfterGc()).isEqualTo(52L << 20);
        assertThat(memory.heapCommitted()).isEqualTo(512L << 20);
        assertThat(memory.collections()).isEqualTo(3);
        assertThat(memory.peakRss()).isEqualTo(123);
    }

    @Test
    void percentilesAreNearestRank() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[i] = i + 1;
        }
        assertThat(Freshness.percentile(values, 50)).isEqualTo(50);
        assertThat(Freshness.percentile(values, 99)).isEqualTo(99);
        assertThat(Freshness.percentile(values, 100)).isEqualTo(100);
        assertThat(Freshness.percentile(new double[] {7}, 99)).isEqualTo(7);
        assertThat(Freshness.percentile(new double[0], 50)).isNaN();
    }

    @Test
    void aSnapshotIsVisibleWithItsOwnVersionOrTheFirstNewerOne() {
        Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
        long base = t0.toEpochMilli();
        long us = base * 1000;
        // Fixture a: snapshots at +0 and +1 ms; the sink wrote only +1 (reduction buffer), committed 300 ms after t0.
        // Fixture b: snapshot at +2 ms written itself, committed 80 ms after t0; +3 ms never written.
        Map<Long, Freshness.Sent> sent = Map.of(
                base, new Freshness.Sent("synthetic:a", t0),
                base + 1, new Freshness.Sent("synthetic:a", t0.plusMillis(1)),
                base + 2, new Freshness.Sent("synthetic:b", t0.plusMillis(2)),
                base + 3, new Freshness.Sent("synthetic:b", t0.plusMillis(3)));
        List<Freshness.Version> versions = List.of(
                new Freshness.Version("event-a", base + 1, us + 300_000),
                new Freshness.Version("event-a", base + 1, us + 400_000),
                new Freshness.Version("event-b", base + 2, us + 80_000));

        Freshness.Result result = Freshness.compute(sent, versions, 5, 2.0);

        assertThat(result.snapshots()).isEqualTo(4);
        assertThat(result.observed()).isEqualTo(3);
        assertThat(result.rate()).isEqualTo(2.5);
        // latencies: a@0 -> 300 ms, a@1 -> 299 ms, b@2 -> 78 ms
        assertThat(result.p50()).isCloseTo(299, within(1e-9));
        assertThat(result.p99()).isCloseTo(300, within(1e-9));
        assertThat(result.max()).isCloseTo(300, within(1e-9));
    }

    @Test
    void timeGoalsScaleWithTheLoad() {
        assertThat(Targets.scaledSeconds(76, 350_000, 350_000)).isEqualTo(76);
        assertThat(Targets.scaledSeconds(76, 350_000, 175_000)).isEqualTo(38);
        assertThat(Targets.scaledSeconds(60, 1_000_000, 100_000)).isCloseTo(6, within(1e-9));
        assertThatThrownBy(() -> Targets.scaledSeconds(60, 0, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
