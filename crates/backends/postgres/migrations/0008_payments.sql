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
    amount      BIGINT NOT NULL CHECK (amount > 0),
    created_at  TIMESTAMPTZ NOT NULL,
    CONSTRAINT payments_gateway_ref_once UNIQUE (source, gateway_ref)
);

CREATE INDEX payments_escrow ON payments (escrow_id);

CREATE TRIGGER payments_immutable BEFORE UPDATE OR DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION ledger_immutable();
CREATE TRIGGER payments_not_truncated BEFORE TRUNCATE ON payments
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_immutable();

CREATE INDEX escrows_buyer ON escrows (buyer_id, id);
CREATE INDEX escrows_seller ON escrows (seller_id, id);
CREATE INDEX escrows_agent ON escrows (agent_id, id) WHERE agent_id IS NOT NULL;
