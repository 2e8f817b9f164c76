-- The role of downstream readers: it may read every table and view of the sink's schema, nothing else
-- (no DML, no DDL: PostgreSQL 15 and later grant no CREATE on the public schema to other roles). Tables
-- and views later migrations add are readable too (default privileges of the owner, who runs them);
-- Flyway's own history is not. Without a password it is a group role (NOLOGIN): grant it to the people
-- and services that read (GRANT eventflow_reader TO alice). Roles are cluster-wide, so an existing role
-- is kept as it is; its password is then not changed here.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${readerUser}') THEN
        IF '${readerPassword}' = '' THEN
            CREATE ROLE "${readerUser}" NOLOGIN;
        ELSE
            CREATE ROLE "${readerUser}" LOGIN PASSWORD '${readerPassword}';
        END IF;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO "${readerUser}";
GRANT SELECT ON ALL TABLES IN SCHEMA ${flyway:defaultSchema} TO "${readerUser}";
REVOKE ALL ON ${flyway:defaultSchema}.${flyway:table} FROM "${readerUser}";
ALTER DEFAULT PRIVILEGES IN SCHEMA ${flyway:defaultSchema} GRANT SELECT ON TABLES TO "${readerUser}";
