-- The marketplace proper: profiles, KYC, documents, listings with their financials, asset
-- inventory and access grants.
--
-- Ids are compared with the "C" collation so that keyset pages and id order are byte order,
-- the order Rust sorts the same strings in, whatever the database's default collation is.

CREATE TABLE profiles (
    user_id    TEXT COLLATE "C" PRIMARY KEY REFERENCES users (id),
    -- The profile's fields as the core serialises them (`Profile::to_document`).
    document   JSONB NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE kyc (
    user_id          TEXT COLLATE "C" PRIMARY KEY REFERENCES users (id),
    pan              TEXT NOT NULL,
    gstin            TEXT,
    udyam            TEXT,
    -- Never the full Aadhaar number.
    aadhaar_last4    TEXT,
    status           TEXT NOT NULL,
    rejection_reason TEXT,
    submitted_at     TIMESTAMPTZ NOT NULL,
    decided_at       TIMESTAMPTZ,
    decided_by       TEXT
);
-- The admin desk lists records of one status in user-id order.
CREATE INDEX kyc_status_idx ON kyc (status, user_id);

CREATE TABLE listings (
    id                   TEXT COLLATE "C" PRIMARY KEY,
    seller_id            TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    status               TEXT NOT NULL,
    title                TEXT NOT NULL,
    description          TEXT NOT NULL,
    -- Wire name of the industry (`industry(id)` reads it back).
    industry             TEXT NOT NULL,
    -- Official name of the state (`state(name)` reads it back).
    state                TEXT NOT NULL,
    city                 TEXT NOT NULL,
    -- The city as filters compare it: trimmed and lower-cased in Rust (`city_key`), so the
    -- match is the same as msme-sqlite's whatever this database's locale is.
    city_key             TEXT NOT NULL,
    year_established     INTEGER NOT NULL,
    employees            INTEGER NOT NULL,
    deal_type            TEXT NOT NULL,
    asking_price_paise   BIGINT NOT NULL,
    anonymous            BOOLEAN NOT NULL,
    -- The newest fiscal year's figures, copied from listing_financials for search.
    latest_revenue_paise BIGINT,
    latest_ebitda_paise  BIGINT,
    rejection_reason     TEXT,
    version              BIGINT NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    published_at         TIMESTAMPTZ
);
-- Keyset orders: newest (created_at, id) and by price (asking_price_paise, id), alone and
-- after the filter buyers always apply (status) or sellers use (seller_id).
CREATE INDEX listings_newest_idx ON listings (created_at, id);
CREATE INDEX listings_price_idx ON listings (asking_price_paise, id);
CREATE INDEX listings_status_newest_idx ON listings (status, created_at, id);
CREATE INDEX listings_status_price_idx ON listings (status, asking_price_paise, id);
CREATE INDEX listings_seller_idx ON listings (seller_id, created_at, id);
CREATE INDEX listings_industry_idx ON listings (industry, status);
CREATE INDEX listings_state_idx ON listings (state, status);
CREATE INDEX listings_city_idx ON listings (city_key);

CREATE TABLE listing_financials (
    listing_id              TEXT COLLATE "C" NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    fiscal_year             INTEGER NOT NULL,
    revenue_paise           BIGINT NOT NULL,
    ebitda_paise            BIGINT NOT NULL,
    net_profit_paise        BIGINT NOT NULL,
    total_assets_paise      BIGINT NOT NULL,
    total_liabilities_paise BIGINT NOT NULL,
    debt_paise              BIGINT NOT NULL,
    PRIMARY KEY (listing_id, fiscal_year)
);

CREATE TABLE listing_assets (
    id               TEXT COLLATE "C" PRIMARY KEY,
    listing_id       TEXT COLLATE "C" NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    item             TEXT NOT NULL,
    category         TEXT NOT NULL,
    quantity         INTEGER NOT NULL,
    book_value_paise BIGINT NOT NULL,
    condition        TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX listing_assets_listing_idx ON listing_assets (listing_id, created_at, id);

CREATE TABLE listing_access (
    listing_id TEXT COLLATE "C" NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    buyer_id   TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    granted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (listing_id, buyer_id)
);

CREATE TABLE documents (
    id           TEXT COLLATE "C" PRIMARY KEY,
    owner_id     TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    listing_id   TEXT COLLATE "C" REFERENCES listings (id),
    kind         TEXT NOT NULL,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    blob_key     TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX documents_owner_idx ON documents (owner_id, created_at, id);
CREATE INDEX documents_listing_idx ON documents (listing_id, created_at, id)
    WHERE listing_id IS NOT NULL;
