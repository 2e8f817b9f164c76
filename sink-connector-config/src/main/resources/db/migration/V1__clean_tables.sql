-- The tables the JDBC sink upserts into. Primary key = the clean topic's key, so per-key order holds
-- from the topology to the row. Columns are the snake_case fields of the topic contract (docs/topics.md).
--
-- No foreign keys between these tables: each is loaded by its own connector from its own topic, and
-- Kafka orders records only within a partition of one topic. An event can reach PostgreSQL before
-- its teams do (and a return rate before its event); a foreign key would fail that write and stop
-- the sink task (Debezium's sink cannot skip a failed write). The stream processor guarantees that
-- every id an event refers to is emitted to entities.clean; the reference holds once all is loaded.

CREATE TABLE entities (
    id              TEXT        PRIMARY KEY,
    sport           TEXT        NOT NULL,
    name            TEXT        NOT NULL,
    normalized_name TEXT        NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE events (
    id                   TEXT        PRIMARY KEY,
    sport                TEXT        NOT NULL,
    competition          TEXT        NOT NULL,
    kickoff              TIMESTAMPTZ NOT NULL,
    home_entity_id       TEXT        NOT NULL,
    away_entity_id       TEXT        NOT NULL,
    home_name            TEXT,
    away_name            TEXT,
    status               TEXT        NOT NULL,
    home_score           INTEGER,
    away_score           INTEGER,
    half_time_home_score INTEGER,
    half_time_away_score INTEGER,
    provider_refs        TEXT        NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX events_by_competition_and_kickoff ON events (competition, kickoff);
CREATE INDEX events_by_kickoff ON events (kickoff);
CREATE INDEX events_by_home_entity ON events (home_entity_id);
CREATE INDEX events_by_away_entity ON events (away_entity_id);

CREATE TABLE return_rates (
    id           TEXT           PRIMARY KEY,
    event_id     TEXT           NOT NULL,
    bookmaker    TEXT           NOT NULL,
    market       TEXT           NOT NULL,
    quoted_at    TIMESTAMPTZ    NOT NULL,
    home         NUMERIC(16, 6) NOT NULL,
    draw         NUMERIC(16, 6) NOT NULL,
    away         NUMERIC(16, 6) NOT NULL,
    implied_home NUMERIC(16, 6),
    implied_draw NUMERIC(16, 6),
    implied_away NUMERIC(16, 6),
    payout       NUMERIC(16, 6) NOT NULL,
    provider     TEXT           NOT NULL
);
CREATE INDEX return_rates_by_event ON return_rates (event_id);

CREATE TABLE events_enriched (
    event_id       TEXT           PRIMARY KEY,
    sport          TEXT           NOT NULL,
    competition    TEXT           NOT NULL,
    kickoff        TIMESTAMPTZ    NOT NULL,
    home_entity_id TEXT           NOT NULL,
    away_entity_id TEXT           NOT NULL,
    status         TEXT           NOT NULL,
    home_score     INTEGER,
    away_score     INTEGER,
    bookmakers     INTEGER        NOT NULL,
    best_home      NUMERIC(16, 6),
    best_draw      NUMERIC(16, 6),
    best_away      NUMERIC(16, 6),
    avg_home       NUMERIC(16, 6),
    avg_draw       NUMERIC(16, 6),
    avg_away       NUMERIC(16, 6),
    best_payout    NUMERIC(16, 6),
    avg_payout     NUMERIC(16, 6),
    rates_as_of    TIMESTAMPTZ    NOT NULL
);
CREATE INDEX events_enriched_by_competition_and_kickoff ON events_enriched (competition, kickoff);

-- Dead letters, keyed by their position on the dead-letter topic.
CREATE TABLE quarantine (
    __connect_topic     TEXT        NOT NULL,
    __connect_partition INTEGER     NOT NULL,
    __connect_offset    BIGINT      NOT NULL,
    reason              TEXT        NOT NULL,
    stage               TEXT        NOT NULL,
    provider            TEXT,
    source_topic        TEXT        NOT NULL,
    source_partition    INTEGER     NOT NULL,
    source_offset       BIGINT      NOT NULL,
    failed_at           TIMESTAMPTZ NOT NULL,
    original_key        BYTEA,
    original_value      BYTEA,
    value_text          TEXT,
    PRIMARY KEY (__connect_topic, __connect_partition, __connect_offset)
);
CREATE INDEX quarantine_by_stage_and_time ON quarantine (stage, failed_at);

CREATE TABLE ingest_runs (
    run_id            TEXT        PRIMARY KEY,
    command           TEXT        NOT NULL,
    provider          TEXT        NOT NULL,
    source            TEXT        NOT NULL,
    status            TEXT        NOT NULL,
    started_at        TIMESTAMPTZ NOT NULL,
    finished_at       TIMESTAMPTZ,
    records_read      BIGINT      NOT NULL,
    records_published BIGINT      NOT NULL,
    records_skipped   BIGINT      NOT NULL,
    skipped_by_reason TEXT        NOT NULL,
    anomalies         TEXT        NOT NULL,
    failure           TEXT
);
CREATE INDEX ingest_runs_by_start ON ingest_runs (started_at);
