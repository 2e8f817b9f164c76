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

    /** The reader role's name when none is given. */
    public static final String READER_ROLE = "eventflow_reader";

    /**
     * The roles the migrations create when they do not exist.
     *
     * @param sinkUser       the role the connectors log in as (DML on the sink's tables only)
     * @param sinkPassword   its password when the role is created
     * @param readerUser     the read-only role of downstream readers (SELECT on the tables and views)
     * @param readerPassword its password when the role is created; empty for a role that cannot log in (a group
     *                       role to grant to the readers' own roles)
     */
    public record Roles(String sinkUser, String sinkPassword, String readerUser, String readerPassword) {
        public Roles {
            for (String role : new String[] {sinkUser, readerUser}) {
                if (!role.matches("[a-z_][a-z0-9_]*")) {
                    throw new IllegalArgumentException("Role '" + role + "' must be a lower-case SQL identifier");
                }
            }
            if (sinkUser.equals(readerUser)) {
                throw new IllegalArgumentException("The sink role and the reader role must differ (both are " + sinkUser + ")");
            }
        }

        @Override
        public String toString() {
            return "Roles[sinkUser=" + sinkUser + ", readerUser=" + readerUser + "]";
        }
    }

    /**
     * Applies the pending migrations; the reader role is {@value #READER_ROLE}, a group role.
     *
     * @param sinkUser     the role the connectors log in as (DML on the sink's tables only)
     * @param sinkPassword its password when the role is created
     * @return how many migrations ran
     */
    public static int migrate(String jdbcUrl, String ownerUser, String ownerPassword, String sinkUser, String sinkPassword) {
        return migrate(jdbcUrl, ownerUser, ownerPassword, new Roles(sinkUser, sinkPassword, READER_ROLE, ""));
    }

    /**
     * Applies the pending migrations as the owner role.
     *
     * @return how many migrations ran
     */
    public static int migrate(String jdbcUrl, String ownerUser, String ownerPassword, Roles roles) {
        MigrateResult result = Flyway.configure()
                .dataSource(jdbcUrl, ownerUser, ownerPassword)
                .locations("classpath:db/migration")
                .placeholders(Map.of("sinkUser", roles.sinkUser(), "sinkPassword", roles.sinkPassword().replace("'", "''"),
                        "readerUser", roles.readerUser(), "readerPassword", roles.readerPassword().replace("'", "''")))
                .load()
                .migrate();
        return result.migrationsExecuted;
    }
}
