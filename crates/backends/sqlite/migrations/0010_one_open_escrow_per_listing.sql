-- A listing is under offer by at most one escrow at a time. The listing's own state follows its
-- escrow a moment later (the runtime's `listing-escrows` consumer), so the rule is kept here,
-- in the transaction that opens the escrow: a second open escrow on a listing is refused.
CREATE UNIQUE INDEX escrows_one_open_per_listing ON escrows (listing_id)
    WHERE state IN ('created', 'funded', 'partially_released', 'disputed');
