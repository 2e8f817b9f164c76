package dev.eventflow.cli;

import dev.eventflow.model.QualityScore;
import dev.eventflow.processor.quality.QualityDimension;
import dev.eventflow.processor.quality.QualityScores;
import dev.eventflow.processor.quality.QualityTally;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The data-quality scores of an ingest run, per provider, from the table {@code data_quality_runs} (the counts of the
 * run's records), scored as the processor scores them ({@link QualityScores}), with its weights
 * (docs/stream-processor.md, "Data quality").
 */
final class QualitySummary {

    private QualitySummary() {
    }

    /** One provider's score of one ingest run (a row of {@code data_quality_runs}). */
    record RunTotals(String provider, String run, Long recordsPublished, boolean closed, QualityTally tally) {

        /** The counts scored as the processor scores them. */
        QualityScore score(Map<QualityDimension, Double> weights) {
            return QualityScores.of(provider, 0, 0, tally, weights, closed, 0, Instant.EPOCH);
        }
    }

    /** The scores of one ingest run, per provider ({@code data_quality_runs}). */
    static List<RunTotals> readRun(Connection db, String run) throws SQLException {
        StringBuilder query = new StringBuilder("SELECT provider, records_published, closed");
        for (QualityDimension dimension : QualityDimension.values()) {
            query.append(", ").append(dimension.id()).append("_numerator, ").append(dimension.id()).append("_denominator");
        }
        query.append(" FROM data_quality_runs WHERE ingest_run_id = ? ORDER BY provider");
        List<RunTotals> runs = new ArrayList<>();
        try (PreparedStatement sql = db.prepareStatement(query.toString())) {
            sql.setString(1, run);
            try (ResultSet rs = sql.executeQuery()) {
                while (rs.next()) {
                    long published = rs.getLong(2);
                    Long recordsPublished = rs.wasNull() ? null : published;
                    runs.add(new RunTotals(rs.getString(1), run, recordsPublished, rs.getBoolean(3), tally(rs, 4)));
                }
            }
        }
        return runs;
    }

    /** Whether a run has rows and every one is closed (the run finished and every record it published was counted). */
    static boolean allClosed(List<RunTotals> runs) {
        return !runs.isEmpty() && runs.stream().allMatch(RunTotals::closed);
    }

    /**
     * A run's scores as a Markdown table: the records each provider's row counts, then each dimension's score (three
     * decimals) and its counts ({@code -} when none were counted), and the overall score.
     */
    static void printRun(PrintWriter out, List<RunTotals> runs, Map<QualityDimension, Double> weights) {
        printHeader(out, "| provider | records |", "| --- | ---: |");
        for (RunTotals run : runs) {
            out.println(cells(String.format(Locale.ROOT, "| %s | %,d |", run.provider(), run.tally().denominator(QualityDimension.VALIDITY)),
                    run.score(weights)));
        }
    }

    private static QualityTally tally(ResultSet rs, int firstColumn) throws SQLException {
        QualityTally tally = new QualityTally();
        int column = firstColumn;
        for (QualityDimension dimension : QualityDimension.values()) {
            tally.count(dimension, rs.getLong(column), rs.getLong(column + 1));
            column += 2;
        }
        return tally;
    }

    /** The header and rule lines: the given first columns, then a column per dimension and the overall score. */
    private static void printHeader(PrintWriter out, String first, String firstRule) {
        StringBuilder header = new StringBuilder(first);
        StringBuilder rule = new StringBuilder(firstRule);
        for (QualityDimension dimension : QualityDimension.values()) {
            header.append(' ').append(dimension.id()).append(" |");
            rule.append(" ---: |");
        }
        out.println(header.append(" overall |"));
        out.println(rule.append(" ---: |"));
    }

    private static StringBuilder cells(String first, QualityScore score) {
        List<QualityScore.Dimension> dimensions = List.of(score.validity(), score.completeness(), score.uniqueness(),
                score.timeliness(), score.consistency(), score.plausibility());
        StringBuilder row = new StringBuilder(first);
        for (QualityScore.Dimension dimension : dimensions) {
            row.append(dimension.score() == null ? " - |" : String.format(Locale.ROOT, " %.3f (%,d/%,d) |", dimension.score(),
                    dimension.numerator(), dimension.denominator()));
        }
        return row.append(score.overall() == null ? " - |" : String.format(Locale.ROOT, " %.3f |", score.overall()));
    }
}
