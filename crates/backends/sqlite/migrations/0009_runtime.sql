-- The event stream's consumers: a lease (which worker runs each consumer, until when), a count
-- of the events handled, and the events a consumer gave up on (dead letters), kept for an
-- operator. And the index the SMS worker reads the queued outbox by.

ALTER TABLE consumer_cursors ADD COLUMN lease_owner TEXT;
ALTER TABLE consumer_cursors ADD COLUMN lease_until INTEGER;
ALTER TABLE consumer_cursors ADD COLUMN handled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE consumer_cursors ADD COLUMN updated_at INTEGER;

CREATE TABLE dead_letters (
    consumer TEXT NOT NULL,
    seq      INTEGER NOT NULL,
    action   TEXT NOT NULL,
    error    TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    at       INTEGER NOT NULL,
    PRIMARY KEY (consumer, seq)
) STRICT;
CREATE INDEX dead_letters_newest ON dead_letters (at, seq);

CREATE INDEX outbox_queued ON outbox (id) WHERE status = 'queued';
