-- Accounts, sessions, one-time passwords, the SMS outbox and the hash-chained audit log.

CREATE TABLE users (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    mobile             TEXT NOT NULL,
    email              TEXT,
    role               TEXT NOT NULL,
    status             TEXT NOT NULL,
    password_hash      TEXT NOT NULL,
    mobile_verified_at TIMESTAMPTZ,
    failed_logins      INTEGER NOT NULL DEFAULT 0,
    locked_until       TIMESTAMPTZ,
    totp_secret        TEXT,
    -- The last TOTP time step accepted; a code for it or an earlier step is a replay.
    totp_last_step     BIGINT,
    mfa_enabled_at     TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    -- The backend maps violations of these two names to Duplicate("mobile") / ("email").
    CONSTRAINT users_mobile_key UNIQUE (mobile),
    CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id),
    created_at    TIMESTAMPTZ NOT NULL,
    last_used_at  TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    revoked_at    TIMESTAMPTZ,
    revoke_reason TEXT,
    method        TEXT NOT NULL,
    user_agent    TEXT
);
CREATE INDEX sessions_user_idx ON sessions (user_id, created_at DESC);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id),
    issued_at  TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    rotated_at TIMESTAMPTZ
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

CREATE TABLE otp_codes (
    id          TEXT PRIMARY KEY,
    mobile      TEXT NOT NULL,
    code_hash   TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    consumed_at TIMESTAMPTZ
);
CREATE INDEX otp_codes_mobile_idx ON otp_codes (mobile, created_at DESC);

CREATE TABLE outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel         TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    status          TEXT NOT NULL DEFAULT 'queued',
    attempts        INTEGER NOT NULL DEFAULT 0,
    provider        TEXT,
    provider_ref    TEXT,
    last_error      TEXT,
    sent_at         TIMESTAMPTZ,
    last_attempt_at TIMESTAMPTZ
);

CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    request_id  TEXT,
    details     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id);

-- The last entry appended. Every append locks this one row until its transaction commits,
-- which makes seq gapless and in commit order; kept apart from audit_log so a removed tail shows.
CREATE TABLE audit_head (
    id   SMALLINT PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Where each consumer of the event stream (the audit log) has read up to.
CREATE TABLE consumer_cursors (
    consumer   TEXT PRIMARY KEY,
    seq        BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
