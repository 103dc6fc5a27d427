//! Identifiers of ledger things. Same shape as the ids in [`crate::types`] (UUIDv7 text), kept
//! here because the `id_type!` macro there is private to that file.

use std::fmt;

use crate::error::ValidationError;

macro_rules! ledger_id {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// A fresh, time-ordered id (UUIDv7).
            pub fn generate() -> Self {
                Self(uuid::Uuid::now_v7().to_string())
            }
            /// Parses an id given by a client; only canonical UUID text is accepted.
            pub fn parse(s: &str) -> Result<Self, ValidationError> {
                uuid::Uuid::try_parse(s)
                    .map(|u| Self(u.to_string()))
                    .map_err(|_| ValidationError::new($field, "must be a UUID"))
            }
            /// Wraps an id read back from storage, which stored only valid ids.
            pub fn from_trusted(s: String) -> Self {
                Self(s)
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}

ledger_id!(
    /// Identifies an escrow: the money of one deal, held for its buyer.
    EscrowId,
    "escrow_id"
);
ledger_id!(
    /// Identifies a journal entry.
    EntryId,
    "entry_id"
);
ledger_id!(
    /// Identifies a two-phase hold (a pending transfer).
    HoldId,
    "hold_id"
);
ledger_id!(
    /// Identifies a payout from a payable account to someone's bank account.
    PayoutId,
    "payout_id"
);
