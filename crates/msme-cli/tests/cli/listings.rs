//! `msme listing list|show|approve|reject` through the real binary.

use crate::common::{numbers, seller_with_examples};
use msme_core::listing::ListingAction;
use msme_core::types::ListingId;
use msme_testkit::{assert_one_error_line, block_on, move_listings, Msme};
use serde_json::Value;

/// A data directory with the three example listings of one seller, all submitted.
fn with_submitted_listings(m: Msme) -> (Msme, String, Vec<String>) {
    let (seller, ids) = seller_with_examples(&m);
    let seller_id = seller["user"]["id"].as_str().unwrap().to_string();
    block_on(async {
        let platform = m.platform().await;
        move_listings(&platform, &ids, &[ListingAction::Submit]).await;
    });
    (m, seller_id, ids)
}

fn items(v: &Value) -> &Vec<Value> {
    v["items"].as_array().unwrap()
}

fn listings_are_listed_with_filters_and_pages(m: Msme) {
    let (m, seller_id, ids) = with_submitted_listings(m);
    assert_eq!(ids.len(), 3);
    let all = m.json(&["listing", "list", "--status", "submitted"]);
    assert_eq!(items(&all).len(), 3);
    assert!(items(&all).iter().all(|l| l["view"] == "full"));
    assert!(m.json(&["listing", "list", "--status", "draft"])["items"]
        .as_array()
        .unwrap()
        .is_empty());

    let machinery = m.json(&["listing", "list", "--industry", "machinery"]);
    assert_eq!(items(&machinery).len(), 1);
    assert_eq!(machinery["items"][0]["city"], "Pune");
    let andhra = m.json(&["listing", "list", "--state", "AP"]);
    assert_eq!(andhra["items"][0]["industry"], "food_processing");
    let by_seller = m.json(&["listing", "list", "--seller", &seller_id]);
    assert_eq!(items(&by_seller).len(), 3);

    let page = m.json(&["listing", "list", "--limit", "2"]);
    assert_eq!(items(&page).len(), 2);
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = m.json(&["listing", "list", "--limit", "2", "--cursor", cursor]);
    assert_eq!(items(&rest).len(), 1);
    assert!(rest["next_cursor"].is_null());
    assert!(!items(&page).contains(&rest["items"][0]));

    let text = m.ok(&["listing", "list", "--industry", "it_services"]);
    assert!(text.contains("Cloud consulting firm"), "{text}");
}

fn show_gives_the_operator_the_full_listing(m: Msme) {
    let (m, _, _) = with_submitted_listings(m);
    let list = m.json(&["listing", "list", "--industry", "machinery"]);
    let id = list["items"][0]["id"].as_str().unwrap();
    let shown = m.json(&["listing", "show", id]);
    assert_eq!(shown["view"], "full");
    assert_eq!(shown["title"], "Precision CNC machining unit");
    assert_eq!(shown["seller_name"], "Asha Rao");
    assert_eq!(shown["anonymous"], true);
    assert_eq!(shown["asking_price_paise"], 1_200_000_000_i64);
    let years = numbers(&shown["financials"], "fiscal_year");
    assert_eq!(years, [2026, 2025, 2024]);
    let text = m.ok(&["listing", "show", id]);
    assert!(text.contains("seller:      Asha Rao"), "{text}");
    assert!(text.contains("FY 2026"), "{text}");
}

fn approve_and_reject_move_submitted_listings(m: Msme) {
    let (m, _, ids) = with_submitted_listings(m);
    let approved = m.json(&["listing", "approve", &ids[0]]);
    assert_eq!(approved["status"], "approved");
    let rejected = m.json(&[
        "listing",
        "reject",
        &ids[1],
        "--reason",
        "Add the audited accounts for FY 2025-26.",
    ]);
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(
        rejected["rejection_reason"],
        "Add the audited accounts for FY 2025-26."
    );
    assert_eq!(m.json(&["listing", "show", &ids[1]])["status"], "rejected");
    let text = m.ok(&["listing", "approve", &ids[2]]);
    assert!(text.contains("is now approved"), "{text}");

    // Approving twice is a move the workflow does not allow: one line, exit 2.
    let (code, stderr) = m.fails(&["listing", "approve", &ids[0]]);
    assert_eq!(code, 2);
    assert_one_error_line(&stderr);
    assert!(stderr.contains("cannot be approved"), "{stderr}");
    let (code, stderr) = m.fails(&["listing", "reject", &ids[0], "--reason", " "]);
    assert_eq!(code, 2);
    assert_one_error_line(&stderr);
}

fn unknown_listings_and_bad_filters_fail_with_exit_2(m: Msme) {
    let (code, stderr) = m.fails(&["listing", "show", "not-an-id"]);
    assert_eq!(code, 2);
    assert_one_error_line(&stderr);
    let missing = ListingId::generate();
    let (code, stderr) = m.fails(&["listing", "show", missing.as_str()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no such listing"), "{stderr}");
    let (code, stderr) = m.fails(&["listing", "list", "--industry", "mining"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("industry"), "{stderr}");
    let (code, _) = m.fails(&["listing", "list", "--cursor", "forged"]);
    assert_eq!(code, 2);
}

msme_testkit::on_each_backend!(cli(crate::common::BIN):
    listings_are_listed_with_filters_and_pages,
    show_gives_the_operator_the_full_listing,
    approve_and_reject_move_submitted_listings,
    unknown_listings_and_bad_filters_fail_with_exit_2,
);
