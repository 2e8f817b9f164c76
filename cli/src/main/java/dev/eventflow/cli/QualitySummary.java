package dev.eventflow.cli;

import dev.eventflow.processor.quality.QualityDimension;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The data-quality scores of a run, per provider, from the table {@code data_quality}: each dimension's numerators
 * and denominators summed over the provider's windows (a sum of counts, not a mean of scores, so a window of ten
 * records weighs ten times less than one of a hundred), and the overall score from those, with the processor's
 * weights (docs/stream-processor.md, "Data quality").
 */
final class QualitySummary {

    /** One provider's counts over every window of the table. */
    record Totals(String provider, long windows, Map<QualityDimension, long[]> counts) {

        long numerator(QualityDimension dimension) {
            return counts.get(dimension)[0];
        }

        long denominator(QualityDimension dimension) {
            return counts.get(dimension)[1];
        }

        /** numerator / denominator, six decimals; null when nothing of the kind was counted. */
        BigDecimal score(QualityDimension dimension) {
            long denominator = denominator(dimension);
            return denominator == 0 ? null
                    : BigDecimal.valueOf(numerator(dimension)).divide(BigDecimal.valueOf(denominator), 6, RoundingMode.HALF_UP);
        }

        /** The weighted mean of the dimensions that have a denominator; null when none has. */
        BigDecimal overall(Map<QualityDimension, Double> weights) {
            double weighted = 0;
            double total = 0;
            for (QualityDimension dimension : QualityDimension.values()) {
                BigDecimal score = score(dimension);
                double weight = weights.getOrDefault(dimension, 1.0);
                if (score != null && weight > 0) {
                    weighted += weight * score.doubleValue();
                    total += weight;
                }
            }
            return total == 0 ? null : BigDecimal.valueOf(weighted / total).setScale(6, RoundingMode.HALF_UP);
        }
    }

    private QualitySummary() {
    }

    /** Every provider's totals, by provider name. */
    static List<Totals> read(Connection db) throws SQLException {
        StringBuilder query = new StringBuilder("SELECT provider, count(*)");
        for (QualityDimension dimension : QualityDimension.values()) {
            query.append(", sum(").append(dimension.id()).append("_numerator), sum(").append(dimension.id()).append("_denominator)");
        }
        query.append(" FROM data_quality GROUP BY provider ORDER BY provider");
        List<Totals> totals = new ArrayList<>();
        try (Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery(query.toString())) {
            while (rs.next()) {
                Map<QualityDimension, long[]> counts = new LinkedHashMap<>();
                int column = 3;
                for (QualityDimension dimension : QualityDimension.values()) {
                    counts.put(dimension, new long[] {rs.getLong(column), rs.getLong(column + 1)});
                    column += 2;
                }
                totals.add(new Totals(rs.getString(1), rs.getLong(2), counts));
            }
        }
        return totals;
    }

    /** The raw records the scores account for: every record read counts once for validity. */
    static long recordsScored(List<Totals> totals) {
        return totals.stream().mapToLong(total -> total.denominator(QualityDimension.VALIDITY)).sum();
    }

    /** Every count of {@code totals} in one string, to see whether they changed. */
    static String signature(List<Totals> totals) {
        StringBuilder signature = new StringBuilder();
        for (Totals total : totals) {
            signature.append(total.provider()).append(':').append(total.windows());
            total.counts().values().forEach(pair -> signature.append(',').append(pair[0]).append('/').append(pair[1]));
            signature.append(';');
        }
        return signature.toString();
    }

    /** The totals as a Markdown table: each cell the score (three decimals) and its counts; {@code -} when none were counted. */
    static void print(PrintWriter out, List<Totals> totals, Map<QualityDimension, Double> weights) {
        StringBuilder header = new StringBuilder("| provider | windows |");
        StringBuilder rule = new StringBuilder("| --- | ---: |");
        for (QualityDimension dimension : QualityDimension.values()) {
            header.append(' ').append(dimension.id()).append(" |");
            rule.append(" ---: |");
        }
        out.println(header.append(" overall |"));
        out.println(rule.append(" ---: |"));
        for (Totals total : totals) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %,d |", total.provider(), total.windows()));
            for (QualityDimension dimension : QualityDimension.values()) {
                BigDecimal score = total.score(dimension);
                row.append(score == null ? " - |" : String.format(Locale.ROOT, " %.3f (%,d/%,d) |", score, total.numerator(dimension),
                        total.denominator(dimension)));
            }
            BigDecimal overall = total.overall(weights);
            row.append(overall == null ? " - |" : String.format(Locale.ROOT, " %.3f |", overall));
            out.println(row);
        }
    }
}
