//! msme-sqlite on real SQLite files: the contract suite and the flow cases, raw SQL
//! refusals.
//!
//! One test binary for the crate (each file a module): every extra binary links the whole
//! dependency tree again, which costs build time and disk.

mod support;

mod contract;
mod events;
mod ledger_sql;
mod marketplace;
mod sqlite;
