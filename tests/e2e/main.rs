//! End to end over HTTP through the facade, on SQLite and on PostgreSQL.
//!
//! One test binary for the crate (each file a module): every extra binary links the whole
//! dependency tree again, which costs build time and disk.

mod escrow_story;
mod listing_story;
mod matching_story;
mod model_story;
mod search_story;
mod valuation_report;
mod walkthrough;
