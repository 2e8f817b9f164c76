package dev.eventflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.quality.QualityDimension;
import dev.eventflow.processor.quality.QualityTally;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** One task's tap: counts per provider and window, in memory, sent on when Streams flushes its stores before a commit. */
class QualityTapProcessorTest {

    static final long NINE = Instant.parse("2026-11-22T09:00:00Z").toEpochMilli();
    static final long MINUTE = 60_000;
    /** The wall clock when the tap sends: the partials' timestamp, whatever their data time. */
    static final long WALL = NINE + 180 * MINUTE;
    /** A fixture's data time five years ahead: the broker would refuse it as a timestamp. */
    static final long YEAR_2031 = Instant.parse("2031-01-06T15:00:00Z").toEpochMilli();

    final MockProcessorContext<String, QualityPartial> context = new MockProcessorContext<>();
    final QualityTapStore store = QualityTapStore.builder("pending").withLoggingDisabled().build();
    final QualityTapProcessor<String> tap = new QualityTapProcessor<>("pending",
            ProcessorConfig.defaults().with(ProcessorConfig.QUALITY_POLLING_PROVIDERS, "p").quality());

    QualityTapProcessorTest() {
        context.setCurrentSystemTimeMs(WALL);
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        tap.init(context);
    }

    void observe(String provider, long dataTime, long receivedAt, boolean valid) {
        observe(provider, dataTime, receivedAt, valid, dataTime);
    }

    void observe(String provider, long dataTime, long receivedAt, boolean valid, long timestamp) {
        tap.process(new Record<>("k", new QualityObservation(provider, dataTime, receivedAt,
                new QualityTally().count(QualityDimension.VALIDITY, valid)), timestamp));
    }

    /** A commit: Streams flushes the task's stores; what the tap forwards then goes out in the commit's transaction. */
    @SuppressWarnings("unchecked")
    List<Record<String, QualityPartial>> commit() {
        store.flushCache();
        List<Record<String, QualityPartial>> sent = context.forwarded().stream()
                .map(forwarded -> (Record<String, QualityPartial>) forwarded.record()).toList();
        context.resetForwards();
        return sent;
    }

    @Test
    void shouldSendEachProvidersWindowsOnceAtTheCommitAndCountPollGaps() {
        observe("p", NINE + MINUTE, NINE + 2 * MINUTE, true);
        observe("p", NINE + 5 * MINUTE, NINE + 11 * MINUTE, false);
        // Received 20 minutes after the previous poll: a late poll, in the 10:00 window.
        observe("p", NINE + 61 * MINUTE, NINE + 31 * MINUTE, true);
        // Received with the previous poll: not a new poll.
        observe("p", NINE + 62 * MINUTE, NINE + 31 * MINUTE, true);
        // No data time of its own: the record's timestamp places it.
        observe("q", QualityObservation.RECORD_TIME, QualityObservation.NOT_POLLED, true, NINE + 30 * MINUTE);
        observe("r", YEAR_2031, QualityObservation.NOT_POLLED, true);

        // Nothing sent or written per record.
        assertThat(context.forwarded()).isEmpty();
        assertThat(store.windows()).isEqualTo(4);

        List<Record<String, QualityPartial>> sent = commit();

        // One record per provider, holding every window it counted; nothing written to the store.
        assertThat(sent).extracting(Record::key, Record::timestamp).containsExactly(
                tuple("p", WALL), tuple("q", WALL), tuple("r", WALL));
        List<Tuple> windows = sent.stream().flatMap(r -> r.value().windows().entrySet().stream().map(window -> tuple(r.key(),
                window.getKey(), window.getValue().numerator(QualityDimension.VALIDITY), window.getValue().denominator(QualityDimension.VALIDITY),
                window.getValue().numerator(QualityDimension.TIMELINESS), window.getValue().denominator(QualityDimension.TIMELINESS),
                window.getValue().maxDataTime()))).toList();
        assertThat(windows).containsExactly(
                tuple("p", NINE, 1L, 2L, 1L, 1L, NINE + 5 * MINUTE),
                tuple("p", NINE + 60 * MINUTE, 2L, 2L, 0L, 1L, NINE + 62 * MINUTE),
                tuple("q", NINE, 1L, 1L, 0L, 0L, NINE + 30 * MINUTE),
                tuple("r", YEAR_2031, 1L, 1L, 0L, 0L, YEAR_2031));
        assertThat(store.written().approximateNumEntries()).isZero();
        assertThat(store.windows()).isZero();
        // Sent once: the next commit has nothing to send; the next record's counts go with the commit after it.
        assertThat(commit()).isEmpty();
        observe("p", NINE + 63 * MINUTE, NINE + 32 * MINUTE, true);
        assertThat(commit()).singleElement().satisfies(record -> {
            assertThat(record.value().windows()).containsOnlyKeys(NINE + 60 * MINUTE);
            assertThat(record.value().windows().get(NINE + 60 * MINUTE).denominator(QualityDimension.VALIDITY)).isEqualTo(1);
            assertThat(record.value().windows().get(NINE + 60 * MINUTE).denominator(QualityDimension.TIMELINESS)).isEqualTo(1);
        });
    }

    @Test
    void shouldLoseWithATaskClosedDirtyOnlyTheCountsOfRecordsNotCommitted() {
        observe("p", NINE + MINUTE, QualityObservation.NOT_POLLED, true);
        assertThat(commit()).hasSize(1);
        // Counted after the last commit: lost with the task, as the offsets of its record are (the record is read again).
        observe("p", NINE + 62 * MINUTE, QualityObservation.NOT_POLLED, true);

        store.clearCache();
        QualityTapProcessor<String> revived = new QualityTapProcessor<>("pending", ProcessorConfig.defaults().quality());
        revived.init(context);

        assertThat(commit()).isEmpty();
    }

    @Test
    void shouldSendAtTheFirstCommitWhatThePreviousVersionLeftInTheStoreAndDeleteIt() {
        // The stage's previous version wrote its counts to the store at each commit and sent them once a second.
        TreeMap<Long, QualityTally> left = new TreeMap<>();
        left.put(NINE, new QualityTally().count(QualityDimension.VALIDITY, false).seenAt(NINE + MINUTE));
        store.written().put("p", new QualityPartial(left));
        QualityTapProcessor<String> upgraded = new QualityTapProcessor<>("pending", ProcessorConfig.defaults().quality());
        upgraded.init(context);
        upgraded.process(new Record<>("k", new QualityObservation("p", NINE + 2 * MINUTE, QualityObservation.NOT_POLLED,
                new QualityTally().count(QualityDimension.VALIDITY, true)), NINE));

        List<Record<String, QualityPartial>> sent = commit();

        assertThat(sent).singleElement().satisfies(record -> {
            assertThat(record.value().windows()).containsOnlyKeys(NINE);
            assertThat(record.value().windows().get(NINE).numerator(QualityDimension.VALIDITY)).isEqualTo(1);
            assertThat(record.value().windows().get(NINE).denominator(QualityDimension.VALIDITY)).isEqualTo(2);
        });
        assertThat(store.written().get("p")).isNull();
        assertThat(commit()).isEmpty();
    }

    @Test
    void shouldSendWithoutWaitingWhenATaskHoldsTooManyWindows() {
        for (int i = 0; i < QualityTapProcessor.MAX_PENDING; i++) {
            observe("p", NINE + i * 60 * MINUTE, QualityObservation.NOT_POLLED, true);
        }

        assertThat(context.forwarded()).hasSize(1);
        assertThat(((QualityPartial) context.forwarded().get(0).record().value()).windows()).hasSize(QualityTapProcessor.MAX_PENDING);
        assertThat(store.windows()).isZero();
    }

    @Test
    void shouldCountEachIngestRunBesideTheWindows() {
        tap.process(new Record<>("k", new QualityObservation("p", NINE + MINUTE, QualityObservation.NOT_POLLED,
                new QualityTally().count(QualityDimension.VALIDITY, true), "run-1"), NINE));
        tap.process(new Record<>("k", new QualityObservation("p", NINE + 61 * MINUTE, QualityObservation.NOT_POLLED,
                new QualityTally().count(QualityDimension.VALIDITY, false), "run-1"), NINE));
        tap.process(new Record<>("k", new QualityObservation("p", NINE + 62 * MINUTE, QualityObservation.NOT_POLLED,
                new QualityTally().count(QualityDimension.VALIDITY, true), "run-2"), NINE));
        // No run known (a bundle an alias moved): counted in its window only.
        observe("p", NINE + 63 * MINUTE, QualityObservation.NOT_POLLED, true);

        List<Record<String, QualityPartial>> sent = commit();

        assertThat(sent).hasSize(1);
        QualityPartial partial = sent.get(0).value();
        assertThat(partial.windows().get(NINE + 60 * MINUTE).denominator(QualityDimension.VALIDITY)).isEqualTo(3);
        assertThat(partial.runs()).containsOnlyKeys("run-1", "run-2");
        assertThat(partial.runs().get("run-1").numerator(QualityDimension.VALIDITY)).isEqualTo(1);
        assertThat(partial.runs().get("run-1").denominator(QualityDimension.VALIDITY)).isEqualTo(2);
        assertThat(partial.runs().get("run-1").maxDataTime()).isEqualTo(NINE + 61 * MINUTE);
        assertThat(partial.runs().get("run-2").denominator(QualityDimension.VALIDITY)).isEqualTo(1);
    }
}
