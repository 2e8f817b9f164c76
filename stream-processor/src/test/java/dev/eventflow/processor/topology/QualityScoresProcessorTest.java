package dev.eventflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.model.QualityScore;
import dev.eventflow.processor.ProcessorConfig;
import dev.eventflow.processor.ProcessorMetrics;
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

/** The window merge on its own: what a task that starts on existing state (a takeover, a restart) shows and sends. */
class QualityScoresProcessorTest {

    static final long NINE = Instant.parse("2026-11-22T09:00:00Z").toEpochMilli();
    static final long TEN = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();

    final ProcessorMetrics metrics = ProcessorMetrics.inMemory();
    final MockProcessorContext<String, QualityScore> context = new MockProcessorContext<>();
    final KeyValueStore<String, QualityWindow> windows = store("w", InternalSerdes.qualityWindow());
    final KeyValueStore<String, Long> dataTimes = store("t", Serdes.Long());
    final QualityScoresProcessor processor = new QualityScoresProcessor("w", "t", ProcessorConfig.defaults().quality(), metrics);

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

    @Test
    void shouldShowTheLatestWindowOfItsStateAtOnceAndCloseWindowsLeftOpen() {
        windows.put("p|" + NINE, new QualityWindow(validity(1, 4, NINE + 600_000), 3, false, false));
        windows.put("p|" + TEN, new QualityWindow(validity(1, 2, TEN + 600_000), 2, false, false));
        dataTimes.put("p", TEN + 600_000);
        context.setCurrentSystemTimeMs(TEN + 3_600_000);

        processor.init(context);

        assertThat(metrics.gauge("eventflow.quality.score", "provider", "p", "dimension", "validity")).isEqualTo(0.5);
        assertThat(context.forwarded()).isEmpty();

        // Counts of 10:00 that move the data time past 09:00's end plus grace: 10:00's next version, then 09:00 closed.
        processor.process(new Record<>("p", new QualityPartial(TEN, validity(1, 1, TEN + 1_200_000)), TEN + 1_200_000));
        // Kept as pending, sent at the next punctuation.
        assertThat(context.forwarded()).isEmpty();
        assertThat(windows.get("p|" + TEN).pending()).isTrue();
        punctuate();

        List<QualityScore> sent = context.forwarded().stream().map(forwarded -> (QualityScore) forwarded.record().value()).toList();
        assertThat(sent).extracting(QualityScore::windowStart, QualityScore::version, QualityScore::closed,
                        score -> score.validity().numerator(), score -> score.validity().denominator())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Instant.ofEpochMilli(TEN), 3L, false, 2L, 3L),
                        org.assertj.core.groups.Tuple.tuple(Instant.ofEpochMilli(NINE), 4L, true, 1L, 4L));
        assertThat(windows.get("p|" + NINE)).isEqualTo(new QualityWindow(validity(1, 4, NINE + 600_000), 4, true, false));
        assertThat(dataTimes.get("p")).isEqualTo(TEN + 1_200_000);

        processor.close();
        assertThat(metrics.gauge("eventflow.quality.score", "provider", "p", "dimension", "validity")).isNaN();
    }

    @Test
    void shouldSendAWindowOncePerPunctuationWhateverTheNumberOfPartialsAndAfterARestartWhatWasPending() {
        context.setCurrentSystemTimeMs(NINE + 3_600_000);
        processor.init(context);
        processor.process(new Record<>("p", new QualityPartial(NINE, validity(1, 1, NINE + 60_000)), NINE));
        processor.process(new Record<>("p", new QualityPartial(NINE, validity(0, 1, NINE + 120_000)), NINE));
        processor.process(new Record<>("p", new QualityPartial(NINE, validity(2, 2, NINE + 180_000)), NINE));
        punctuate();

        List<QualityScore> sent = context.forwarded().stream().map(forwarded -> (QualityScore) forwarded.record().value()).toList();
        assertThat(sent).extracting(QualityScore::version, QualityScore::closed, score -> score.validity().numerator(),
                score -> score.validity().denominator()).containsExactly(org.assertj.core.groups.Tuple.tuple(1L, false, 3L, 4L));

        // Counts that arrive, then a crash before the punctuation: the restarted task finds them pending and sends them.
        processor.process(new Record<>("p", new QualityPartial(NINE, validity(1, 1, NINE + 240_000)), NINE));
        context.resetForwards();
        QualityScoresProcessor restarted = new QualityScoresProcessor("w", "t", ProcessorConfig.defaults().quality(), metrics);
        restarted.init(context);
        assertThat(context.forwarded()).isEmpty();
        context.scheduledPunctuators().get(context.scheduledPunctuators().size() - 1).getPunctuator().punctuate(NINE);
        assertThat(context.forwarded()).extracting(forwarded -> ((QualityScore) forwarded.record().value()).version(),
                forwarded -> ((QualityScore) forwarded.record().value()).validity().denominator()).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2L, 5L));
    }

    private void punctuate() {
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(context.currentSystemTimeMs());
    }
}
