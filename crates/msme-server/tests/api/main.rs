//! The HTTP API over a real server on port 0, with its own SQLite file and search index.
//!
//! One test binary for the crate (each file a module): every extra binary links the whole
//! dependency tree again, which costs build time and disk.

mod common;

mod admin;
mod auth_flow;
mod contract;
mod documents;
mod errors;
mod escrows;
mod listings_flow;
mod listings_ownership;
mod listings_query;
mod listings_workflow;
mod matching;
mod mfa;
mod openapi;
mod profiles_kyc;
mod rate_limit;
mod search;
mod valuation_diligence;
mod valuation_report;
mod valuations;
