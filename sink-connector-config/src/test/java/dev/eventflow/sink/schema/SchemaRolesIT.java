package dev.eventflow.sink.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventflow.localstack.EmbeddedPostgresServer;
import dev.eventflow.testing.SqlRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The roles the migrations create, on a real PostgreSQL: the sink's may change rows of its tables and
 * nothing else, the readers' may read every table and view and nothing else.
 */
class SchemaRolesIT {

    /** SQLSTATE of "permission denied". */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final List<String> TABLES = List.of("entities", "events", "return_rates", "events_enriched", "quarantine",
            "ingest_runs", "data_quality", "data_quality_runs");

    @TempDir
    static Path dir;
    static EmbeddedPostgresServer postgres;

    @BeforeAll
    static void migrate() {
        postgres = EmbeddedPostgresServer.start(0, dir.resolve("pg"), true);
        assertThat(SchemaMigrator.migrate(postgres.jdbcUrl(), EmbeddedPostgresServer.USER, "",
                new SchemaMigrator.Roles("eventflow_sink", "sink-secret", "analyst", "reader-secret"))).isEqualTo(6);
        assertThat(SchemaMigrator.migrate(postgres.jdbcUrl(), EmbeddedPostgresServer.USER, "",
                new SchemaMigrator.Roles("eventflow_sink", "sink-secret", "analyst", "reader-secret"))).isZero();
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theReaderRoleReadsEveryTableAndViewAndChangesNothing() throws SQLException {
        try (Connection owner = DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedPostgresServer.USER, "");
                Statement sql = owner.createStatement()) {
            sql.execute("INSERT INTO entities (id, sport, name, normalized_name, aliased, updated_at) VALUES "
                    + "('football:gunners-town', 'football', 'Gunners Town', 'gunners town', false, now())");
        }
        try (Connection reader = DriverManager.getConnection(postgres.jdbcUrl(), "analyst", "reader-secret");
                Statement sql = reader.createStatement()) {
            for (String table : TABLES) {
                assertThat(count(sql, "SELECT count(*) FROM " + table)).as(table).isEqualTo(table.equals("entities") ? 1 : 0);
            }
            assertThat(SqlRows.query(postgres.jdbcUrl(), "analyst", "reader-secret", "SELECT name, entity_id, events FROM unresolved_names"))
                    .containsExactly(List.of("Gunners Town", "football:gunners-town", "0"));

            assertRefused(sql, "INSERT INTO events (id) VALUES ('e1')");
            assertRefused(sql, "UPDATE entities SET name = 'x'");
            assertRefused(sql, "DELETE FROM entities");
            assertRefused(sql, "TRUNCATE quarantine");
            assertRefused(sql, "DELETE FROM data_quality");
            assertRefused(sql, "CREATE TABLE mine (id int)");
            assertRefused(sql, "CREATE VIEW mine AS SELECT 1");
            assertRefused(sql, "DROP VIEW unresolved_names");
            assertRefused(sql, "ALTER TABLE events ADD COLUMN x int");
            assertRefused(sql, "SELECT count(*) FROM flyway_schema_history");
        }
        try (Connection owner = DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedPostgresServer.USER, "");
                Statement sql = owner.createStatement()) {
            assertThat(count(sql, "SELECT count(*) FROM entities")).as("nothing the reader tried changed a row").isEqualTo(1);
        }
    }

    @Test
    void aTableALaterMigrationAddsIsReadableByTheReaderToo() throws SQLException {
        try (Connection owner = DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedPostgresServer.USER, "");
                Statement sql = owner.createStatement()) {
            sql.execute("CREATE TABLE later_table (id int)");
        }
        try (Connection reader = DriverManager.getConnection(postgres.jdbcUrl(), "analyst", "reader-secret");
                Statement sql = reader.createStatement()) {
            assertThat(count(sql, "SELECT count(*) FROM later_table")).isZero();
        } finally {
            try (Connection owner = DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedPostgresServer.USER, "");
                    Statement sql = owner.createStatement()) {
                sql.execute("DROP TABLE later_table");
            }
        }
    }

    @Test
    void theSinkRoleChangesRowsOfItsTablesButNotTheSchema() throws SQLException {
        try (Connection sink = DriverManager.getConnection(postgres.jdbcUrl(), "eventflow_sink", "sink-secret");
                Statement sql = sink.createStatement()) {
            sql.execute("INSERT INTO ingest_runs (run_id, command, provider, source, status, started_at, records_read, "
                    + "records_published, records_skipped, skipped_by_reason, anomalies) "
                    + "VALUES ('r1', 'replay', 'p', 's', 'RUNNING', now(), 0, 0, 0, '{}', '{}')");
            sql.execute("DELETE FROM ingest_runs WHERE run_id = 'r1'");
            // data_quality (V5) is granted like the tables before it
            sql.execute("INSERT INTO data_quality (provider, window_start, window_end, validity_numerator, validity_denominator, "
                    + "completeness_numerator, completeness_denominator, uniqueness_numerator, uniqueness_denominator, "
                    + "timeliness_numerator, timeliness_denominator, consistency_numerator, consistency_denominator, "
                    + "plausibility_numerator, plausibility_denominator, closed, version, updated_at) "
                    + "VALUES ('p', now(), now(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, 1, now())");
            assertThat(sql.executeUpdate("UPDATE data_quality SET version = 2 WHERE provider = 'p'")).isEqualTo(1);
            assertThat(sql.executeUpdate("DELETE FROM data_quality WHERE provider = 'p'")).isEqualTo(1);
            // and so is data_quality_runs (V6)
            sql.execute("INSERT INTO data_quality_runs (provider, ingest_run_id, validity_numerator, validity_denominator, "
                    + "completeness_numerator, completeness_denominator, uniqueness_numerator, uniqueness_denominator, "
                    + "timeliness_numerator, timeliness_denominator, consistency_numerator, consistency_denominator, "
                    + "plausibility_numerator, plausibility_denominator, closed, version, updated_at) "
                    + "VALUES ('p', 'r1', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, 1, now())");
            assertThat(sql.executeUpdate("DELETE FROM data_quality_runs WHERE provider = 'p'")).isEqualTo(1);
            assertRefused(sql, "CREATE TABLE mine (id int)");
            assertRefused(sql, "ALTER TABLE events ADD COLUMN x int");
            assertRefused(sql, "DROP TABLE quarantine");
        }
    }

    @Test
    void aReaderRoleWithoutAPasswordIsAGroupRoleThatCannotLogIn() throws SQLException {
        try (Connection owner = DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedPostgresServer.USER, "");
                Statement sql = owner.createStatement()) {
            sql.execute("CREATE DATABASE other");
        }
        assertThat(SchemaMigrator.migrate(postgres.jdbcUrl().replaceFirst("/postgres$", "/other"), EmbeddedPostgresServer.USER, "",
                new SchemaMigrator.Roles("other_sink", "sink-secret", "readers", ""))).isEqualTo(6);
        assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), "readers", "anything").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("not permitted to log in");
    }

    @Test
    void refusesRolesThatAreNoPlainIdentifiersOrTheSame() {
        assertThatThrownBy(() -> new SchemaMigrator.Roles("eventflow_sink", "", "Readers\"; DROP", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Role 'Readers\"; DROP' must be a lower-case SQL identifier");
        assertThatThrownBy(() -> new SchemaMigrator.Roles("eventflow_sink", "", "eventflow_sink", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The sink role and the reader role must differ (both are eventflow_sink)");
        assertThat(new SchemaMigrator.Roles("eventflow_sink", "sink-secret", "analyst", "reader-secret").toString())
                .doesNotContain("secret");
    }

    private static void assertRefused(Statement sql, String statement) {
        assertThatThrownBy(() -> sql.execute(statement)).as(statement).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(INSUFFICIENT_PRIVILEGE));
    }

    private static long count(Statement sql, String query) throws SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
