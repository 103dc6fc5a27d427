//! # msme-sandbox
//!
//! The sandbox payment gateway: the platform's default [`PaymentGateway`], for development,
//! demos and tests. It plays both the payer and RazorpayX: deterministic (ids derived from the
//! idempotency key), persistent (its books in the platform's database, through
//! [`SandboxStore`]), and its webhooks are Razorpay's bodies (`msme_razorpay::webhook`), signed
//! as Razorpay signs them, so the platform's webhook route cannot tell the two apart.
//!
//! [`PaymentGateway`]: msme_core::gateway::PaymentGateway
#![forbid(unsafe_code)]

mod gateway;
mod store;

pub use gateway::{SandboxGateway, Simulation, DEFAULT_WEBHOOK_SECRET, LATE_BY};
pub use store::{SandboxRecord, SandboxStore};
