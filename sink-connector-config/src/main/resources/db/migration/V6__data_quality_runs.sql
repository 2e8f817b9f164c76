-- The data-quality scores of quality.run-scores (docs/topics.md): one row per provider and ingest run
-- (replays and generator runs), the topic's key (provider|ingestRunId) split into its two parts as the
-- primary key. The same dimensions as data_quality, counted over the run's records whatever their data
-- time; join ingest_runs on run_id = ingest_run_id for what the run read and when. A run's newer version
-- replaces the row; closed is true once the run finished and every record it published was counted
-- (validity_denominator reached records_published).

CREATE TABLE data_quality_runs (
    provider                  TEXT           NOT NULL,
    ingest_run_id             TEXT           NOT NULL,
    records_published         BIGINT,
    validity_numerator        BIGINT         NOT NULL,
    validity_denominator      BIGINT         NOT NULL,
    validity_score            NUMERIC(16, 6),
    completeness_numerator    BIGINT         NOT NULL,
    completeness_denominator  BIGINT         NOT NULL,
    completeness_score        NUMERIC(16, 6),
    uniqueness_numerator      BIGINT         NOT NULL,
    uniqueness_denominator    BIGINT         NOT NULL,
    uniqueness_score          NUMERIC(16, 6),
    timeliness_numerator      BIGINT         NOT NULL,
    timeliness_denominator    BIGINT         NOT NULL,
    timeliness_score          NUMERIC(16, 6),
    consistency_numerator     BIGINT         NOT NULL,
    consistency_denominator   BIGINT         NOT NULL,
    consistency_score         NUMERIC(16, 6),
    plausibility_numerator    BIGINT         NOT NULL,
    plausibility_denominator  BIGINT         NOT NULL,
    plausibility_score        NUMERIC(16, 6),
    overall                   NUMERIC(16, 6),
    closed                    BOOLEAN        NOT NULL,
    version                   BIGINT         NOT NULL,
    updated_at                TIMESTAMPTZ    NOT NULL,
    PRIMARY KEY (provider, ingest_run_id)
);
-- A run's scores across providers (a generator run writes several).
CREATE INDEX data_quality_runs_by_run ON data_quality_runs (ingest_run_id);

-- The sink writes the rows; the reader role already reads new tables (V4's default privileges).
GRANT SELECT, INSERT, UPDATE, DELETE ON data_quality_runs TO "${sinkUser}";
