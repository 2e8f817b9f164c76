package dev.eventflow.bench;

import dev.eventflow.processor.normalize.Names;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of some competitions in the four tables the topology fills, when the tables hold other
 * data too. An event id is {@code sport:competition-slug:date:home:away} (slugs hold no colon), so a
 * row of {@code events}, {@code return_rates} or {@code events_enriched} belongs to the competition
 * in its event id's second part; an entity belongs to them when one of their events names it.
 */
final class CompetitionRows {

    /** The tables, in the order the direct baseline writes them. */
    static final List<String> TABLES = List.of("entities", "events", "return_rates", "events_enriched");

    private CompetitionRows() {
    }

    /** The slugs event ids hold for {@code competitions} ({@code E0_C0001} is {@code e0-c0001}). */
    static List<String> slugs(Collection<String> competitions) {
        return competitions.stream().map(Names::slug).distinct().sorted().toList();
    }

    /** Rows of the competitions per table; {@code tableSuffix} names copies of the tables ({@code ""} for the tables themselves). */
    static Map<String, Long> counts(Connection db, String tableSuffix, List<String> slugs) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, single(db, "SELECT count(*) FROM " + where(table, tableSuffix), slugs, rs -> rs.getLong(1)));
        }
        return counts;
    }

    /** Commit time of the newest transaction that wrote a row of the competitions, in any of the tables. */
    static Instant lastCommit(Connection db, String tableSuffix, List<String> slugs) throws SQLException {
        Instant last = Instant.EPOCH;
        for (String table : TABLES) {
            Timestamp commit = single(db, "SELECT max(pg_xact_commit_timestamp(xmin)) FROM " + where(table, tableSuffix), slugs,
                    rs -> rs.getTimestamp(1));
            if (commit != null && commit.toInstant().isAfter(last)) {
                last = commit.toInstant();
            }
        }
        return last;
    }

    /** {@code table WHERE <row of the competitions ?>}. */
    static String where(String table, String tableSuffix) {
        String events = "events" + tableSuffix;
        return switch (table) {
            case "entities" -> "entities" + tableSuffix + " WHERE id IN (SELECT home_entity_id FROM " + events
                    + " WHERE split_part(id, ':', 2) = ANY (?) UNION SELECT away_entity_id FROM " + events
                    + " WHERE split_part(id, ':', 2) = ANY (?))";
            case "events" -> events + " WHERE split_part(id, ':', 2) = ANY (?)";
            case "return_rates", "events_enriched" -> table + tableSuffix + " WHERE split_part(event_id, ':', 2) = ANY (?)";
            default -> throw new IllegalArgumentException("Not a table of the topology: " + table);
        };
    }

    /** Reads the one row's first column. */
    @FunctionalInterface
    private interface Column<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> T single(Connection db, String query, List<String> slugs, Column<T> column) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(query)) {
            Array array = db.createArrayOf("text", slugs.toArray());
            int parameters = (int) query.chars().filter(c -> c == '?').count();
            for (int i = 1; i <= parameters; i++) {
                statement.setArray(i, array);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return column.read(rs);
            }
        }
    }
}
