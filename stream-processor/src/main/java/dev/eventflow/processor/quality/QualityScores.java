package dev.eventflow.processor.quality;

import dev.eventflow.model.QualityRunScore;
import dev.eventflow.model.QualityScore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Map;

/**
 * Turns a window's tally into its {@link QualityScore}, or a run's into its {@link QualityRunScore}: each dimension's
 * fraction and the weighted overall score.
 */
public final class QualityScores {

    private static final int SCALE = 6;

    private QualityScores() {
    }

    public static QualityScore of(String provider, long windowStart, long windowEnd, QualityTally tally,
                                  Map<QualityDimension, Double> weights, boolean closed, long version, Instant updatedAt) {
        Scored s = scored(tally, weights);
        return new QualityScore(provider, Instant.ofEpochMilli(windowStart), Instant.ofEpochMilli(windowEnd),
                s.dimensions[0], s.dimensions[1], s.dimensions[2], s.dimensions[3], s.dimensions[4], s.dimensions[5],
                s.overall, closed, version, updatedAt);
    }

    /** The score of one provider's records of one ingest run. */
    public static QualityRunScore ofRun(String provider, String ingestRunId, Long recordsPublished, QualityTally tally,
                                        Map<QualityDimension, Double> weights, boolean closed, long version, Instant updatedAt) {
        Scored s = scored(tally, weights);
        return new QualityRunScore(provider, ingestRunId, recordsPublished,
                s.dimensions[0], s.dimensions[1], s.dimensions[2], s.dimensions[3], s.dimensions[4], s.dimensions[5],
                s.overall, closed, version, updatedAt);
    }

    private record Scored(QualityScore.Dimension[] dimensions, BigDecimal overall) {
    }

    private static Scored scored(QualityTally tally, Map<QualityDimension, Double> weights) {
        double weighted = 0;
        double weightSum = 0;
        QualityScore.Dimension[] dimensions = new QualityScore.Dimension[QualityDimension.values().length];
        for (QualityDimension dimension : QualityDimension.values()) {
            long numerator = tally.numerator(dimension);
            long denominator = tally.denominator(dimension);
            BigDecimal score = denominator == 0 ? null : rounded(BigDecimal.valueOf(numerator)
                    .divide(BigDecimal.valueOf(denominator), SCALE + 2, RoundingMode.HALF_UP));
            dimensions[dimension.ordinal()] = new QualityScore.Dimension(numerator, denominator, score);
            double weight = weights.get(dimension);
            if (denominator > 0 && weight > 0) {
                weighted += weight * numerator / denominator;
                weightSum += weight;
            }
        }
        return new Scored(dimensions, weightSum == 0 ? null : rounded(BigDecimal.valueOf(weighted / weightSum)));
    }

    private static BigDecimal rounded(BigDecimal value) {
        BigDecimal scaled = value.setScale(SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
        return scaled.scale() < 0 ? scaled.setScale(0) : scaled;
    }
}
