//! # msme-razorpay
//!
//! The RazorpayX gateway: [`RazorpayGateway`] implements [`msme_core::ports::PaymentGateway`]
//! over Razorpay's REST API (HTTP basic auth with the key id and secret, JSON bodies, amounts
//! in paise).
//!
//! - Money in: an order per escrow (`receipt` = the escrow id; an existing order with that
//!   receipt is found with `GET /v1/orders?receipt=` instead of making a second), the payer pays
//!   in Razorpay Checkout, then `POST /v1/payments/{id}/capture`.
//! - Money out: RazorpayX payouts (`POST /v1/payouts` from the configured account number, with
//!   the `X-Payout-Idempotency` header derived from the payout's key) to the payee's fund
//!   account, found through the RazorpayX contact whose `reference_id` is the payee's msme
//!   account id (operators add payees' bank accounts in RazorpayX under that reference).
//! - Webhooks: `X-Razorpay-Signature` is the hex HMAC-SHA256 of the raw body with the webhook
//!   secret, compared in constant time before the body is read.
//!
//! Secrets ([`Secret`]) never reach logs, errors or `Debug` output.
#![forbid(unsafe_code)]

mod api;
mod config;
mod gateway;
pub mod webhook;

pub use config::{RazorpayConfig, SetupError, DEFAULT_BASE_URL};
pub use gateway::RazorpayGateway;

pub use msme_core::types::Secret;
