-- The data-quality scores of quality.scores (docs/topics.md): one row per provider and window of data
-- time, the topic's key (provider|windowStart) split into its two parts as the primary key. Each
-- dimension keeps its numerator and denominator beside the score, so a reader can sum windows into a
-- day or a season (sum the numerators, sum the denominators) instead of averaging averages. A score is
-- NULL when its denominator is 0. A window's newer version replaces the row (see version and closed).

CREATE TABLE data_quality (
    provider                  TEXT           NOT NULL,
    window_start              TIMESTAMPTZ    NOT NULL,
    window_end                TIMESTAMPTZ    NOT NULL,
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
    PRIMARY KEY (provider, window_start)
);
-- The morning question: the latest windows, and those below a threshold, across providers.
CREATE INDEX data_quality_by_window ON data_quality (window_start);

-- The sink writes the rows; the reader role already reads new tables (V4's default privileges).
GRANT SELECT, INSERT, UPDATE, DELETE ON data_quality TO "${sinkUser}";
