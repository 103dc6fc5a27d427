//! # msme-core
//!
//! The domain of the MSME Exchange, a marketplace where Indian micro, small and medium
//! enterprises are bought and sold. This crate holds the types, rules and state machines, and
//! the traits ([`ports`]) through which it does all I/O. It knows no SQL and no HTTP: the
//! backends implement the ports, the server and CLI call the operations on [`Platform`].
//!
//! Start with [`Platform::builder`], then use [`Platform::auth`], [`Platform::users`],
//! [`Platform::audit`], [`Platform::outbox`], and for money [`Platform::escrows`],
//! [`Platform::payouts`] and [`Platform::ledger`].
#![forbid(unsafe_code)]

pub mod audit;
mod audit_service;
pub mod auth;
pub mod clock;
pub mod documents;
pub mod error;
pub mod escrow_service;
pub mod events;
pub mod gateway;
pub mod identity;
pub mod kyc;
pub mod ledger;
pub mod listing;
pub mod matching;
pub mod model;
pub mod money;
mod outbox;
mod platform;
pub mod ports;
pub mod profile;
pub mod rbac;
pub mod rng;
pub mod runtime;
pub mod search;
pub mod types;
mod users;
pub mod valuation;

pub use audit_service::AuditLog;
pub use error::{DomainError, ErrorKind};
pub use outbox::Outbox;
pub use platform::{AuthPolicy, Platform, PlatformBuilder, RequestMeta};
pub use users::{CreatedUser, Users};
