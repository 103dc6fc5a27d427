//! Errors of the ledger and of escrows, each with a stable code.

use crate::error::{impl_domain_error, ValidationError};
use crate::ledger::{EscrowAction, EscrowState, HoldId, HoldState, LedgerAccount, PayoutState};
use crate::money::Paise;

/// Failures of the ledger itself: entries, holds, payouts, idempotency.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// Debits and credits differ. A bug in the code that built the entry, never client input.
    #[error("unbalanced entry: debits {debits} but credits {credits}")]
    UnbalancedEntry { debits: Paise, credits: Paise },
    #[error("an entry needs at least two postings, this one has {count}")]
    TooFewPostings { count: usize },
    #[error("a posting to {account} is {amount}; postings must be positive")]
    NonPositivePosting {
        account: LedgerAccount,
        amount: Paise,
    },
    #[error("the amounts are too large to add up")]
    Overflow,
    #[error("{account} has {available} available, {needed} is needed")]
    InsufficientFunds {
        account: LedgerAccount,
        available: Paise,
        needed: Paise,
    },
    #[error("a hold cannot move money from an account to itself ({0})")]
    SameAccount(LedgerAccount),
    #[error("hold {id} is {}, not pending", state.as_str())]
    HoldNotPending { id: HoldId, state: HoldState },
    #[error("cannot post {requested} of a hold of {pending}")]
    HoldOverPost { pending: Paise, requested: Paise },
    #[error("the hold has not expired yet")]
    HoldNotExpired,
    #[error("{account} is not a payable account; payouts are drawn only from payables")]
    NotPayable { account: LedgerAccount },
    #[error("a payout that is {} cannot be {action}", from.as_str())]
    IllegalPayoutTransition {
        from: PayoutState,
        action: &'static str,
    },
    /// Someone else moved the record first; reload and try again.
    #[error("the record was changed by another request; reload it and try again")]
    ConcurrentUpdate,
    /// The idempotency key was used before for a different request.
    #[error("this idempotency key was already used for a different request")]
    IdempotencyConflict,
}

impl_domain_error!(LedgerError {
    via: Invalid;
    codes: {
        // Entries are built by our code from checked terms: an unbalanced one is a bug.
        Self::UnbalancedEntry { .. } => "unbalanced_entry", Internal;
        Self::TooFewPostings { .. } => "too_few_postings", Internal;
        Self::NonPositivePosting { .. } => "non_positive_posting", Internal;
        Self::Overflow => "amount_overflow", InvalidInput;
        Self::InsufficientFunds { .. } => "insufficient_funds", Conflict;
        Self::SameAccount(_) => "same_account", InvalidInput;
        Self::HoldNotPending { .. } => "hold_not_pending", Conflict;
        Self::HoldOverPost { .. } => "hold_over_post", InvalidInput;
        Self::HoldNotExpired => "hold_not_expired", Conflict;
        Self::NotPayable { .. } => "not_payable", InvalidInput;
        Self::IllegalPayoutTransition { .. } => "illegal_transition", Conflict;
        Self::IdempotencyConflict => "idempotency_conflict", Conflict;
        Self::ConcurrentUpdate => "concurrent_update", Conflict;
    }
});

/// Failures of an escrow's terms or state machine.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EscrowError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("an escrow that is {} cannot be {}", from.as_str(), action.past_tense())]
    IllegalTransition {
        from: EscrowState,
        action: EscrowAction,
    },
    #[error("the escrow has no milestone named {0:?}")]
    UnknownMilestone(String),
    #[error("milestone {0:?} was already released")]
    MilestoneAlreadyReleased(String),
    #[error(
        "the split gives {requested} but the escrow holds {held}; it must give exactly all of it"
    )]
    SplitMismatch { held: Paise, requested: Paise },
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

impl_domain_error!(EscrowError {
    via: Invalid, Ledger;
    codes: {
        Self::IllegalTransition { .. } => "illegal_transition", Conflict;
        Self::UnknownMilestone(_) => "unknown_milestone", InvalidInput;
        Self::MilestoneAlreadyReleased(_) => "milestone_already_released", Conflict;
        Self::SplitMismatch { .. } => "split_mismatch", InvalidInput;
    }
    fields: {
        Self::UnknownMilestone(_) => "milestone";
    }
});
