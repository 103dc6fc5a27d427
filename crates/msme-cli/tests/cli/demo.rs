//! `msme demo` through the real binary: a fresh data directory gets the generated marketplace.

use std::collections::BTreeMap;

use crate::common::BIN;
use msme_core::listing::ListingStatus;
use msme_testkit::{assert_one_error_line, Msme};
use serde_json::Value;

const SEED: u64 = 7;
const LISTINGS: usize = 12;

/// The statuses the generator asks for, as the CLI can reach them (no escrow yet: listings
/// meant to be under offer or sold stay published).
fn expected_statuses() -> BTreeMap<String, usize> {
    let market = msme_demo::generate(SEED, LISTINGS);
    let mut counts = BTreeMap::new();
    for l in &market.listings {
        let reached = match l.status {
            ListingStatus::UnderOffer | ListingStatus::Sold => ListingStatus::Published,
            s => s,
        };
        *counts.entry(reached.as_str().to_string()).or_insert(0) += 1;
    }
    counts
}

fn count_of(v: &Value) -> usize {
    v["items"].as_array().unwrap().len()
}

#[test]
fn demo_fills_a_fresh_dir_with_the_generated_marketplace() {
    let m = Msme::new(BIN);
    let summary = m.json(&["demo", "--seed", "7", "--listings", "12"]);
    // 12 listings call for ⌈12/3⌉ sellers, ⌈12/2⌉ buyers, ⌈12/20⌉ agents, ⌈12/50⌉ NBFCs.
    let accounts = &summary["accounts"];
    assert_eq!(accounts["seller"], 4);
    assert_eq!(accounts["buyer"], 6);
    assert_eq!(accounts["agent"], 1);
    assert_eq!(accounts["nbfc"], 1);
    assert_eq!(summary["listings_total"], LISTINGS);
    assert_eq!(summary["password"], msme_demo::DEMO_PASSWORD);

    let expected = expected_statuses();
    assert_eq!(
        summary["listings"],
        serde_json::to_value(&expected).unwrap()
    );
    for (status, n) in &expected {
        assert_eq!(summary["listings"][status], *n, "{status}: {summary}");
        let stored = m.json(&["listing", "list", "--status", status, "--limit", "200"]);
        assert_eq!(count_of(&stored), *n, "{status} in the store");
    }
    assert_eq!(count_of(&m.json(&["user", "list", "--limit", "500"])), 12);

    // The logins it suggests exist with the roles it says.
    let seller = summary["try"]["seller"].as_str().unwrap();
    let buyer = summary["try"]["buyer"].as_str().unwrap();
    assert_eq!(m.json(&["user", "show", seller])["role"], "seller");
    assert_eq!(m.json(&["user", "show", buyer])["role"], "buyer");
}

#[test]
fn demo_refuses_a_data_dir_that_has_accounts() {
    let m = Msme::new(BIN);
    let text = m.ok(&["demo", "--seed", "1", "--listings", "3"]);
    assert!(text.contains("password:  msme-demo-2026"), "{text}");
    assert!(text.contains("try:       seller +91"), "{text}");

    let (code, stderr) = m.fails(&["demo", "--seed", "1", "--listings", "3"]);
    assert_eq!(code, 2);
    assert_one_error_line(&stderr);
    assert!(stderr.contains("already has accounts"), "{stderr}");
    // Nothing was added by the refused run.
    assert_eq!(count_of(&m.json(&["listing", "list"])), 3);
}
