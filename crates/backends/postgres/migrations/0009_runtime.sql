-- The event stream's consumers: a lease (which worker runs each consumer, until when), a count
-- of the events handled, and the events a consumer gave up on (dead letters), kept for an
-- operator. A notification on `msme_events` after every statement that appends to the audit
-- log wakes the consumers of every process. And the index the SMS worker reads the queued
-- outbox by.

ALTER TABLE consumer_cursors
    ADD COLUMN lease_owner TEXT,
    ADD COLUMN lease_until TIMESTAMPTZ,
    ADD COLUMN handled     BIGINT NOT NULL DEFAULT 0;

CREATE TABLE dead_letters (
    consumer TEXT NOT NULL,
    seq      BIGINT NOT NULL,
    action   TEXT NOT NULL,
    error    TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (consumer, seq)
);
CREATE INDEX dead_letters_newest ON dead_letters (at, seq);

-- A constant payload: PostgreSQL folds identical notifications of one transaction into one,
-- delivered at commit (and never for a rolled-back one).
CREATE FUNCTION notify_msme_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('msme_events', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER audit_log_notify AFTER INSERT ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION notify_msme_events();

CREATE INDEX outbox_queued ON outbox (id) WHERE status = 'queued';
