package dev.eventflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.eventflow.model.IngestRun;
import dev.eventflow.model.IngestRunStatus;
import dev.eventflow.model.QualityRunScore;
import dev.eventflow.model.QualityScore;
import dev.eventflow.model.serde.JsonSerde;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.ProcessorMetrics;
import dev.eventflow.processor.quality.QualityDimension;
import dev.eventflow.processor.quality.QualityTally;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The window merge on its own: when windows are sent, and what a task that starts on existing state (a takeover, a restart) shows and sends. */
class QualityScoresProcessorTest {

    static final long NINE = Instant.parse("2026-11-22T09:00:00Z").toEpochMilli();
    static final long TEN = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();

    final ProcessorMetrics metrics = ProcessorMetrics.inMemory();
    final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
    final KeyValueStore<String, QualityWindow> windows = store("w", InternalSerdes.qualityWindow());
    final QualityBacklogStore backlogs = backlogStore();
    final KeyValueStore<String, QualityWindow> runs = store("r", InternalSerdes.qualityWindow());
    final KeyValueStore<String, IngestRun> ingestRuns = store("i", new JsonSerde<>(IngestRun.class));
    final QualityScoresProcessor processor = processor();
    /** Punctuations a window or run that stays open waits between two sendings, at the defaults (PT10S over PT1S). */
    static final long REFRESH_LOOKS = 10;

    QualityScoresProcessor processor() {
        return new QualityScoresProcessor("w", "b", "r", "i", ProcessorConfig.defaults().quality(), metrics);
    }

    QualityBacklogStore backlogStore() {
        QualityBacklogStore store = new CommitFlushedStore.Builder<>(Stores.inMemoryKeyValueStore("b"), InternalSerdes.qualityBacklog(),
                false, QualityBacklogStore::new).build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    /** A provider's counts not sent yet as a commit writes them (Streams flushes the store before every commit). */
    QualityBacklog committed(String provider) {
        backlogs.flushCache();
        return backlogs.written().get(provider);
    }

    <V> KeyValueStore<String, V> store(String name, org.apache.kafka.common.serialization.Serde<V> serde) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), serde)
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    static QualityTally validity(long passed, long total, long dataTime) {
        return new QualityTally().count(QualityDimension.VALIDITY, passed, total).seenAt(dataTime);
    }

    static QualityPartial partial(long windowStart, QualityTally tally) {
        TreeMap<Long, QualityTally> windows = new TreeMap<>();
        windows.put(windowStart, tally);
        return new QualityPartial(windows);
    }

    void receive(long windowStart, QualityTally tally) {
        processor.process(new Record<>("p", partial(windowStart, tally), context.currentSystemTimeMs()));
    }

    /** Runs the processor's newest punctuator, and returns the windows it sent (start, version, closed, validity) in order. */
    List<org.assertj.core.groups.Tuple> punctuate() {
        return sent(punctuateAll());
    }

    List<Object> punctuateAll() {
        context.resetForwards();
        context.scheduledPunctuators().get(context.scheduledPunctuators().size() - 1).getPunctuator()
                .punctuate(context.currentSystemTimeMs());
        return context.forwarded().stream().map(forwarded -> (Object) forwarded.record().value()).toList();
    }

    /** Runs the processor's newest punctuator, and returns the runs it sent (run, version, closed, validity, published). */
    List<org.assertj.core.groups.Tuple> punctuateRuns() {
        return punctuateAll().stream().filter(QualityRunScore.class::isInstance).map(QualityRunScore.class::cast)
                .map(score -> tuple(score.ingestRunId(), score.version(), score.closed(), score.validity().numerator(),
                        score.validity().denominator(), score.recordsPublished()))
                .toList();
    }

    static List<org.assertj.core.groups.Tuple> sent(List<Object> values) {
        return values.stream().filter(QualityScore.class::isInstance).map(QualityScore.class::cast)
                .map(score -> tuple(score.windowStart().toEpochMilli(), score.version(), score.closed(), score.validity().numerator(),
                        score.validity().denominator()))
                .toList();
    }

    @Test
    void shouldShowTheLatestWindowOfItsStateAtOnceAndCloseWindowsLeftOpen() {
        windows.put("p|" + NINE, new QualityWindow(validity(1, 4, NINE + 600_000), 3, false));
        windows.put("p|" + TEN, new QualityWindow(validity(1, 2, TEN + 600_000), 2, false));
        backlogs.written().put("p", new QualityBacklog(TEN + 600_000, new TreeMap<>(), new TreeMap<>()));
        context.setCurrentSystemTimeMs(TEN + 3_600_000);

        processor.init(context);

        assertThat(metrics.gauge("eventflow.quality.score", "provider", "p", "dimension", "validity")).isEqualTo(0.5);
        assertThat(context.forwarded()).isEmpty();

        // Counts of 10:00 that move the data time past 09:00's end plus grace: 09:00 is sent closed at the next
        // punctuation, 10:00's counts once they have waited a whole interval.
        receive(TEN, validity(1, 1, TEN + 1_200_000));
        assertThat(context.forwarded()).isEmpty();
        assertThat(committed("p").unsent()).containsOnlyKeys(TEN);
        assertThat(committed("p").dataTime()).isEqualTo(TEN + 1_200_000);

        assertThat(punctuate()).containsExactly(tuple(NINE, 4L, true, 1L, 4L));
        assertThat(windows.get("p|" + NINE)).isEqualTo(new QualityWindow(validity(1, 4, NINE + 600_000), 4, true));
        assertThat(punctuate()).containsExactly(tuple(TEN, 3L, false, 2L, 3L));
        assertThat(committed("p").unsent()).isEmpty();
        assertThat(punctuate()).isEmpty();

        processor.close();
        assertThat(metrics.gauge("eventflow.quality.score", "provider", "p", "dimension", "validity")).isNaN();
    }

    @Test
    void shouldSendAWindowOnceItsCountsWaitedAnIntervalWhateverTheNumberOfPartials() {
        context.setCurrentSystemTimeMs(NINE + 3_600_000);
        processor.init(context);
        receive(NINE, validity(1, 1, NINE + 60_000));
        receive(NINE, validity(0, 1, NINE + 120_000));
        assertThat(punctuate()).isEmpty();
        // Another task's counts, after the first punctuation: the same version.
        receive(NINE, validity(2, 2, NINE + 180_000));
        assertThat(punctuate()).containsExactly(tuple(NINE, 1L, false, 3L, 4L));
        assertThat(windows.get("p|" + NINE)).isEqualTo(new QualityWindow(validity(3, 4, NINE + 180_000), 1, false));

        // Counts that keep coming to a window still open wait for quality.refresh-interval (ten intervals) after its
        // last sending, then go as one version.
        long looks = REFRESH_LOOKS;
        for (int i = 1; i < looks; i++) {
            receive(NINE, validity(1, 1, NINE + 240_000));
            assertThat(punctuate()).isEmpty();
        }
        assertThat(punctuate()).containsExactly(tuple(NINE, 2L, false, 3 + looks - 1, 4 + looks - 1));
    }

    @Test
    void shouldSendAnOpenWindowAgainOncePerRefreshIntervalButItsFirstAndClosingVersionsAtOnce() {
        context.setCurrentSystemTimeMs(TEN + 3_600_000);
        processor.init(context);
        receive(NINE, validity(1, 1, NINE + 60_000));
        assertThat(punctuate()).isEmpty();
        assertThat(punctuate()).containsExactly(tuple(NINE, 1L, false, 1L, 1L));

        receive(NINE, validity(1, 1, NINE + 120_000));
        for (int i = 1; i < REFRESH_LOOKS; i++) {
            assertThat(punctuate()).isEmpty();
        }
        assertThat(punctuate()).containsExactly(tuple(NINE, 2L, false, 2L, 2L));

        // A count, then data time past 09:00's end plus grace: 09:00's closing version goes at the next punctuation,
        // refresh or not, with the count; the new window 10:00's first version at the one after.
        receive(NINE, validity(0, 1, NINE + 180_000));
        receive(TEN, validity(1, 1, TEN + 1_200_000));
        assertThat(punctuate()).containsExactly(tuple(NINE, 3L, true, 2L, 3L));
        assertThat(punctuate()).containsExactly(tuple(TEN, 1L, false, 1L, 1L));
        assertThat(punctuate()).isEmpty();
        assertThat(committed("p").unsent()).isEmpty();
    }

    @Test
    void shouldHoldAClosedWindowsCountsWhileItsProviderKeepsSending() {
        context.setCurrentSystemTimeMs(TEN + 3_600_000);
        processor.init(context);
        // A backfill: the data time is far past 09:00, whose counts come again and again (one file after another).
        receive(TEN + 36_000_000, validity(1, 1, TEN + 36_000_000));
        receive(NINE, validity(1, 1, NINE + 60_000));
        for (int i = 1; i < QualityScoresProcessor.LATE_INTERVALS; i++) {
            List<org.assertj.core.groups.Tuple> sent = punctuate();
            if (i == 1) {
                assertThat(sent).isEmpty();
            } else {
                // The open window of the newest data is sent as usual; 09:00 waits.
                assertThat(sent).extracting(t -> t.toList().get(0)).doesNotContain(NINE);
            }
            receive(NINE, validity(0, 1, NINE + 60_000));
        }
        // LATE_INTERVALS (sixty) intervals after its first counts: sent, with everything that came meanwhile.
        long late = QualityScoresProcessor.LATE_INTERVALS;
        assertThat(punctuate()).containsExactly(tuple(NINE, 1L, true, 1L, late));

        // A pause of fewer than QUIET_INTERVALS (five) intervals is not the end: nothing is sent.
        receive(NINE, validity(1, 1, NINE + 60_000));
        for (int i = 0; i < QualityScoresProcessor.QUIET_INTERVALS; i++) {
            assertThat(punctuate()).isEmpty();
        }
        receive(NINE, validity(1, 1, NINE + 60_000));
        for (int i = 0; i < QualityScoresProcessor.QUIET_INTERVALS; i++) {
            assertThat(punctuate()).isEmpty();
        }
        // Then the provider stays quiet: what came is sent at the first punctuation that finds it quiet that long.
        assertThat(punctuate()).containsExactly(tuple(NINE, 2L, true, 3L, late + 2));
        assertThat(punctuate()).isEmpty();
    }

    @Test
    void shouldSendAfterARestartTheCountsItHadNotSent() {
        context.setCurrentSystemTimeMs(NINE + 3_600_000);
        processor.init(context);
        receive(NINE, validity(1, 1, NINE + 60_000));
        punctuate();
        assertThat(punctuate()).containsExactly(tuple(NINE, 1L, false, 1L, 1L));

        // Counts that arrive and are committed, then a crash before they are sent: the restarted task finds them in its
        // store and sends them at its first punctuation. Counts that came after the commit are not in the store: their
        // partials' offsets were not committed either, and they are read again.
        receive(NINE, validity(0, 1, NINE + 240_000));
        backlogs.flushCache();
        receive(NINE, validity(0, 5, NINE + 300_000));
        backlogs.clearCache();
        QualityScoresProcessor restarted = processor();
        restarted.init(context);
        assertThat(punctuate()).containsExactly(tuple(NINE, 2L, false, 1L, 2L));
    }

    @Test
    void shouldSendAtOnceAWindowTheFirstVersionOfTheStageLeftPending() {
        windows.put("p|" + NINE, new QualityWindow(validity(1, 2, NINE + 60_000), 0, false, true));
        context.setCurrentSystemTimeMs(NINE + 3_600_000);
        processor.init(context);

        assertThat(punctuate()).containsExactly(tuple(NINE, 1L, false, 1L, 2L));
        assertThat(windows.get("p|" + NINE).pending()).isFalse();
    }

    static QualityPartial ofRun(String run, QualityTally tally) {
        TreeMap<String, QualityTally> runs = new TreeMap<>();
        runs.put(run, tally);
        return new QualityPartial(new TreeMap<>(), runs);
    }

    void receiveRun(String run, QualityTally tally) {
        processor.process(new Record<>("p", ofRun(run, tally), context.currentSystemTimeMs()));
    }

    static IngestRun run(String id, String command, IngestRunStatus status, long published) {
        return new IngestRun(id, command, "p", "E0.csv", status, Instant.ofEpochMilli(TEN), status == IngestRunStatus.RUNNING ? null
                : Instant.ofEpochMilli(TEN + 1_000), published, published, 0, null, null, null);
    }

    @Test
    void shouldScoreAReplayRunAndCloseItOnceItFinishedAndEveryRecordItPublishedWasCounted() {
        ingestRuns.put("replay-1", run("replay-1", "replay", IngestRunStatus.RUNNING, 0));
        context.setCurrentSystemTimeMs(TEN);
        processor.init(context);

        receiveRun("replay-1", validity(1, 1, NINE));
        assertThat(punctuateRuns()).isEmpty();
        assertThat(punctuateRuns()).containsExactly(tuple("replay-1", 1L, false, 1L, 1L, 0L));
        assertThat(runs.get("p|replay-1")).isEqualTo(new QualityWindow(validity(1, 1, NINE), 1, false));
        assertThat(punctuateRuns()).isEmpty();

        // Finished, three records published, two counted: open still.
        ingestRuns.put("replay-1", run("replay-1", "replay", IngestRunStatus.SUCCEEDED, 3));
        receiveRun("replay-1", validity(0, 1, NINE));
        punctuateRuns();
        assertThat(punctuateRuns()).containsExactly(tuple("replay-1", 2L, false, 1L, 2L, 3L));
        assertThat(committed("p").unsentRuns()).isEmpty();

        receiveRun("replay-1", validity(1, 1, TEN));
        assertThat(committed("p").unsentRuns()).containsOnlyKeys("replay-1");
        punctuateRuns();
        assertThat(punctuateRuns()).containsExactly(tuple("replay-1", 3L, true, 2L, 3L, 3L));
        assertThat(punctuateRuns()).isEmpty();

        // Counts that come after it closed (the event step's, later than the raw records') make a further version.
        QualityTally unique = new QualityTally().count(QualityDimension.UNIQUENESS, 1, 1).seenAt(TEN);
        receiveRun("replay-1", unique);
        punctuateRuns();
        assertThat(punctuateAll()).singleElement().isInstanceOfSatisfying(QualityRunScore.class, score -> {
            assertThat(score.version()).isEqualTo(4);
            assertThat(score.closed()).isTrue();
            assertThat(score.uniqueness()).isEqualTo(new QualityScore.Dimension(1, 1, java.math.BigDecimal.ONE));
            assertThat(score.validity().denominator()).isEqualTo(3);
        });
    }

    /** The task starts, counts {@code counted} records of the running replay {@code id} and sends its first version. */
    void startAndSendRunningReplay(String id, long counted) {
        ingestRuns.put(id, run(id, "replay", IngestRunStatus.RUNNING, 0));
        context.setCurrentSystemTimeMs(TEN);
        processor.init(context);
        receiveRun(id, validity(counted, counted, NINE));
        assertThat(punctuateRuns()).isEmpty();
        assertThat(punctuateRuns()).containsExactly(tuple(id, 1L, false, counted, counted, 0L));
    }

    @Test
    void shouldCloseARunWhoseRecordsWereAllCountedWhenItFinishesAndAfterARestart() {
        startAndSendRunningReplay("replay-2", 2);

        // The task restarts, then the run's last record says it published the two records counted: sent closed, with no
        // new counts.
        QualityScoresProcessor restarted = processor();
        restarted.init(context);
        ingestRuns.put("replay-2", run("replay-2", "replay", IngestRunStatus.FAILED, 2));
        assertThat(punctuateRuns()).containsExactly(tuple("replay-2", 2L, true, 2L, 2L, 2L));
        assertThat(punctuateRuns()).isEmpty();
    }

    @Test
    void shouldSendARunningRunAgainOncePerRefreshIntervalAndAFinishedOneAtOnce() {
        startAndSendRunningReplay("replay-3", 1);

        receiveRun("replay-3", validity(1, 1, NINE));
        for (int i = 1; i < REFRESH_LOOKS; i++) {
            assertThat(punctuateRuns()).isEmpty();
            receiveRun("replay-3", validity(1, 1, NINE));
        }
        assertThat(punctuateRuns()).containsExactly(tuple("replay-3", 2L, false, REFRESH_LOOKS + 1, REFRESH_LOOKS + 1, 0L));

        // Finished with every record counted: sent closed at the second punctuation after its last counts, not ten later.
        long all = REFRESH_LOOKS + 2;
        ingestRuns.put("replay-3", run("replay-3", "replay", IngestRunStatus.SUCCEEDED, all));
        receiveRun("replay-3", validity(1, 1, NINE));
        assertThat(punctuateRuns()).isEmpty();
        assertThat(punctuateRuns()).containsExactly(tuple("replay-3", 3L, true, all, all, all));
    }

    @Test
    void shouldLetPollRunsGoAndScoreARunNobodyKnowsAfterWaitingForIt() {
        ingestRuns.put("poll-1", run("poll-1", "poll", IngestRunStatus.SUCCEEDED, 1));
        context.setCurrentSystemTimeMs(TEN);
        processor.init(context);
        receiveRun("poll-1", validity(1, 1, TEN));
        receiveRun("someone-elses", validity(0, 1, TEN));
        for (int i = 1; i < QualityScoresProcessor.UNKNOWN_RUN_INTERVALS; i++) {
            assertThat(punctuateRuns()).isEmpty();
        }
        assertThat(committed("p").unsentRuns()).containsOnlyKeys("someone-elses");
        assertThat(punctuateRuns()).containsExactly(tuple("someone-elses", 1L, false, 0L, 1L, null));
        assertThat(runs.get("p|poll-1")).isNull();
    }
}
