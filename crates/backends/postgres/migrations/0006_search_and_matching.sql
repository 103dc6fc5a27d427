-- Search and matchmaking.
--
-- 1. The full-text search index of public listings (`PgSearchIndex`), shared by every server
--    process on this database. Rows are derived from the listings by the indexer (which
--    follows the audit log), so they carry no foreign keys: the index may briefly hold a listing
--    the store has changed since, and the indexer repairs it.

-- Trigram similarity finds candidate spellings of misspelt words (pg_trgm is a trusted
-- extension: the database owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE search_documents (
    listing_id         TEXT COLLATE "C" PRIMARY KEY,
    version            BIGINT NOT NULL,
    -- Words of title (weight A), industry label and city (B), state name (C) and description
    -- (D), analysed in Rust (`msme_core::search::words`) and written as a tsvector literal, so
    -- no text search configuration of this server changes them. Anonymous listings have only
    -- their industry label and state name here.
    words              TSVECTOR NOT NULL,
    industry           TEXT NOT NULL,
    -- Two-letter state code.
    state              TEXT NOT NULL,
    deal_type          TEXT NOT NULL,
    price_band         TEXT NOT NULL,
    -- Trimmed, lower-cased city; NULL for anonymous listings, so the city filter never finds one.
    city_key           TEXT,
    verified           BOOLEAN NOT NULL,
    asking_price_paise BIGINT NOT NULL,
    revenue_paise      BIGINT,
    ebitda_margin_bps  BIGINT,
    year_established   INTEGER NOT NULL,
    -- Microseconds since the epoch.
    published_micros   BIGINT
);
CREATE INDEX search_documents_words_idx ON search_documents USING GIN (words);
CREATE INDEX search_documents_industry_idx ON search_documents (industry);
CREATE INDEX search_documents_state_idx ON search_documents (state);
CREATE INDEX search_documents_price_idx ON search_documents (asking_price_paise, listing_id);

-- Every word ever indexed: where misspelt query words find their candidates (by trigram
-- similarity, then the exact edit distance in Rust). Words are only added; one no document
-- holds any more matches nothing, and `clear` empties the table.
CREATE TABLE search_terms (
    term TEXT COLLATE "C" PRIMARY KEY
);
CREATE INDEX search_terms_trgm_idx ON search_terms USING GIN (term gin_trgm_ops);

-- 2. Matchmaking: what buyers keep (preferences, saved searches, agent grants) and what
--    matchmaking keeps (interactions, saved matches, ranking models). Documents are JSON whose
--    shape belongs to the core (msme_core::matching); nothing queries inside them but
--    `latest_valuations`, which reads `value_paise` of a kept valuation report.

CREATE TABLE buyer_preferences (
    buyer_id   TEXT COLLATE "C" PRIMARY KEY REFERENCES users (id),
    -- BuyerPreferences::to_document: the wire names.
    document   JSONB NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE saved_searches (
    id         TEXT COLLATE "C" PRIMARY KEY,
    owner_id   TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    name       TEXT NOT NULL,
    -- Query, filters (wire names) and sort: SavedSearch::to_document.
    document   JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX saved_searches_owner_idx ON saved_searches (owner_id, created_at, id);

-- Agents a buyer lets see their matches.
CREATE TABLE agent_grants (
    buyer_id   TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    agent_id   TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    granted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (buyer_id, agent_id)
);

-- What buyers did with listings: what the ranker learns from. Ids are UUIDv7 (time order).
CREATE TABLE interactions (
    id         TEXT COLLATE "C" PRIMARY KEY,
    buyer_id   TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    listing_id TEXT COLLATE "C" NOT NULL REFERENCES listings (id),
    kind       TEXT NOT NULL CHECK (kind IN ('view', 'save', 'access_request', 'offer')),
    at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX interactions_buyer_idx ON interactions (buyer_id, listing_id);

-- Each buyer's best matches, derived (like the search index) and rewritten whole by the
-- matchmaker; no audit entries.
CREATE TABLE saved_matches (
    buyer_id    TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    position    INTEGER NOT NULL,
    listing_id  TEXT COLLATE "C" NOT NULL REFERENCES listings (id),
    score       DOUBLE PRECISION NOT NULL,
    reasons     JSONB NOT NULL,
    computed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (buyer_id, position)
);

-- Trained ranking models; the newest adopted one ranks matches.
CREATE TABLE ranking_models (
    id            TEXT COLLATE "C" PRIMARY KEY,
    trained_at    TIMESTAMPTZ NOT NULL,
    -- Feature names and weights: RankingModel::to_document.
    document      JSONB NOT NULL,
    interactions  BIGINT NOT NULL,
    learned_ndcg  DOUBLE PRECISION NOT NULL,
    hand_set_ndcg DOUBLE PRECISION NOT NULL,
    adopted       BOOLEAN NOT NULL
);
CREATE INDEX ranking_models_adopted_idx ON ranking_models (adopted, trained_at, id);
