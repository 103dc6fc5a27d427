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
