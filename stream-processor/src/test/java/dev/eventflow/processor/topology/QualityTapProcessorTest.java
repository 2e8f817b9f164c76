package dev.eventflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.quality.QualityDimension;
import dev.eventflow.processor.quality.QualityTally;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** One task's tap: counts per provider and window, kept in its store until the punctuator sends them on. */
class QualityTapProcessorTest {

    static final long NINE = Instant.parse("2026-11-22T09:00:00Z").toEpochMilli();
    static final long MINUTE = 60_000;
    /** The wall clock when the tap sends: the partials' timestamp, whatever their data time. */
    static final long WALL = NINE + 180 * MINUTE;
    /** A fixture's data time five years ahead: the broker would refuse it as a timestamp. */
    static final long YEAR_2031 = Instant.parse("2031-01-06T15:00:00Z").toEpochMilli();

    final MockProcessorContext<String, QualityPartial> context = new MockProcessorContext<>();
    final KeyValueStore<String, QualityTally> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("pending"),
            Serdes.String(), InternalSerdes.qualityTally()).withLoggingDisabled().build();
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

    List<Record<String, QualityPartial>> punctuate() {
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(0);
        List<Record<String, QualityPartial>> sent = context.forwarded().stream()
                .map(forwarded -> (Record<String, QualityPartial>) forwarded.record()).toList();
        context.resetForwards();
        return sent;
    }

    @Test
    void shouldSendEachProvidersWindowOnceAndCountPollGaps() {
        observe("p", NINE + MINUTE, NINE + 2 * MINUTE, true);
        observe("p", NINE + 5 * MINUTE, NINE + 11 * MINUTE, false);
        // Received 20 minutes after the previous poll: a late poll, in the 10:00 window.
        observe("p", NINE + 61 * MINUTE, NINE + 31 * MINUTE, true);
        // Received with the previous poll: not a new poll.
        observe("p", NINE + 62 * MINUTE, NINE + 31 * MINUTE, true);
        // No data time of its own: the record's timestamp places it.
        observe("q", QualityObservation.RECORD_TIME, QualityObservation.NOT_POLLED, true, NINE + 30 * MINUTE);
        observe("r", YEAR_2031, QualityObservation.NOT_POLLED, true);

        assertThat(context.forwarded()).isEmpty();
        assertThat(store.approximateNumEntries()).isEqualTo(4);

        List<Record<String, QualityPartial>> sent = punctuate();

        assertThat(sent).extracting(Record::key, r -> r.value().windowStart(), Record::timestamp,
                        r -> r.value().tally().numerator(QualityDimension.VALIDITY), r -> r.value().tally().denominator(QualityDimension.VALIDITY),
                        r -> r.value().tally().numerator(QualityDimension.TIMELINESS), r -> r.value().tally().denominator(QualityDimension.TIMELINESS))
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("p", NINE, WALL, 1L, 2L, 1L, 1L),
                        org.assertj.core.groups.Tuple.tuple("p", NINE + 60 * MINUTE, WALL, 2L, 2L, 0L, 1L),
                        org.assertj.core.groups.Tuple.tuple("q", NINE, WALL, 1L, 1L, 0L, 0L),
                        org.assertj.core.groups.Tuple.tuple("r", YEAR_2031, WALL, 1L, 1L, 0L, 0L));
        assertThat(store.approximateNumEntries()).isZero();
        assertThat(punctuate()).isEmpty();
    }

    @Test
    void shouldSendWithoutWaitingWhenATaskHoldsTooManyWindows() {
        for (int i = 0; i < QualityTapProcessor.MAX_PENDING; i++) {
            observe("p", NINE + i * 60 * MINUTE, QualityObservation.NOT_POLLED, true);
        }

        assertThat(context.forwarded()).hasSize(QualityTapProcessor.MAX_PENDING);
        assertThat(store.approximateNumEntries()).isZero();
    }
}
