-- The ledger: journal entries and postings (append-only, balanced per entry), balances derived
-- from them in the same transactions, holds, escrows, payouts, idempotency keys, and the
-- sandbox gateway's books. Amounts are INTEGER paise; times INTEGER microseconds, UTC.
--
-- How an unbalanced entry is made impossible to commit: postings are inserted BEFORE their
-- entry's header row. Their foreign key to the header is DEFERRED, so postings without a
-- header fail at COMMIT; the header's insert trigger refuses it unless its postings are at
-- least two, as many as the header says, and sum to zero (debits +, credits -); and once the
-- header exists no posting may be added to it. Entries and postings can be neither updated nor
-- deleted.

CREATE TABLE ledger_entries (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    escrow_id       TEXT,
    kind            TEXT NOT NULL CHECK (kind IN ('funding', 'milestone_release', 'refund',
                        'dispute_resolution', 'payout', 'payout_failure', 'payout_settlement',
                        'hold_post')),
    idempotency_key TEXT NOT NULL,
    at              INTEGER NOT NULL,
    memo            TEXT NOT NULL,
    posting_count   INTEGER NOT NULL CHECK (posting_count >= 2)
) STRICT;

CREATE TABLE ledger_postings (
    entry_id TEXT NOT NULL REFERENCES ledger_entries (id) DEFERRABLE INITIALLY DEFERRED,
    n        INTEGER NOT NULL,
    account  TEXT NOT NULL,
    side     TEXT NOT NULL CHECK (side IN ('debit', 'credit')),
    amount   INTEGER NOT NULL CHECK (amount > 0),
    PRIMARY KEY (entry_id, n)
) STRICT;

CREATE INDEX ledger_postings_account ON ledger_postings (account);
CREATE INDEX ledger_entries_escrow ON ledger_entries (escrow_id) WHERE escrow_id IS NOT NULL;

CREATE TRIGGER ledger_entry_balances BEFORE INSERT ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'unbalanced entry: its postings do not sum to zero')
    WHERE (SELECT COUNT(*) FROM ledger_postings WHERE entry_id = NEW.id) <> NEW.posting_count
       OR (SELECT COALESCE(SUM(CASE side WHEN 'debit' THEN amount ELSE -amount END), 1)
             FROM ledger_postings WHERE entry_id = NEW.id) <> 0;
END;

CREATE TRIGGER ledger_postings_closed BEFORE INSERT ON ledger_postings
WHEN EXISTS (SELECT 1 FROM ledger_entries WHERE id = NEW.entry_id)
BEGIN
    SELECT RAISE(ABORT, 'postings cannot be added to an entry already made');
END;

CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'journal entries are immutable'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'journal entries are immutable'); END;
CREATE TRIGGER ledger_postings_no_update BEFORE UPDATE ON ledger_postings
BEGIN SELECT RAISE(ABORT, 'postings are immutable'); END;
CREATE TRIGGER ledger_postings_no_delete BEFORE DELETE ON ledger_postings
BEGIN SELECT RAISE(ABORT, 'postings are immutable'); END;

-- Derived from postings and pending holds, changed only in the transaction that appends them;
-- `ledger verify` compares it with the fold of the postings.
CREATE TABLE ledger_balances (
    account         TEXT PRIMARY KEY,
    debits_posted   INTEGER NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
    credits_posted  INTEGER NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
    debits_pending  INTEGER NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
    credits_pending INTEGER NOT NULL DEFAULT 0 CHECK (credits_pending >= 0)
) STRICT;

CREATE TABLE ledger_holds (
    id             TEXT PRIMARY KEY,
    debit_account  TEXT NOT NULL,
    credit_account TEXT NOT NULL,
    amount         INTEGER NOT NULL CHECK (amount > 0),
    state          TEXT NOT NULL CHECK (state IN ('pending', 'posted', 'voided', 'expired')),
    posted_amount  INTEGER CHECK (posted_amount IS NULL OR (posted_amount > 0 AND posted_amount <= amount)),
    escrow_id      TEXT,
    expires_at     INTEGER,
    version        INTEGER NOT NULL
) STRICT;

CREATE INDEX ledger_holds_pending ON ledger_holds (id) WHERE state = 'pending';

CREATE TABLE escrows (
    id                   TEXT PRIMARY KEY,
    listing_id           TEXT NOT NULL,
    buyer_id             TEXT NOT NULL REFERENCES users (id),
    seller_id            TEXT NOT NULL REFERENCES users (id),
    agent_id             TEXT REFERENCES users (id),
    amount               INTEGER NOT NULL CHECK (amount > 0),
    platform_fee_bps     INTEGER NOT NULL,
    agent_commission_bps INTEGER NOT NULL,
    milestones           TEXT NOT NULL,
    state                TEXT NOT NULL,
    released_milestones  TEXT NOT NULL,
    funded               INTEGER NOT NULL CHECK (funded >= 0),
    released             INTEGER NOT NULL CHECK (released >= 0),
    refunded             INTEGER NOT NULL CHECK (refunded >= 0),
    funding_source       TEXT,
    version              INTEGER NOT NULL,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    CHECK (released + refunded <= funded)
) STRICT;

CREATE INDEX escrows_listing ON escrows (listing_id);

CREATE TABLE payouts (
    id              TEXT PRIMARY KEY,
    payee           TEXT NOT NULL,
    amount          INTEGER NOT NULL CHECK (amount > 0),
    gateway         TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('in_transit', 'settled', 'failed')),
    version         INTEGER NOT NULL,
    gateway_ref     TEXT,
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;

CREATE INDEX payouts_due ON payouts (next_attempt_at) WHERE state = 'in_transit';
CREATE INDEX payouts_payee ON payouts (payee, created_at);

CREATE TABLE idempotency_keys (
    key           TEXT PRIMARY KEY,
    fingerprint   TEXT NOT NULL,
    response_json TEXT NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE sandbox_objects (
    kind            TEXT NOT NULL,
    id              TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    amount          INTEGER NOT NULL,
    status          TEXT NOT NULL,
    reference       TEXT NOT NULL,
    ready_at        INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (kind, id),
    UNIQUE (kind, idempotency_key)
) STRICT;
