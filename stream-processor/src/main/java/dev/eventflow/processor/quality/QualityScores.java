package dev.eventflow.processor.quality;

import dev.eventflow.model.QualityScore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Map;

/** Turns a window's tally into its {@link QualityScore}: each dimension's fraction and the weighted overall score. */
public final class QualityScores {

    private static final int SCALE = 6;

    private QualityScores() {
    }

    public static QualityScore of(String provider, long windowStart, long windowEnd, QualityTally tally,
                                  Map<QualityDimension, Double> weights, boolean closed, long version, Instant updatedAt) {
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
        BigDecimal overall = weightSum == 0 ? null : rounded(BigDecimal.valueOf(weighted / weightSum));
        return new QualityScore(provider, Instant.ofEpochMilli(windowStart), Instant.ofEpochMilli(windowEnd),
                dimensions[0], dimensions[1], dimensions[2], dimensions[3], dimensions[4], dimensions[5],
                overall, closed, version, updatedAt);
    }

    private static BigDecimal rounded(BigDecimal value) {
        BigDecimal scaled = value.setScale(SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
        return scaled.scale() < 0 ? scaled.setScale(0) : scaled;
    }
}
