package dev.eventflow.sink.schema;

import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and evolves the sink's PostgreSQL schema with Flyway (never the connector:
 * {@code schema.evolution=none}). Runs as the owner role; creates the sink's least-privilege role.
 */
public final class SchemaMigrator {

    private SchemaMigrator() {
    }

    /**
     * Applies the pending migrations.
     *
     * @param sinkUser     the role the connectors log in as (DML on the sink's tables only)
     * @param sinkPassword its password when the role is created
     * @return how many migrations ran
     */
    public static int migrate(String jdbcUrl, String ownerUser, String ownerPassword, String sinkUser, String sinkPassword) {
        if (!sinkUser.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Sink role '" + sinkUser + "' must be a lower-case SQL identifier");
        }
        MigrateResult result = Flyway.configure()
                .dataSource(jdbcUrl, ownerUser, ownerPassword)
                .locations("classpath:db/migration")
                .placeholders(Map.of("sinkUser", sinkUser, "sinkPassword", sinkPassword.replace("'", "''")))
                .load()
                .migrate();
        return result.migrationsExecuted;
    }
}
