-- Valuations users asked for and keep. The report is one JSON document
-- (msme_core::valuation::Valuation::to_document); nothing queries inside it. The listing and the
-- time are columns of their own, for a listing's valuations newest first.
CREATE TABLE valuations (
    id           TEXT PRIMARY KEY,
    listing_id   TEXT REFERENCES listings (id),
    -- NULL when the operator asked from the terminal.
    requested_by TEXT REFERENCES users (id),
    created_at   INTEGER NOT NULL,
    document     TEXT NOT NULL
) STRICT;
CREATE INDEX valuations_by_listing ON valuations (listing_id, created_at, id);
CREATE INDEX valuations_by_time ON valuations (created_at);
