package dev.eventflow.sink.copy;

import dev.eventflow.sink.connect.ContractSchemas;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each batch Connect hands over in one transaction: the newest record per key is copied into
 * a temporary staging table ({@code COPY ... FROM STDIN}), upserted from there with one
 * {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE} the stored version is not newer, and tombstones
 * delete their rows. A record that is not a valid row of the contract goes to the errant-record
 * reporter (the connector's dead-letter topic) with the reason; a failed database write is retried
 * by Connect with the same batch when the failure is transient (connection lost, server shutting
 * down), and fails the task otherwise, so nothing is skipped silently.
 */
public final class CopySinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(CopySinkTask.class);
    /** How long Connect waits before handing a batch over again after a transient failure. */
    private static final long RETRY_BACKOFF_MS = 1_000;

    private CopySinkConfig config;
    private CopyRows rows;
    private Sql sql;
    private Connection connection;
    private ErrantRecordReporter errantRecords;
    private Pattern keySeparator;

    /**
     * The statements of one table. {@code delete} takes an array of keys for a one-column key, and one value per
     * key column (each cast to its column's type) for a key of several columns.
     */
    record Sql(String createStage, String copy, String upsert, String delete) {
    }

    @Override
    public String version() {
        return CopySinkConfig.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new CopySinkConfig(props);
        rows = new CopyRows(config.contract);
        sql = statements(config);
        keySeparator = Pattern.compile(Pattern.quote(config.keySeparator()));
        try {
            errantRecords = context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            errantRecords = null;
        }
    }

    static Sql statements(CopySinkConfig config) {
        String table = config.table();
        String stage = "eventflow_stage_" + table;
        List<String> columns = config.contract.fields().stream().map(ContractSchemas.Field::column).toList();
        String columnList = String.join(", ", columns);
        List<String> keyColumns = config.keyColumns();
        String updates = columns.stream().filter(c -> !keyColumns.contains(c))
                .map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
        String delete = keyColumns.size() == 1 ? keyColumns.get(0) + " = ANY (?)"
                : keyColumns.stream().map(c -> c + " = CAST(? AS " + sqlType(config.contract, c) + ")").collect(Collectors.joining(" AND "));
        String newerOnly = config.versionColumn().isEmpty() ? ""
                : " WHERE " + table + "." + config.versionColumn() + " <= EXCLUDED." + config.versionColumn();
        return new Sql(
                "CREATE TEMP TABLE IF NOT EXISTS " + stage + " (LIKE " + table + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS",
                "COPY " + stage + " (" + columnList + ") FROM STDIN WITH (FORMAT csv)",
                "INSERT INTO " + table + " (" + columnList + ") SELECT " + columnList + " FROM " + stage
                        + " ON CONFLICT (" + String.join(", ", keyColumns) + ") DO UPDATE SET " + updates + newerOnly,
                "DELETE FROM " + table + " WHERE " + delete);
    }

    /** The PostgreSQL type a key value in text is cast to, to compare it with its column. */
    private static String sqlType(ContractSchemas.Contract contract, String column) {
        ContractSchemas.Field field = contract.fields().stream().filter(f -> f.column().equals(column)).findFirst().orElseThrow();
        return switch (field.kind()) {
            case STRING, JSON_TEXT -> "text";
            case INT32 -> "integer";
            case INT64 -> "bigint";
            case BOOLEAN -> "boolean";
            case DECIMAL -> "numeric";
            case TIMESTAMP -> "timestamptz";
        };
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        Map<String, String> latest = new LinkedHashMap<>();
        for (SinkRecord record : records) {
            String key = text(record.key());
            if (key == null) {
                refuse(record, new DataException("A record without a key cannot be a row of " + config.table()));
                continue;
            }
            if (record.value() == null) {
                if (keyParts(key) == null) {
                    refuse(record, new DataException("The key '" + key + "' of a tombstone is not " + config.keyColumns().size()
                            + " values joined by '" + config.keySeparator() + "' (" + String.join(", ", config.keyColumns())
                            + ") that their columns can hold"));
                    continue;
                }
                latest.put(key, null);
                continue;
            }
            try {
                latest.put(key, rows.line(bytes(record.value())));
            } catch (DataException e) {
                refuse(record, e);
            }
        }
        write(latest);
    }

    /** Writes the newest line (or deletion: null) per key in one transaction. */
    private void write(Map<String, String> latest) {
        StringBuilder copy = new StringBuilder(latest.size() * 200);
        List<String> deletes = new ArrayList<>();
        latest.forEach((key, line) -> {
            if (line == null) {
                deletes.add(key);
            } else {
                copy.append(line).append('\n');
            }
        });
        try {
            Connection db = connection();
            int upserted = 0;
            if (copy.length() > 0) {
                CopyManager copyManager = db.unwrap(PGConnection.class).getCopyAPI();
                copyManager.copyIn(sql.copy(), new StringReader(copy.toString()));
                try (Statement statement = db.createStatement()) {
                    upserted = statement.executeUpdate(sql.upsert());
                }
            }
            if (!deletes.isEmpty()) {
                delete(db, deletes);
            }
            db.commit();
            LOG.debug("{}: {} row(s) upserted ({} older than the stored row left alone), {} deleted", config.table(), upserted,
                    latest.size() - deletes.size() - upserted, deletes.size());
        } catch (SQLException | IOException e) {
            rollbackQuietly();
            throw failure(e);
        }
    }

    private void delete(Connection db, List<String> keys) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql.delete())) {
            if (config.keyColumns().size() == 1) {
                Array array = db.createArrayOf("text", keys.toArray());
                statement.setArray(1, array);
                statement.executeUpdate();
                return;
            }
            for (String key : keys) {
                String[] parts = keyParts(key);
                for (int i = 0; i < parts.length; i++) {
                    statement.setString(i + 1, parts[i]);
                }
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private String[] keyParts(String key) {
        return keyParts(config, keySeparator, key);
    }

    /**
     * The key's value per key column; null when it does not have one per column, or a value its column's type cannot
     * hold: the delete would then fail in PostgreSQL and stop the task, where the errant-record reporter can take it.
     */
    static String[] keyParts(CopySinkConfig config, Pattern separator, String key) {
        List<String> columns = config.keyColumns();
        if (columns.size() == 1) {
            return new String[] {key};
        }
        String[] parts = separator.split(key, -1);
        if (parts.length != columns.size()) {
            return null;
        }
        for (int i = 0; i < parts.length; i++) {
            String column = columns.get(i);
            ContractSchemas.Field field = config.contract.fields().stream().filter(f -> f.column().equals(column)).findFirst().orElseThrow();
            try {
                switch (field.kind()) {
                    case TIMESTAMP -> java.time.Instant.parse(parts[i]);
                    case INT32 -> Integer.parseInt(parts[i]);
                    case INT64 -> Long.parseLong(parts[i]);
                    case DECIMAL -> new java.math.BigDecimal(parts[i]);
                    case BOOLEAN -> {
                        if (!parts[i].equals("true") && !parts[i].equals("false")) {
                            return null;
                        }
                    }
                    case STRING, JSON_TEXT -> {
                        // any text
                    }
                }
            } catch (RuntimeException e) {
                return null;
            }
        }
        return parts;
    }

    private RuntimeException failure(Exception e) {
        String state = e instanceof SQLException sqlException ? sqlException.getSQLState() : null;
        // Data (22) and integrity (23) errors come back the same on every retry: the task stops, visibly.
        if (state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("42"))) {
            return new ConnectException("Writing to " + config.table() + " failed: " + e.getMessage(), e);
        }
        closeQuietly();
        context.timeout(RETRY_BACKOFF_MS);
        LOG.warn("Writing to {} failed, the batch is retried in {} ms: {}", config.table(), RETRY_BACKOFF_MS, e.getMessage());
        return new RetriableException("Writing to " + config.table() + " failed: " + e.getMessage(), e);
    }

    private void refuse(SinkRecord record, DataException reason) {
        if (errantRecords == null) {
            throw new ConnectException("Record " + record.topic() + "/" + record.kafkaPartition() + "/" + record.kafkaOffset()
                    + " is not a row of " + config.table() + ": " + reason.getMessage(), reason);
        }
        LOG.warn("Record {}/{}/{} is not a row of {}; sent to the dead-letter topic: {}", record.topic(), record.kafkaPartition(),
                record.kafkaOffset(), config.table(), reason.getMessage());
        errantRecords.report(record, reason);
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = DriverManager.getConnection(config.url(), config.user(), config.password());
            // The staging table lives as long as the session and empties itself at every commit.
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql.createStage());
            }
            connection.setAutoCommit(false);
        }
        return connection;
    }

    private static String text(Object key) {
        if (key == null) {
            return null;
        }
        return key instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : key.toString();
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        throw new DataException("Expected the JSON bytes of the value (ByteArrayConverter), got " + value.getClass().getName());
    }

    private void rollbackQuietly() {
        try {
            if (connection != null && !connection.isClosed()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            LOG.debug("Rollback failed", e);
        }
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            LOG.debug("Close failed", e);
        }
        connection = null;
    }

    @Override
    public void stop() {
        closeQuietly();
    }
}
