-- The marketplace proper: profiles, KYC, documents, listings with their financials, assets and
-- access grants. Times are INTEGER microseconds since the Unix epoch, UTC; money is INTEGER paise.

-- A profile's fields are one JSON document (msme_core::profile::Profile::to_document); which
-- fields apply depends on the role, and nothing queries inside it.
CREATE TABLE profiles (
    user_id    TEXT PRIMARY KEY REFERENCES users (id),
    document   TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE kyc (
    user_id          TEXT PRIMARY KEY REFERENCES users (id),
    pan              TEXT NOT NULL,
    gstin            TEXT,
    udyam            TEXT,
    aadhaar_last4    TEXT,
    status           TEXT NOT NULL,
    rejection_reason TEXT,
    submitted_at     INTEGER NOT NULL,
    decided_at       INTEGER,
    decided_by       TEXT
) STRICT;
-- The review queue: records of one status in user-id order.
CREATE INDEX kyc_by_status ON kyc (status, user_id);

-- Every column a query filters or sorts on is a column of its own. `city_key` is the city
-- lower-cased, for filters that ignore case; `latest_*` are the newest fiscal year's figures,
-- copied from listing_financials for search.
CREATE TABLE listings (
    id                   TEXT PRIMARY KEY,
    seller_id            TEXT NOT NULL REFERENCES users (id),
    status               TEXT NOT NULL,
    title                TEXT NOT NULL,
    description          TEXT NOT NULL,
    industry             TEXT NOT NULL,
    state                TEXT NOT NULL,
    city                 TEXT NOT NULL,
    city_key             TEXT NOT NULL,
    year_established     INTEGER NOT NULL,
    employees            INTEGER NOT NULL,
    deal_type            TEXT NOT NULL,
    asking_price_paise   INTEGER NOT NULL,
    anonymous            INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    latest_revenue_paise INTEGER,
    latest_ebitda_paise  INTEGER,
    rejection_reason     TEXT,
    version              INTEGER NOT NULL,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    published_at         INTEGER
) STRICT;
-- The sorts (newest; price) over everything and over a status set, the keyset cursors' order.
CREATE INDEX listings_newest ON listings (created_at, id);
CREATE INDEX listings_by_price ON listings (asking_price_paise, id);
CREATE INDEX listings_by_status_newest ON listings (status, created_at, id);
CREATE INDEX listings_by_status_price ON listings (status, asking_price_paise, id);
-- A seller's own listings; the narrower filters.
CREATE INDEX listings_by_seller ON listings (seller_id, created_at, id);
CREATE INDEX listings_by_industry ON listings (industry, status);
CREATE INDEX listings_by_place ON listings (state, city_key, status);

CREATE TABLE listing_financials (
    listing_id              TEXT NOT NULL REFERENCES listings (id),
    fiscal_year             INTEGER NOT NULL,
    revenue_paise           INTEGER NOT NULL,
    ebitda_paise            INTEGER NOT NULL,
    net_profit_paise        INTEGER NOT NULL,
    total_assets_paise      INTEGER NOT NULL,
    total_liabilities_paise INTEGER NOT NULL,
    debt_paise              INTEGER NOT NULL,
    PRIMARY KEY (listing_id, fiscal_year)
) STRICT, WITHOUT ROWID;

CREATE TABLE listing_assets (
    id               TEXT PRIMARY KEY,
    listing_id       TEXT NOT NULL REFERENCES listings (id),
    item             TEXT NOT NULL,
    category         TEXT NOT NULL,
    quantity         INTEGER NOT NULL,
    book_value_paise INTEGER NOT NULL,
    condition        TEXT NOT NULL,
    created_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX listing_assets_by_listing ON listing_assets (listing_id, created_at, id);

CREATE TABLE listing_access (
    listing_id TEXT NOT NULL REFERENCES listings (id),
    buyer_id   TEXT NOT NULL REFERENCES users (id),
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (listing_id, buyer_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE documents (
    id           TEXT PRIMARY KEY,
    owner_id     TEXT NOT NULL REFERENCES users (id),
    listing_id   TEXT REFERENCES listings (id),
    kind         TEXT NOT NULL,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    blob_key     TEXT NOT NULL,
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX documents_by_owner ON documents (owner_id, created_at, id);
CREATE INDEX documents_by_listing ON documents (listing_id, created_at, id);
