package dev.eventflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventflow.localstack.LocalStackConfig;
import dev.eventflow.model.IngestRun;
import dev.eventflow.processor.quality.QualityDimension;
import dev.eventflow.processor.quality.QualityTally;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data quality end to end on the local stack: the three sample seasons, then a deliberately degraded copy of the
 * 2019-20 season (blank scores, a removed price, shifted kick-offs, duplicated rows, refused rows), both through the
 * real pipeline into the tables {@code data_quality} and {@code data_quality_runs}. The counts the copy adds to each
 * dimension (the table after it, minus the table before it: numerators and denominators add up across a provider's
 * windows) are exactly what its degradations should cost, and exactly what its own run's row counts.
 */
class QualityPipelineIT {

    static final Path DATA = LocalPipelineIT.DATA;
    static final List<Path> SEASONS = LocalPipelineIT.SEASONS;
    static final Duration LANDED = LocalPipelineIT.LANDED;
    static final String PROVIDER = "football-data";

    @TempDir
    static Path dir;
    static LocalPipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(new LocalPipeline.Options(LocalStackConfig.defaults().withFreePorts(), 0, "sink-secret", 500, 0));
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void eachDegradationOfACopyLowersItsDimensionByExactlyWhatItCosts() throws Exception {
        IngestRun seasons = pipeline.replay(SEASONS, true);
        Map<QualityDimension, long[]> clean = totals(pipeline.awaitLanded(LANDED).rawRecords());

        Path degraded = degradedCopy(DATA.resolve("E0_2019-20.csv"), dir.resolve("E0_2019-20-degraded.csv"));
        IngestRun copyRun = pipeline.replay(List.of(degraded), true);
        Map<QualityDimension, long[]> after = totals(pipeline.awaitLanded(LANDED).rawRecords());

        // The clean seasons: every row valid and complete, none a duplicate; the 2,185 quotes that follow an earlier one
        // of their bookmaker (closing after opening) are newer versions; 12 of 13,102 quote checks fail (payouts of
        // real bookmakers below 0.85, or a price that moved by more than half from opening to closing).
        assertThat(counts(clean)).containsExactly(
                entry(QualityDimension.VALIDITY, 1140, 1140), entry(QualityDimension.COMPLETENESS, 1140, 1140),
                entry(QualityDimension.UNIQUENESS, 1140, 1140), entry(QualityDimension.TIMELINESS, 0, 0),
                entry(QualityDimension.CONSISTENCY, 2185, 2185), entry(QualityDimension.PLAUSIBILITY, 13090, 13102));

        Map<QualityDimension, long[]> copy = new EnumMap<>(QualityDimension.class);
        for (QualityDimension dimension : QualityDimension.values()) {
            copy.put(dimension, new long[] {after.get(dimension)[0] - clean.get(dimension)[0], after.get(dimension)[1] - clean.get(dimension)[1]});
        }
        // The copy: 390 records (380 rows, 10 of them twice).
        assertThat(counts(copy)).containsExactly(
                // 20 refused: 10 without scores, 10 dated 31/02.
                entry(QualityDimension.VALIDITY, 370, 390),
                // Of the 370 valid, the 10 without Bet365's draw price are incomplete.
                entry(QualityDimension.COMPLETENESS, 360, 370),
                // Every valid record names a known event; only the 10 moved kick-offs and the 10 new Bet365 prices say
                // anything new: the other 350 (the duplicated rows both times) are exact duplicates of what was known.
                entry(QualityDimension.UNIQUENESS, 20, 370),
                // Not a polled provider.
                entry(QualityDimension.TIMELINESS, 0, 0),
                // 370 repeat sightings of events, of which the 10 moved kick-offs disagree; 10 repeat sightings of quotes
                // (Bet365's closing quote at the same time with other prices: a conflict). The moved events' opening
                // quotes are older than the quotes kept for their rates (pruned to the event's time): not judged.
                entry(QualityDimension.CONSISTENCY, 360, 380),
                // The 10 new Bet365 quotes: payout 0.80 (below 0.85) and the away price moved from about 2-26 to 125.
                entry(QualityDimension.PLAUSIBILITY, 0, 20));

        // Each run's own scores (data_quality_runs): the seasons' run counts what the windows held after it, the copy's
        // what the copy added to them; both closed (finished, every published record counted).
        assertThat(counts(runCounts(seasons, 1140))).isEqualTo(counts(clean));
        assertThat(counts(runCounts(copyRun, 390))).isEqualTo(counts(copy));

        // As the --once summary prints the copy's run.
        StringWriter printed = new StringWriter();
        LocalPipeline.RunQuality run = pipeline.awaitRunQuality(copyRun.runId(), Duration.ofSeconds(30)).orElseThrow();
        QualitySummary.printRun(new PrintWriter(printed, true), run.runs(), run.weights());
        assertThat(printed.toString()).endsWith("| football-data | 390 | 0.949 (370/390) | 0.973 (360/370) | 0.054 (20/370) | - "
                + "| 0.947 (360/380) | 0.000 (0/20) | 0.585 |\n");
    }

    /** A run's counts per dimension, once its row is closed: the run published {@code published} records. */
    static Map<QualityDimension, long[]> runCounts(IngestRun replay, long published) throws Exception {
        assertThat(replay.recordsPublished()).isEqualTo(published);
        LocalPipeline.RunQuality run = pipeline.awaitRunQuality(replay.runId(), Duration.ofSeconds(30)).orElseThrow();
        assertThat(run.closed()).isTrue();
        assertThat(run.runs()).extracting(QualitySummary.RunTotals::provider, QualitySummary.RunTotals::recordsPublished)
                .containsExactly(org.assertj.core.api.Assertions.tuple(PROVIDER, published));
        QualityTally tally = run.runs().get(0).tally();
        Map<QualityDimension, long[]> counts = new EnumMap<>(QualityDimension.class);
        for (QualityDimension dimension : QualityDimension.values()) {
            counts.put(dimension, new long[] {tally.numerator(dimension), tally.denominator(dimension)});
        }
        return counts;
    }

    static Map<QualityDimension, List<Long>> counts(Map<QualityDimension, long[]> counts) {
        Map<QualityDimension, List<Long>> lists = new java.util.LinkedHashMap<>();
        counts.forEach((dimension, pair) -> lists.put(dimension, List.of(pair[0], pair[1])));
        return lists;
    }

    static Map.Entry<QualityDimension, List<Long>> entry(QualityDimension dimension, long numerator, long denominator) {
        return Map.entry(dimension, List.of(numerator, denominator));
    }

    /**
     * football-data's totals over its windows (table {@code data_quality}), once they count {@code rawRecords} records
     * and stayed the same for ten seconds: the scores task sends a closed window's counts once the provider has been
     * quiet for five {@code quality.emit-interval}s (one second here), so up to six seconds after the last came, and the
     * sink loads it a moment later.
     */
    static Map<QualityDimension, long[]> totals(long rawRecords) throws Exception {
        List<List<Long>> last = new ArrayList<>();
        long[] unchangedSince = {System.nanoTime()};
        org.awaitility.Awaitility.await("the windows counting " + rawRecords + " records").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    List<List<Long>> read = windowTotals();
                    if (!read.equals(last)) {
                        last.clear();
                        last.addAll(read);
                        unchangedSince[0] = System.nanoTime();
                    }
                    long scored = read.stream().mapToLong(row -> row.get(2)).sum();
                    return scored >= rawRecords && System.nanoTime() - unchangedSince[0] >= Duration.ofSeconds(10).toNanos();
                });
        assertThat(last.stream().mapToLong(row -> row.get(2)).sum()).isEqualTo(rawRecords);
        assertThat(last).extracting(row -> row.get(0)).containsExactly(0L);
        Map<QualityDimension, long[]> counts = new EnumMap<>(QualityDimension.class);
        for (QualityDimension dimension : QualityDimension.values()) {
            List<Long> row = last.get(0);
            counts.put(dimension, new long[] {row.get(1 + 2 * dimension.ordinal()), row.get(2 + 2 * dimension.ordinal())});
        }
        return counts;
    }

    /**
     * Per provider (in name order, its index first: 0 for {@value #PROVIDER}, the only one expected), each dimension's
     * numerator and denominator summed over its windows.
     */
    static List<List<Long>> windowTotals() throws Exception {
        StringBuilder query = new StringBuilder("SELECT provider");
        for (QualityDimension dimension : QualityDimension.values()) {
            query.append(", sum(").append(dimension.id()).append("_numerator), sum(").append(dimension.id()).append("_denominator)");
        }
        query.append(" FROM data_quality GROUP BY provider ORDER BY provider");
        List<List<Long>> rows = new ArrayList<>();
        try (Connection db = db(); java.sql.Statement sql = db.createStatement(); java.sql.ResultSet rs = sql.executeQuery(query.toString())) {
            while (rs.next()) {
                List<Long> row = new ArrayList<>();
                row.add(rs.getString(1).equals(PROVIDER) ? 0L : -1L);
                for (int column = 2; column <= 1 + 2 * QualityDimension.values().length; column++) {
                    row.add(rs.getLong(column));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /**
     * The season, degraded: rows 1-10 with blank scores, 11-20 without Bet365's draw price, 21-30 kicked off two hours later,
     * 31-40 twice, 41-50 with a date that does not exist, 51-60 with implausible closing prices of Bet365; the other
     * 320 rows as they are.
     */
    static Path degradedCopy(Path season, Path copy) throws Exception {
        List<String> lines = Files.readAllLines(season);
        List<String> header = List.of(lines.get(0).split(",", -1));
        int date = header.indexOf("Date");
        int time = header.indexOf("Time");
        int homeGoals = header.indexOf("FTHG");
        int awayGoals = header.indexOf("FTAG");
        int drawPrice = header.indexOf("B365D");
        int closingHome = header.indexOf("B365CH");
        int closingDraw = header.indexOf("B365CD");
        int closingAway = header.indexOf("B365CA");
        List<String> out = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (i <= 10) {
                cells[homeGoals] = "";
                cells[awayGoals] = "";
            } else if (i <= 20) {
                cells[drawPrice] = "";
            } else if (i <= 30) {
                cells[time] = java.time.LocalTime.parse(cells[time]).plusHours(2).toString();
            } else if (i <= 40) {
                out.add(String.join(",", cells));
            } else if (i <= 50) {
                cells[date] = "31/02/2020";
            } else if (i <= 60) {
                // Bet365's closing prices replaced by a valid (payout 0.80, validation takes 0.75) but implausible set.
                cells[closingHome] = "1.1";
                cells[closingDraw] = "3.0";
                cells[closingAway] = "125";
            }
            out.add(String.join(",", cells));
        }
        Files.write(copy, out);
        return copy;
    }

    static Connection db() throws Exception {
        return pipeline.connection();
    }
}
