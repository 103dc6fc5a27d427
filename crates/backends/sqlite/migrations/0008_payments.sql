-- Payments that funded escrows (through a gateway, or a bank transfer an admin confirmed),
-- inserted in the transaction that funds the escrow and never changed; one gateway payment
-- (or bank reference) funds at most one escrow. And the indexes that list each party's
-- escrows.

CREATE TABLE payments (
    id          TEXT PRIMARY KEY,
    escrow_id   TEXT NOT NULL REFERENCES escrows (id),
    source      TEXT NOT NULL,
    gateway_ref TEXT NOT NULL,
    order_id    TEXT,
    amount      INTEGER NOT NULL CHECK (amount > 0),
    created_at  INTEGER NOT NULL,
    UNIQUE (source, gateway_ref)
) STRICT;

CREATE INDEX payments_escrow ON payments (escrow_id);

CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are immutable'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are immutable'); END;

CREATE INDEX escrows_buyer ON escrows (buyer_id, id);
CREATE INDEX escrows_seller ON escrows (seller_id, id);
CREATE INDEX escrows_agent ON escrows (agent_id, id) WHERE agent_id IS NOT NULL;
