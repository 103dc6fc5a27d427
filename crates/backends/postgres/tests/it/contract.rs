//! The storage contract suite and the flow cases on PostgreSQL.
//!
//! The suite's cases are compiled in when `MSME_TEST_POSTGRES_URL` is set at build time (see
//! `build.rs`; cargo rebuilds when it changes). Without it one test stands in for the suite: it
//! says the suite was skipped, or fails when `CI` is set.

#[cfg(msme_pg_contract)]
msme_contract::contract_tests!(crate::support::fresh_store);

#[cfg(msme_pg_contract)]
msme_contract::flow_tests!(crate::support::fresh_flow_store);

#[cfg(not(msme_pg_contract))]
#[test]
fn postgres_contract_suite_skipped_set_msme_test_postgres_url() {
    assert!(
        crate::support::server_url().is_none(),
        "built without MSME_TEST_POSTGRES_URL but run with it: rebuild (cargo test does)"
    );
}
