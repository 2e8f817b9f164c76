package dev.eventflow.processor.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.model.QualityScore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityScoresTest {

    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final long START = Instant.parse("2026-11-22T09:00:00Z").toEpochMilli();
    static final long END = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();

    static Map<QualityDimension, Double> weights(double validity) {
        Map<QualityDimension, Double> weights = new EnumMap<>(QualityDimension.class);
        for (QualityDimension dimension : QualityDimension.values()) {
            weights.put(dimension, 1.0);
        }
        weights.put(QualityDimension.VALIDITY, validity);
        return weights;
    }

    @Test
    void shouldKeepNumeratorAndDenominatorAndRoundTheScoreToSixDecimals() {
        QualityTally tally = new QualityTally().count(QualityDimension.VALIDITY, 2, 3).count(QualityDimension.COMPLETENESS, 1, 8)
                .count(QualityDimension.PLAUSIBILITY, 5, 5);

        QualityScore score = QualityScores.of("p", START, END, tally, weights(1), false, 4, NOW);

        assertThat(score.validity()).isEqualTo(new QualityScore.Dimension(2, 3, new BigDecimal("0.666667")));
        assertThat(score.completeness()).isEqualTo(new QualityScore.Dimension(1, 8, new BigDecimal("0.125")));
        assertThat(score.plausibility()).isEqualTo(new QualityScore.Dimension(5, 5, new BigDecimal("1")));
        assertThat(score.uniqueness()).isEqualTo(new QualityScore.Dimension(0, 0, null));
        // (2/3 + 1/8 + 1) / 3 = 0.597222
        assertThat(score.overall()).isEqualTo(new BigDecimal("0.597222"));
        assertThat(score).extracting(QualityScore::provider, QualityScore::windowStart, QualityScore::windowEnd,
                        QualityScore::closed, QualityScore::version, QualityScore::updatedAt)
                .containsExactly("p", Instant.ofEpochMilli(START), Instant.ofEpochMilli(END), false, 4L, NOW);
    }

    @Test
    void shouldLeaveOutDimensionsWithoutDenominatorOrWeight() {
        QualityTally tally = new QualityTally().count(QualityDimension.VALIDITY, 0, 4).count(QualityDimension.TIMELINESS, 3, 4);

        assertThat(QualityScores.of("p", START, END, tally, weights(0), true, 1, NOW).overall()).isEqualTo(new BigDecimal("0.75"));
        assertThat(QualityScores.of("p", START, END, tally, weights(3), true, 1, NOW).overall()).isEqualTo(new BigDecimal("0.1875"));
        assertThat(QualityScores.of("p", START, END, new QualityTally(), weights(1), true, 1, NOW).overall()).isNull();
    }

    @Test
    void shouldPlaceDataTimesInWindowsAlignedToTheEpochBeforeItToo() {
        QualitySettings settings = new QualitySettings(java.time.Duration.ofHours(1), java.time.Duration.ofMinutes(15),
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(10), java.util.Set.of(), java.time.Duration.ofMinutes(5),
                java.time.Duration.ofMinutes(10), new BigDecimal("0.85"), BigDecimal.ONE, new BigDecimal("0.5"), weights(1));

        assertThat(settings.windowStart(START + 59 * 60_000)).isEqualTo(START);
        assertThat(settings.windowStart(END)).isEqualTo(END);
        assertThat(settings.windowStart(-1)).isEqualTo(-3_600_000);
    }
}
