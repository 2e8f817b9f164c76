-- The sink's own role: it may read and write the rows of the sink's tables, nothing else (no DDL:
-- the schema belongs to these migrations, run by the owner role). Roles are cluster-wide, so an
-- existing role is kept; its password is then not changed here.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${sinkUser}') THEN
        CREATE ROLE "${sinkUser}" LOGIN PASSWORD '${sinkPassword}';
    END IF;
END
$$;

GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO "${sinkUser}";
GRANT SELECT, INSERT, UPDATE, DELETE ON entities, events, return_rates, events_enriched, quarantine, ingest_runs
    TO "${sinkUser}";
