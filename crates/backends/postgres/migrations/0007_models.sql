-- Trained valuation models (msme_core::model): the comparable deals they learn from, the
-- registry of model versions (every one kept, at most one active) and training jobs.

-- A business that changed hands, with the figures its price was set on. (source, source_ref)
-- names a deal once: a sold listing, a demo deal, or an imported row (by its values' hash).
CREATE TABLE comparable_deals (
    id                      TEXT COLLATE "C" PRIMARY KEY,
    source                  TEXT NOT NULL CHECK (source IN ('platform', 'demo', 'import')),
    source_ref              TEXT COLLATE "C" NOT NULL,
    industry                TEXT NOT NULL,
    -- Two-letter state code.
    state                   TEXT NOT NULL,
    city                    TEXT NOT NULL,
    year_established        INTEGER NOT NULL,
    fiscal_year             INTEGER NOT NULL,
    employees               BIGINT,
    revenue_paise           BIGINT NOT NULL CHECK (revenue_paise >= 0),
    ebitda_paise            BIGINT NOT NULL,
    net_profit_paise        BIGINT NOT NULL,
    total_assets_paise      BIGINT NOT NULL CHECK (total_assets_paise >= 0),
    total_liabilities_paise BIGINT NOT NULL CHECK (total_liabilities_paise >= 0),
    debt_paise              BIGINT NOT NULL CHECK (debt_paise >= 0),
    revenue_growth_bps      BIGINT,
    sale_price_paise        BIGINT NOT NULL CHECK (sale_price_paise > 0),
    created_at              TIMESTAMPTZ NOT NULL,
    UNIQUE (source, source_ref)
);

-- A model version: kind, origin, the training data's fingerprint, the report (parameters,
-- metrics, calibration) as one JSONB document, and the model file itself.
CREATE TABLE model_versions (
    id           TEXT COLLATE "C" PRIMARY KEY,
    kind         TEXT NOT NULL,
    origin       TEXT NOT NULL CHECK (origin IN ('trained', 'imported')),
    fingerprint  TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    -- NULL when the operator trained or imported it from the terminal.
    created_by   TEXT COLLATE "C" REFERENCES users (id),
    active       BOOLEAN NOT NULL DEFAULT FALSE,
    activated_at TIMESTAMPTZ,
    document     JSONB NOT NULL,
    artifact     BYTEA NOT NULL
);
-- One active version at most, enforced by the database.
CREATE UNIQUE INDEX model_versions_one_active ON model_versions (active) WHERE active;
CREATE INDEX model_versions_by_time ON model_versions (created_at, id);

-- Training runs in the background (POST /v1/train-model).
CREATE TABLE model_jobs (
    id           TEXT COLLATE "C" PRIMARY KEY,
    status       TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    stage        TEXT NOT NULL,
    progress     DOUBLE PRECISION NOT NULL,
    requested_by TEXT COLLATE "C" REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    version_id   TEXT COLLATE "C" REFERENCES model_versions (id),
    error        TEXT
);
