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

/// A port bundle: a trait joining the store traits a context may call, implemented by whatever
/// implements them all (so `&dyn Store` coerces to `&dyn MarketplacePorts`, and so on).
macro_rules! port_bundle {
    ($(#[$attr:meta])* $vis:vis trait $name:ident: $($part:path),+ $(,)?) => {
        $(#[$attr])*
        $vis trait $name: $($part +)+ {}
        impl<T> $name for T where T: $($part +)+ ?Sized {}
    };
}

pub mod audit;
pub mod auth;
pub mod blob;
pub mod clock;
pub mod error;
pub mod escrow_service;
pub mod events;
pub mod gateway;
pub mod identity;
pub mod ledger;
pub mod marketplace;
pub mod money;
mod platform;
pub mod ports;
pub mod rbac;
pub mod rng;
pub mod runtime;
pub mod search;
pub mod sms;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod types;
pub mod valuation;

pub use auth::{AuditLog, CreatedUser, Outbox, Users};
pub use error::{DomainError, ErrorKind};
// The contexts' modules under their own names: `msme_core::listing` is the marketplace's
// `listing`, `msme_core::matching` search's `matching`, `msme_core::model` valuation's `model`.
pub use marketplace::{documents, kyc, listing, profile};
pub use platform::{AuthPolicy, Platform, PlatformBuilder, RequestMeta};
pub use search::matching;
pub use valuation::model;
