-- Valuations users asked for and keep. The report is one JSONB document
-- (msme_core::valuation::Valuation::to_document); nothing queries inside it. The listing and the
-- time are columns of their own, for a listing's valuations newest first.
CREATE TABLE valuations (
    id           TEXT COLLATE "C" PRIMARY KEY,
    listing_id   TEXT COLLATE "C" REFERENCES listings (id),
    -- NULL when the operator asked from the terminal.
    requested_by TEXT COLLATE "C" REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL,
    document     JSONB NOT NULL
);
CREATE INDEX valuations_by_listing ON valuations (listing_id, created_at, id);
CREATE INDEX valuations_by_time ON valuations (created_at);
