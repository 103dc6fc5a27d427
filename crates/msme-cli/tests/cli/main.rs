//! The built `msme` binary against temporary data directories.
//!
//! One test binary for the crate (each file a module): every extra binary links the whole
//! dependency tree again, which costs build time and disk.

mod common;

mod audit;
mod demo;
mod escrow;
mod import;
mod kyc;
mod ledger_crash;
mod listings;
mod matching;
mod model;
mod outbox;
mod search;
mod search_crash;
mod serve;
mod users;
mod valuate;
mod views_crash;
mod worker;
