package dev.eventflow.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The rows of a query as text, with timestamps rendered in UTC, for exact assertions on tables. */
public final class SqlRows {

    private SqlRows() {
    }

    public static List<List<String>> query(String jdbcUrl, String user, String password, String query) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password); Statement sql = db.createStatement()) {
            sql.execute("SET TIME ZONE 'UTC'");
            try (ResultSet rs = sql.executeQuery(query)) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>(columns);
                    for (int i = 1; i <= columns; i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
