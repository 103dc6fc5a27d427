//! Errors of the money operations (escrows, payouts, statements), with stable codes.

use crate::error::{impl_domain_error, StoreError};
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

impl_domain_error!(MoneyError {
    via: Forbidden, Escrow, Ledger, Gateway, Listing, Store;
    codes: {
        Self::NotFound(_) => "not_found", NotFound;
        Self::AwaitingPayment { .. } => "awaiting_payment", Conflict;
        Self::PaymentAlreadyRecorded => "payment_already_recorded", Conflict;
    }
});
