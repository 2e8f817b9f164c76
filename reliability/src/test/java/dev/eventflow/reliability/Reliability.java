package dev.eventflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the fault tests share for the whole test run (every test class of the module, in one JVM): one
 * {@link FaultStack}, started before the first test class and stopped after the last, and one fault-free
 * run of the {@link Input} on it, the baseline every fault run's tables are compared with.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final Reliability SHARED = new Reliability();
 * }</pre>
 */
final class Reliability implements BeforeAllCallback {

    /** Rate of the live feed in every run, the baseline's included: about 30 s of live records. */
    static final double LIVE_RATE = 100;
    static final Duration LANDED = Duration.ofMinutes(10);

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Reliability.class);

    private Shared shared;

    /**
     * The fault-free run: its tables, what its clean topics hold, how long it took, and the offsets its sink
     * connectors committed in all (where a fault run's "mid-sink" points are chosen).
     */
    record Baseline(Tables.Snapshot tables, CleanTopics.Report topics, Duration took, long sinkOffsets) {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        shared = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Shared.class, key -> new Shared(), Shared.class);
    }

    FaultStack stack() {
        return shared.stack();
    }

    Baseline baseline() throws Exception {
        return shared.baseline();
    }

    /** Compares a fault run's tables and clean topics with the baseline's, and prints what it compared. */
    void assertSameAsBaseline(PipelineRun run) throws Exception {
        Baseline baseline = baseline();
        RawCopies copies = run.rawCopies();
        Tables.Snapshot tables = run.tables(copies);
        List<String> differences = Tables.differences(baseline.tables(), tables, 5);
        CleanTopics.Report topics = run.cleanTopics();
        System.out.printf(Locale.ROOT, "%s: %,d rows %s, every compared column of every row %s the fault-free run's (version stamps "
                        + "not compared on rows of events several sources feed: %s); clean topics %s, versions read twice "
                        + "(read_committed): %,d; raw records the producer wrote twice: %,d (%s)%n", run.id(), tables.rows(),
                tables.counts(), differences.isEmpty() ? "equal to" : "NOT equal to", tables.stampsNotCompared(), topics.records(),
                topics.totalRepeated(), copies.count(), copies);
        assertThat(differences).as("differences between the tables of %s and the fault-free run's", run.id()).isEmpty();
        assertThat(topics.examples()).as("versions of a row on the clean topics of %s read twice (read_committed)", run.id())
                .isEmpty();
    }

    static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    /** The shared stack and the baseline; closed by JUnit after the last test of the run. */
    static final class Shared implements AutoCloseable {

        private final FaultStack stack = FaultStack.start(Path.of("target", "reliability").toAbsolutePath());
        private Baseline baseline;

        FaultStack stack() {
            return stack;
        }

        synchronized Baseline baseline() throws Exception {
            if (baseline == null) {
                baseline = runBaseline(stack);
            }
            return baseline;
        }

        @Override
        public void close() {
            stack.close();
        }
    }

    /** The input through the pipeline with no fault: once per test run. */
    static Baseline runBaseline(FaultStack stack) throws Exception {
        try (PipelineRun run = PipelineRun.start(stack, "baseline")) {
            Instant start = Instant.now();
            run.startProcessor("processor");
            run.publishBackfill();
            run.startLiveFeed(LIVE_RATE);
            Instant landed = run.awaitLanded(LANDED);
            RawCopies copies = run.rawCopies();
            Tables.Snapshot tables = run.tables(copies);
            CleanTopics.Report topics = run.cleanTopics();
            Duration took = Duration.between(start, landed);
            System.out.printf(Locale.ROOT, "Fault-free run: %,d raw records (%,d backfill, %,d live at %.0f/s) landed in %.1f s as %,d rows %s; "
                            + "clean topics %s, versions read twice: %,d; raw records the producer wrote twice: %,d%n", run.rawRecords(),
                    Input.backfillRecords(), Input.LIVE_RECORDS, LIVE_RATE, took.toMillis() / 1000.0, tables.rows(), tables.counts(),
                    topics.records(), topics.totalRepeated(), copies.count());
            assertThat(tables.rows()).as("rows the backfill lands").isGreaterThanOrEqualTo(100_000);
            assertThat(topics.examples()).as("versions of a row read twice in the fault-free run").isEmpty();
            // The input's own duplicates (2 %) are sent twice on purpose, and must not be taken for the producer's copies.
            assertThat(copies.count()).as("raw records the producer wrote twice in the fault-free run: %s", copies).isZero();
            Map<String, Integer> counts = tables.counts();
            assertThat(counts.get("quarantine")).as("dead letters quarantined").isPositive();
            return new Baseline(tables, topics, took, run.sinkCommitted());
        }
    }
}
