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

/// The integer `field` of each element of the JSON array `items`, in order.
pub fn numbers(items: &serde_json::Value, field: &str) -> Vec<i64> {
    let items = items.as_array().expect("a JSON array");
    items.iter().map(|i| i[field].as_i64().unwrap()).collect()
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

/// A demo marketplace (seed 7, 12 listings): one published listing, its seller, the first
/// buyer and the first agent, by id.
pub struct DemoDeal {
    pub listing: String,
    pub seller: String,
    pub buyer: String,
    pub agent: String,
}

/// Fills the directory with the demo marketplace; the parties of a deal in it.
pub fn demo_deal(m: &Msme) -> DemoDeal {
    m.json(&["demo", "--seed", "7", "--listings", "12"]);
    let listings = m.json(&["listing", "list", "--status", "published", "--limit", "1"]);
    let listing = &listings["items"][0];
    let id = |key: &str| listing[key].as_str().unwrap().to_string();
    DemoDeal {
        listing: id("id"),
        seller: id("seller_id"),
        buyer: m.ids_of_role("buyer").remove(0),
        agent: m.ids_of_role("agent").remove(0),
    }
}

impl DemoDeal {
    /// `msme escrow create` of the listing between buyer and seller, then `rest`.
    pub fn create<'a>(&'a self, rest: &[&'a str]) -> Vec<&'a str> {
        let mut args = vec!["escrow", "create", "--listing", &self.listing];
        args.extend(["--buyer", &self.buyer, "--seller", &self.seller]);
        args.extend_from_slice(rest);
        args
    }
}

/// `msme escrow release` of the escrow's `milestone` under `key`.
pub fn release<'a>(id: &'a str, milestone: &'a str, key: &'a str) -> [&'a str; 7] {
    [
        "escrow",
        "release",
        id,
        "--milestone",
        milestone,
        "--key",
        key,
    ]
}
