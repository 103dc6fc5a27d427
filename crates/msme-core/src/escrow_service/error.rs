//! Errors of the money operations (escrows, payouts, statements), with stable codes.

use crate::error::{DomainError, ErrorKind, StoreError};
use crate::gateway::GatewayError;
use crate::ledger::{EscrowError, LedgerError};
use crate::rbac::Forbidden;

/// Why an escrow, payout or ledger operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum MoneyError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// No such escrow, payout or account, or the actor may not know it exists.
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error(transparent)]
    Escrow(#[from] EscrowError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Gateway(#[from] GatewayError),
    /// The gateway made an order the payer has not paid yet; funding completes when it is.
    #[error("waiting for the payer to pay order {order_id}")]
    AwaitingPayment { order_id: String },
    /// The gateway payment (or bank transfer reference) already funded an escrow.
    #[error("this payment was already recorded; one payment funds one escrow")]
    PaymentAlreadyRecorded,
    /// The listing cannot take an offer (not published, or not the seller's).
    #[error(transparent)]
    Listing(#[from] crate::listing::ListingError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<crate::error::ValidationError> for MoneyError {
    fn from(e: crate::error::ValidationError) -> Self {
        MoneyError::Escrow(EscrowError::Invalid(e))
    }
}

impl DomainError for MoneyError {
    fn code(&self) -> &'static str {
        match self {
            MoneyError::Forbidden(e) => e.code(),
            MoneyError::NotFound(_) => "not_found",
            MoneyError::Escrow(e) => e.code(),
            MoneyError::Ledger(e) => e.code(),
            MoneyError::Gateway(e) => e.code(),
            MoneyError::AwaitingPayment { .. } => "awaiting_payment",
            MoneyError::PaymentAlreadyRecorded => "payment_already_recorded",
            MoneyError::Listing(e) => e.code(),
            MoneyError::Store(e) => e.code(),
        }
    }
    fn kind(&self) -> ErrorKind {
        match self {
            MoneyError::Forbidden(e) => e.kind(),
            MoneyError::NotFound(_) => ErrorKind::NotFound,
            MoneyError::Escrow(e) => e.kind(),
            MoneyError::Ledger(e) => e.kind(),
            MoneyError::Gateway(e) => e.kind(),
            MoneyError::AwaitingPayment { .. } | MoneyError::PaymentAlreadyRecorded => {
                ErrorKind::Conflict
            }
            MoneyError::Listing(e) => e.kind(),
            MoneyError::Store(e) => e.kind(),
        }
    }
    fn field(&self) -> Option<&str> {
        match self {
            MoneyError::Escrow(e) => e.field(),
            MoneyError::Ledger(e) => e.field(),
            MoneyError::Listing(e) => e.field(),
            _ => None,
        }
    }
}
