//! Payment gateways: money in (orders, captured payments) and out (payouts), shaped after
//! RazorpayX but provider-neutral, and the small store the built-in sandbox keeps its state in.
//!
//! Money in: `create_order` for the escrow amount, the payer pays (in Razorpay's checkout;
//! the sandbox plays the payer, so its orders come back with an authorised payment), then
//! `capture_payment`. Money out: `create_payout` to a payee, then its status by polling
//! (`payout_status`) or by a signed webhook (`verify_webhook`).
//!
//! Every call that creates something carries the caller's idempotency key (Razorpay: the
//! order `receipt`, the `X-Payout-Idempotency` header), so a retry after a timeout finds the
//! object the first call made instead of making a second.

use async_trait::async_trait;

use crate::error::{DomainError, ErrorKind, StoreError};
use crate::ledger::{GatewayName, IdempotencyKey, LedgerAccount, PayoutId};
use crate::money::Paise;

/// A failed gateway call. Messages never carry keys or secrets.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// The payer's bank or the gateway refused the payment.
    #[error("the payment was declined: {0}")]
    Declined(String),
    /// No answer in time: the call may or may not have acted. Retry with the same key.
    #[error("the payment gateway did not answer in time")]
    Timeout,
    /// The gateway refused the request itself (bad amount, unknown payee).
    #[error("the payment gateway refused the request: {0}")]
    Rejected(String),
    #[error("the payment gateway is unavailable: {0}")]
    Unavailable(String),
    /// The gateway has no such payment or payout.
    #[error("the payment gateway has no {0}")]
    NotFound(String),
    /// A webhook whose signature does not match its body.
    #[error("the webhook signature does not match")]
    BadSignature,
    #[error("the webhook body is not an event this gateway sends: {0}")]
    BadWebhook(String),
    /// The sandbox's own storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl GatewayError {
    /// Worth retrying with the same key later: the outcome is unknown, not a refusal.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            GatewayError::Timeout | GatewayError::Unavailable(_) | GatewayError::Store(_)
        )
    }
}

impl DomainError for GatewayError {
    fn code(&self) -> &'static str {
        match self {
            GatewayError::Declined(_) => "payment_declined",
            GatewayError::Timeout => "gateway_timeout",
            GatewayError::Rejected(_) => "gateway_rejected",
            GatewayError::Unavailable(_) => "gateway_unavailable",
            GatewayError::NotFound(_) => "gateway_not_found",
            GatewayError::BadSignature => "bad_webhook_signature",
            GatewayError::BadWebhook(_) => "bad_webhook",
            GatewayError::Store(e) => e.code(),
        }
    }
    fn kind(&self) -> ErrorKind {
        match self {
            GatewayError::Declined(_) => ErrorKind::Conflict,
            GatewayError::Rejected(_) | GatewayError::BadWebhook(_) => ErrorKind::InvalidInput,
            GatewayError::NotFound(_) => ErrorKind::NotFound,
            GatewayError::BadSignature => ErrorKind::Unauthenticated,
            GatewayError::Timeout | GatewayError::Unavailable(_) => ErrorKind::Unavailable,
            GatewayError::Store(e) => e.kind(),
        }
    }
}

/// An order for money to come in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderRequest {
    pub amount: Paise,
    /// Ours, shown in the gateway's dashboard (Razorpay `receipt`): the escrow id.
    pub receipt: String,
    pub idempotency_key: IdempotencyKey,
}

/// An order as the gateway holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayOrder {
    pub id: String,
    pub amount: Paise,
    /// A payment the payer authorised against the order, waiting to be captured. `None` while
    /// the payer has not paid (a real gateway: until its checkout completes).
    pub authorized_payment: Option<String>,
}

/// A payment the gateway captured: the money is the platform's to hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapturedPayment {
    pub id: String,
    pub order_id: String,
    pub amount: Paise,
}

/// Where a payment is at the gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayPaymentStatus {
    /// Created or authorised, not yet captured: the money is not the platform's yet.
    Pending,
    /// Captured: the money is the platform's to hold.
    Captured,
    /// Failed, or refunded at the gateway, with why.
    Failed(String),
}

/// A payment as the gateway holds it, for reconciliation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayPayment {
    pub id: String,
    pub order_id: Option<String>,
    pub amount: Paise,
    pub status: GatewayPaymentStatus,
}

/// A payout to make from a payable account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayoutRequest {
    /// Ours (Razorpay `reference_id`).
    pub reference: PayoutId,
    /// Whom it pays; a real gateway maps the payable's owner to their fund account.
    pub payee: LedgerAccount,
    pub amount: Paise,
    pub idempotency_key: IdempotencyKey,
}

/// Where a payout is at the gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayPayoutStatus {
    /// Accepted, not yet final (RazorpayX `queued`, `pending`, `processing`).
    Processing,
    /// The money reached the payee's bank (`processed`).
    Processed,
    /// It did not, and will not (`failed`, `reversed`, `rejected`, `cancelled`), with why.
    Failed(String),
}

/// A payout as the gateway holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayPayout {
    pub id: String,
    pub reference: PayoutId,
    pub amount: Paise,
    pub status: GatewayPayoutStatus,
}

/// A verified webhook's event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WebhookEvent {
    PaymentCaptured(CapturedPayment),
    /// A payout reached a final status (or moved while processing).
    PayoutUpdated(GatewayPayout),
}

/// A payment gateway.
#[async_trait]
pub trait PaymentGateway: Send + Sync {
    /// The name its money is cleared under (`clearing:<name>`).
    fn name(&self) -> GatewayName;
    /// Creates an order, or returns the one already made under the same key.
    async fn create_order(&self, order: &OrderRequest) -> Result<GatewayOrder, GatewayError>;
    /// Captures an authorised payment of exactly `amount`. Capturing it again returns it.
    async fn capture_payment(
        &self,
        payment_id: &str,
        amount: Paise,
    ) -> Result<CapturedPayment, GatewayError>;
    /// A payment as the gateway holds it now.
    async fn fetch_payment(&self, payment_id: &str) -> Result<GatewayPayment, GatewayError>;
    /// Creates a payout, or returns the one already made under the same key.
    async fn create_payout(&self, payout: &PayoutRequest) -> Result<GatewayPayout, GatewayError>;
    /// The payout's current status.
    async fn payout_status(&self, gateway_ref: &str) -> Result<GatewayPayout, GatewayError>;
    /// Checks a webhook's signature over its exact body and reads its event.
    fn verify_webhook(&self, body: &[u8], signature: &str) -> Result<WebhookEvent, GatewayError>;
}
