package dev.eventflow.cli;

import dev.eventflow.model.QualityScore;
import dev.eventflow.processor.quality.QualityDimension;
import dev.eventflow.processor.quality.QualityScores;
import dev.eventflow.processor.quality.QualityTally;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The data-quality scores of a run, per provider, from the table {@code data_quality}: each dimension's numerators
 * and denominators summed over the provider's windows (a sum of counts, not a mean of scores, so a window of ten
 * records weighs ten times less than one of a hundred), scored as the processor scores a window
 * ({@link QualityScores}), with its weights (docs/stream-processor.md, "Data quality").
 */
final class QualitySummary {

    /** One provider's counts over every window of the table. */
    record Totals(String provider, long windows, QualityTally tally) {

        /** The counts scored as one window would be. */
        QualityScore score(Map<QualityDimension, Double> weights) {
            return QualityScores.of(provider, 0, 0, tally, weights, false, 0, Instant.EPOCH);
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
                QualityTally tally = new QualityTally();
                int column = 3;
                for (QualityDimension dimension : QualityDimension.values()) {
                    long passed = rs.getLong(column);
                    long total = rs.getLong(column + 1);
                    tally.count(dimension, passed, total);
                    column += 2;
                }
                totals.add(new Totals(rs.getString(1), rs.getLong(2), tally));
            }
        }
        return totals;
    }

    /** The raw records the scores account for: every record read counts once for validity. */
    static long recordsScored(List<Totals> totals) {
        return totals.stream().mapToLong(total -> total.tally().denominator(QualityDimension.VALIDITY)).sum();
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
            QualityScore score = total.score(weights);
            List<QualityScore.Dimension> dimensions = List.of(score.validity(), score.completeness(), score.uniqueness(),
                    score.timeliness(), score.consistency(), score.plausibility());
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %,d |", total.provider(), total.windows()));
            for (QualityScore.Dimension dimension : dimensions) {
                row.append(dimension.score() == null ? " - |" : String.format(Locale.ROOT, " %.3f (%,d/%,d) |", dimension.score(),
                        dimension.numerator(), dimension.denominator()));
            }
            row.append(score.overall() == null ? " - |" : String.format(Locale.ROOT, " %.3f |", score.overall()));
            out.println(row);
        }
    }
}
