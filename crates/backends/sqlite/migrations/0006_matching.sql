-- Matchmaking: what buyers keep (preferences, saved searches, agent grants) and what
-- matchmaking keeps (interactions, saved matches, ranking models). Documents are JSON whose
-- shape belongs to the core (msme_core::matching); nothing queries inside them but
-- `latest_valuations`, which reads `value_paise` of a kept valuation report.

CREATE TABLE buyer_preferences (
    buyer_id   TEXT PRIMARY KEY REFERENCES users (id),
    -- BuyerPreferences::to_document: the wire names.
    document   TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE saved_searches (
    id         TEXT PRIMARY KEY,
    owner_id   TEXT NOT NULL REFERENCES users (id),
    name       TEXT NOT NULL,
    -- Query, filters (wire names) and sort: SavedSearch::to_document.
    document   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX saved_searches_owner_idx ON saved_searches (owner_id, created_at, id);

-- Agents a buyer lets see their matches.
CREATE TABLE agent_grants (
    buyer_id   TEXT NOT NULL REFERENCES users (id),
    agent_id   TEXT NOT NULL REFERENCES users (id),
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (buyer_id, agent_id)
) STRICT;

-- What buyers did with listings (view, save, access_request, offer): what the ranker learns
-- from. Ids are UUIDv7, so id order is time order.
CREATE TABLE interactions (
    id         TEXT PRIMARY KEY,
    buyer_id   TEXT NOT NULL REFERENCES users (id),
    listing_id TEXT NOT NULL REFERENCES listings (id),
    kind       TEXT NOT NULL CHECK (kind IN ('view', 'save', 'access_request', 'offer')),
    at         INTEGER NOT NULL
) STRICT;
CREATE INDEX interactions_buyer_idx ON interactions (buyer_id, listing_id);

-- Each buyer's best matches, derived (like a search index) and rewritten whole by the
-- matchmaker; no audit entries.
CREATE TABLE saved_matches (
    buyer_id    TEXT NOT NULL REFERENCES users (id),
    position    INTEGER NOT NULL,
    listing_id  TEXT NOT NULL REFERENCES listings (id),
    score       REAL NOT NULL,
    -- A JSON array of strings.
    reasons     TEXT NOT NULL,
    computed_at INTEGER NOT NULL,
    PRIMARY KEY (buyer_id, position)
) STRICT;

-- Trained ranking models; the newest adopted one ranks matches.
CREATE TABLE ranking_models (
    id            TEXT PRIMARY KEY,
    trained_at    INTEGER NOT NULL,
    -- Feature names and weights: RankingModel::to_document.
    document      TEXT NOT NULL,
    interactions  INTEGER NOT NULL,
    learned_ndcg  REAL NOT NULL,
    hand_set_ndcg REAL NOT NULL,
    adopted       INTEGER NOT NULL CHECK (adopted IN (0, 1))
) STRICT;
CREATE INDEX ranking_models_adopted_idx ON ranking_models (adopted, trained_at, id);
