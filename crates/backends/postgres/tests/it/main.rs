//! msme-postgres on a real PostgreSQL server: the contract suite, upgrades, raw SQL refusals.
//!
//! One test binary for the crate (each file a module): every extra binary links the whole
//! dependency tree again, which costs build time and disk.

mod support;

mod backend;
mod contract;
mod events;
mod ledger_sql;
mod marketplace;
mod search;
