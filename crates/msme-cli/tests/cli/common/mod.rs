//! The CLI tests run the real binary through the test kit (`msme-testkit`); what is theirs
//! alone: where cargo built the binary, and the example listings shipped with the crate.

use msme_testkit::Msme;

/// The binary under test (only this crate's tests know its path).
pub const BIN: &str = env!("CARGO_BIN_EXE_msme");

/// The example CSV shipped with the crate (three valid listings).
pub fn example_csv() -> String {
    format!("{}/examples/listings.csv", env!("CARGO_MANIFEST_DIR"))
}

/// Creates the seller Asha Rao (9876543210) and imports the example listings as her drafts;
/// returns her account's JSON and the listings' ids.
pub fn seller_with_examples(m: &Msme) -> (serde_json::Value, Vec<String>) {
    let seller = m.create_user("Asha Rao", "9876543210", "seller");
    let report = m.json(&[
        "listing",
        "import",
        &example_csv(),
        "--seller",
        "9876543210",
    ]);
    assert_eq!(report["imported"], 3);
    (seller, listing_ids(m))
}

/// The ids `msme listing list` shows.
pub fn listing_ids(m: &Msme) -> Vec<String> {
    m.json(&["listing", "list"])["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect()
}
