//! Identifiers of ledger things, made by the same `id_type!` as the ids in [`crate::types`]
//! (UUIDv7 text); a bad one names its field.

use crate::types::id_type;

id_type!(
    /// Identifies an escrow: the money of one deal, held for its buyer.
    EscrowId,
    "escrow_id"
);
id_type!(
    /// Identifies a journal entry.
    EntryId,
    "entry_id"
);
id_type!(
    /// Identifies a two-phase hold (a pending transfer).
    HoldId,
    "hold_id"
);
id_type!(
    /// Identifies a payout from a payable account to someone's bank account.
    PayoutId,
    "payout_id"
);
id_type!(
    /// Identifies a payment that funded an escrow: through a gateway, or a bank transfer an
    /// admin confirmed.
    PaymentId,
    "payment_id"
);
