//! The built `msme` binary against temporary data directories.
//!
//! One test binary for the crate (each file a module): every extra binary links the whole
//! dependency tree again, which costs build time and disk.

mod common;

mod audit;
mod crash;
mod demo;
mod import;
mod kyc;
mod listings;
mod matching;
mod outbox;
mod search;
mod serve;
mod users;
mod valuate;
