//! Errors of the ledger and of escrows, each with a stable code.

use crate::error::{DomainError, ErrorKind, ValidationError};
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

impl DomainError for LedgerError {
    fn code(&self) -> &'static str {
        use LedgerError::*;
        match self {
            Invalid(e) => e.code(),
            UnbalancedEntry { .. } => "unbalanced_entry",
            TooFewPostings { .. } => "too_few_postings",
            NonPositivePosting { .. } => "non_positive_posting",
            Overflow => "amount_overflow",
            InsufficientFunds { .. } => "insufficient_funds",
            SameAccount(_) => "same_account",
            HoldNotPending { .. } => "hold_not_pending",
            HoldOverPost { .. } => "hold_over_post",
            HoldNotExpired => "hold_not_expired",
            NotPayable { .. } => "not_payable",
            IllegalPayoutTransition { .. } => "illegal_transition",
            IdempotencyConflict => "idempotency_conflict",
            ConcurrentUpdate => "concurrent_update",
        }
    }
    fn kind(&self) -> ErrorKind {
        use LedgerError::*;
        match self {
            Invalid(_) | Overflow | SameAccount(_) | NotPayable { .. } => ErrorKind::InvalidInput,
            HoldOverPost { .. } => ErrorKind::InvalidInput,
            // Entries are built by our code from checked terms: an unbalanced one is a bug.
            UnbalancedEntry { .. } | TooFewPostings { .. } | NonPositivePosting { .. } => {
                ErrorKind::Internal
            }
            InsufficientFunds { .. }
            | HoldNotPending { .. }
            | HoldNotExpired
            | IllegalPayoutTransition { .. }
            | IdempotencyConflict
            | ConcurrentUpdate => ErrorKind::Conflict,
        }
    }
    fn field(&self) -> Option<&str> {
        match self {
            LedgerError::Invalid(e) => Some(&e.field),
            _ => None,
        }
    }
}

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

impl DomainError for EscrowError {
    fn code(&self) -> &'static str {
        match self {
            EscrowError::Invalid(e) => e.code(),
            EscrowError::IllegalTransition { .. } => "illegal_transition",
            EscrowError::UnknownMilestone(_) => "unknown_milestone",
            EscrowError::MilestoneAlreadyReleased(_) => "milestone_already_released",
            EscrowError::SplitMismatch { .. } => "split_mismatch",
            EscrowError::Ledger(e) => e.code(),
        }
    }
    fn kind(&self) -> ErrorKind {
        match self {
            EscrowError::Invalid(_)
            | EscrowError::UnknownMilestone(_)
            | EscrowError::SplitMismatch { .. } => ErrorKind::InvalidInput,
            EscrowError::IllegalTransition { .. } | EscrowError::MilestoneAlreadyReleased(_) => {
                ErrorKind::Conflict
            }
            EscrowError::Ledger(e) => e.kind(),
        }
    }
    fn field(&self) -> Option<&str> {
        match self {
            EscrowError::Invalid(e) => Some(&e.field),
            EscrowError::UnknownMilestone(_) => Some("milestone"),
            EscrowError::Ledger(e) => e.field(),
            _ => None,
        }
    }
}
