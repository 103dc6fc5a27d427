-- The ledger: journal entries and postings (append-only, balanced per entry), balances derived
-- from them in the same transactions, holds, escrows, payouts, idempotency keys, and the
-- sandbox gateway's books. Amounts are BIGINT paise.
--
-- Balance is enforced at COMMIT by DEFERRABLE INITIALLY DEFERRED constraint triggers: whenever
-- an entry or one of its postings was inserted, the entry must by commit time have its header,
-- as many postings as the header says (at least two), and postings that sum to zero (debits +,
-- credits -). Entries and postings can be neither updated, deleted nor truncated.

CREATE TABLE ledger_head (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO ledger_head (id, seq) VALUES (1, 0);

CREATE TABLE ledger_entries (
    seq             BIGINT PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    escrow_id       TEXT,
    kind            TEXT NOT NULL CHECK (kind IN ('funding', 'milestone_release', 'refund',
                        'dispute_resolution', 'payout', 'payout_failure', 'payout_settlement',
                        'hold_post')),
    idempotency_key TEXT NOT NULL,
    at              TIMESTAMPTZ NOT NULL,
    memo            TEXT NOT NULL,
    posting_count   INTEGER NOT NULL CHECK (posting_count >= 2)
);

CREATE TABLE ledger_postings (
    entry_id TEXT NOT NULL REFERENCES ledger_entries (id),
    n        INTEGER NOT NULL,
    account  TEXT NOT NULL,
    side     TEXT NOT NULL CHECK (side IN ('debit', 'credit')),
    amount   BIGINT NOT NULL CHECK (amount > 0),
    PRIMARY KEY (entry_id, n)
);

CREATE INDEX ledger_postings_account ON ledger_postings (account);
CREATE INDEX ledger_entries_escrow ON ledger_entries (escrow_id) WHERE escrow_id IS NOT NULL;

CREATE FUNCTION ledger_entry_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry    TEXT;
    expected INTEGER;
    found    INTEGER;
    net      NUMERIC;
BEGIN
    IF TG_TABLE_NAME = 'ledger_entries' THEN
        entry := NEW.id;
    ELSE
        entry := NEW.entry_id;
    END IF;
    SELECT posting_count INTO expected FROM ledger_entries WHERE id = entry;
    SELECT COUNT(*), COALESCE(SUM(CASE side WHEN 'debit' THEN amount ELSE -amount END), 0)
      INTO found, net FROM ledger_postings WHERE entry_id = entry;
    IF expected IS NULL OR found <> expected OR found < 2 OR net <> 0 THEN
        RAISE EXCEPTION 'unbalanced entry %: % postings (header says %), net %',
            entry, found, expected, net
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER ledger_entries_balance AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_balances();
CREATE CONSTRAINT TRIGGER ledger_postings_balance AFTER INSERT ON ledger_postings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_balances();

CREATE FUNCTION ledger_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER ledger_entries_immutable BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_immutable();
CREATE TRIGGER ledger_postings_immutable BEFORE UPDATE OR DELETE ON ledger_postings
    FOR EACH ROW EXECUTE FUNCTION ledger_immutable();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_immutable();
CREATE TRIGGER ledger_postings_no_truncate BEFORE TRUNCATE ON ledger_postings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_immutable();

-- Derived from postings and pending holds, changed only in the transaction that appends them;
-- its rows are also the per-account locks of the overdraft guard.
CREATE TABLE ledger_balances (
    account         TEXT PRIMARY KEY,
    debits_posted   BIGINT NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
    credits_posted  BIGINT NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
    debits_pending  BIGINT NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
    credits_pending BIGINT NOT NULL DEFAULT 0 CHECK (credits_pending >= 0)
);

CREATE TABLE ledger_holds (
    id             TEXT PRIMARY KEY,
    debit_account  TEXT NOT NULL,
    credit_account TEXT NOT NULL,
    amount         BIGINT NOT NULL CHECK (amount > 0),
    state          TEXT NOT NULL CHECK (state IN ('pending', 'posted', 'voided', 'expired')),
    posted_amount  BIGINT CHECK (posted_amount IS NULL OR (posted_amount > 0 AND posted_amount <= amount)),
    escrow_id      TEXT,
    expires_at     TIMESTAMPTZ,
    version        BIGINT NOT NULL
);

CREATE TABLE escrows (
    id                   TEXT PRIMARY KEY,
    listing_id           TEXT NOT NULL,
    buyer_id             TEXT NOT NULL REFERENCES users (id),
    seller_id            TEXT NOT NULL REFERENCES users (id),
    agent_id             TEXT REFERENCES users (id),
    amount               BIGINT NOT NULL CHECK (amount > 0),
    platform_fee_bps     BIGINT NOT NULL,
    agent_commission_bps BIGINT NOT NULL,
    milestones           TEXT NOT NULL,
    state                TEXT NOT NULL,
    released_milestones  TEXT NOT NULL,
    funded               BIGINT NOT NULL CHECK (funded >= 0),
    released             BIGINT NOT NULL CHECK (released >= 0),
    refunded             BIGINT NOT NULL CHECK (refunded >= 0),
    funding_source       TEXT,
    version              BIGINT NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    CHECK (released + refunded <= funded)
);

CREATE INDEX escrows_listing ON escrows (listing_id);

CREATE TABLE payouts (
    id              TEXT PRIMARY KEY,
    payee           TEXT NOT NULL,
    amount          BIGINT NOT NULL CHECK (amount > 0),
    gateway         TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('in_transit', 'settled', 'failed')),
    version         BIGINT NOT NULL,
    gateway_ref     TEXT,
    attempts        INTEGER NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE INDEX payouts_due ON payouts (next_attempt_at) WHERE state = 'in_transit';
CREATE INDEX payouts_payee ON payouts (payee, created_at);

CREATE TABLE idempotency_keys (
    key           TEXT PRIMARY KEY,
    fingerprint   TEXT NOT NULL,
    response_json TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE sandbox_objects (
    kind            TEXT NOT NULL,
    id              TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    amount          BIGINT NOT NULL,
    status          TEXT NOT NULL,
    reference       TEXT NOT NULL,
    ready_at        TIMESTAMPTZ NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, id),
    UNIQUE (kind, idempotency_key)
);
