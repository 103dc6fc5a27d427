-- Accounts, sessions, one-time passwords, the SMS outbox and the audit trail.
-- Times are INTEGER microseconds since the Unix epoch, UTC.

CREATE TABLE users (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    mobile               TEXT NOT NULL UNIQUE,
    email                TEXT UNIQUE,
    role                 TEXT NOT NULL,
    status               TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    mobile_verified_at   INTEGER,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    last_failed_login_at INTEGER,
    locked_until         INTEGER,
    totp_secret          TEXT,
    totp_last_step       INTEGER,
    mfa_enabled_at       INTEGER,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    revoked_at    INTEGER,
    revoke_reason TEXT,
    method        TEXT NOT NULL,
    user_agent    TEXT
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_id, created_at);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id),
    issued_at  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    rotated_at INTEGER
) STRICT;
CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);

CREATE TABLE otp_codes (
    id          TEXT PRIMARY KEY,
    mobile      TEXT NOT NULL,
    code_hash   TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    consumed_at INTEGER
) STRICT;
CREATE INDEX otp_codes_by_mobile ON otp_codes (mobile, created_at);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    channel         TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    status          TEXT NOT NULL DEFAULT 'queued',
    attempts        INTEGER NOT NULL DEFAULT 0,
    provider        TEXT,
    provider_ref    TEXT,
    last_error      TEXT,
    last_attempt_at INTEGER,
    sent_at         INTEGER
) STRICT;

-- Append-only by convention, not by trigger: `msme audit verify` must be able to detect an
-- edit made behind the program's back, and the hash chain is what proves integrity.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    request_id  TEXT,
    details     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
) STRICT;

-- The last entry appended. Kept apart from audit_log so that a removed tail shows, and the one
-- row every append updates, which serialises appends.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
) STRICT;

CREATE TABLE consumer_cursors (
    consumer TEXT PRIMARY KEY,
    seq      INTEGER NOT NULL
) STRICT;
