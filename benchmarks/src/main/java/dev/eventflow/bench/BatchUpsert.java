package dev.eventflow.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * JDBC batch upserts as a hand-written loader (and the sink) does them: one
 * {@code INSERT ... ON CONFLICT (key) DO UPDATE} per batch with {@code reWriteBatchedInserts}, one
 * transaction per batch. The one home of this loop for the PostgreSQL ceiling and the direct baseline.
 */
final class BatchUpsert {

    /**
     * A table to upsert into.
     *
     * @param name     the table
     * @param columns  its columns, in the order of each row's values
     * @param key      the primary-key column
     * @param sqlTypes the {@link java.sql.Types} of each column, for its nulls
     */
    record Table(String name, List<String> columns, String key, int[] sqlTypes) {

        Table {
            columns = List.copyOf(columns);
            if (sqlTypes.length != columns.size()) {
                throw new IllegalArgumentException(columns.size() + " columns but " + sqlTypes.length + " SQL types");
            }
            if (!columns.contains(key)) {
                throw new IllegalArgumentException("Key " + key + " is not a column of " + name);
            }
        }

        /** The same columns in another table. */
        Table named(String other) {
            return new Table(other, columns, key, sqlTypes);
        }

        /** {@code INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a) DO UPDATE SET b = EXCLUDED.b}. */
        String upsertStatement() {
            String update = columns.stream().filter(c -> !c.equals(key)).map(c -> c + " = EXCLUDED." + c)
                    .collect(Collectors.joining(", "));
            return "INSERT INTO " + name + " (" + String.join(", ", columns) + ") VALUES ("
                    + "?, ".repeat(columns.size() - 1) + "?) ON CONFLICT (" + key + ") DO UPDATE SET " + update;
        }
    }

    private BatchUpsert() {
    }

    /** {@code jdbcUrl} with {@code reWriteBatchedInserts=true}: a batch becomes multi-row INSERT statements. */
    static String rewriteBatchedInserts(String jdbcUrl) {
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }

    /**
     * Upserts {@code rows} into {@code table}, {@code batchSize} rows per batch and per transaction;
     * returns the rows written. {@code db} should come from {@link #rewriteBatchedInserts}'s URL.
     */
    static long upsert(Connection db, Table table, Iterator<Object[]> rows, int batchSize) throws SQLException {
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(false);
        long written = 0;
        try (PreparedStatement insert = db.prepareStatement(table.upsertStatement())) {
            int inBatch = 0;
            while (rows.hasNext()) {
                bind(insert, table, rows.next());
                insert.addBatch();
                written++;
                if (++inBatch == batchSize) {
                    insert.executeBatch();
                    db.commit();
                    inBatch = 0;
                }
            }
            if (inBatch > 0) {
                insert.executeBatch();
                db.commit();
            }
        } finally {
            db.setAutoCommit(autoCommit);
        }
        return written;
    }

    private static void bind(PreparedStatement insert, Table table, Object[] row) throws SQLException {
        for (int i = 0; i < row.length; i++) {
            if (row[i] == null) {
                insert.setNull(i + 1, table.sqlTypes()[i]);
            } else {
                insert.setObject(i + 1, row[i]);
            }
        }
    }
}
