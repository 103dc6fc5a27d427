//! msme-sqlite on real SQLite files: the contract suite, raw SQL refusals, the escrow flow.
//!
//! One test binary for the crate (each file a module): every extra binary links the whole
//! dependency tree again, which costs build time and disk.

mod contract;
mod escrow_flow;
mod events;
mod ledger_sql;
mod marketplace;
mod payments_flow;
mod sqlite;
