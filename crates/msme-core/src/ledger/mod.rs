//! The money of the marketplace: a double-entry ledger, two-phase holds, escrows per deal,
//! payouts and idempotency. Pure domain: no I/O here; [`LedgerStore`] is the port storage
//! implements.
//!
//! # Invariants
//! - Money moves only by [`JournalEntry`]s, which exist only balanced (debits = credits, at
//!   least two postings, every amount positive, checked arithmetic) and are never edited.
//! - Balances are derived ([`Balances`]) by folding entries and pending holds; over the whole
//!   ledger the net balances sum to zero.
//! - Guarded accounts (escrow, payables, payouts in transit) never go below zero.
//! - For every escrow: `funded = released + refunded + held`, `held` = its account's balance.
//! - A hold posts at most what it held; a failed payout returns to its payable.
//! - A request's idempotency key is honoured: same request → the first response; a different
//!   request under the same key → `idempotency_conflict`.
//!
//! [`verify`] checks these over stored data for `msme ledger verify`, including that the
//! balances a backend derives and stores equal the fold of the postings.

mod account;
mod balances;
mod effects;
mod entry;
mod error;
mod escrow;
mod hold;
mod idempotency;
mod ids;
mod payment;
mod payout;
mod records;
mod state;
mod store;
mod terms;
pub mod verify;

#[cfg(test)]
mod tests;

pub use account::{AccountKind, GatewayName, LedgerAccount, Side};
pub use balances::{AccountBalance, Balances};
pub use effects::BalanceEffects;
pub use entry::{check_postings, EntryContext, EntryHeader, EntryKind, JournalEntry, Posting};
pub use error::{EscrowError, LedgerError};
pub use escrow::{Escrow, EscrowCommand, Resolution, Transition};
pub use hold::{Hold, HoldState};
pub use idempotency::{
    decide, FingerprintBuilder, IdempotencyDecision, IdempotencyKey, IdempotencyRecord,
    RequestFingerprint,
};
pub use ids::{EntryId, EscrowId, HoldId, PaymentId, PayoutId};
pub use payment::{BankReference, Payment, BANK_TRANSFER};
pub use payout::{backoff, Payout, PayoutState};
pub use records::{corrupt, stored_kind, stored_side, EscrowColumns, StatementLine, StoredEntry};
pub use state::{EscrowAction, EscrowState};
pub use store::{EscrowWrite, IdempotencyWrite, IdempotentOutcome, LedgerStore};
pub use terms::{
    EscrowTerms, EscrowTermsInput, Milestone, MilestoneInput, FULL_BPS, MAX_MILESTONES,
};
pub use verify::{LedgerVerifier, Violation};
