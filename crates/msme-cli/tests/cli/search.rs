//! `msme search QUERY|reindex|check` through the real binary, including the crash case: a
//! listing change committed and audited but never indexed (as a server killed between its
//! database commit and its index write leaves it) is reported by `check` and searchable after
//! the next open catches the index up.

use crate::common::{numbers, seller_with_examples, BIN};
use msme_testkit::{block_on, move_listings, Msme, TO_PUBLISHED};
use serde_json::Value;

/// Imports the three example listings and publishes them behind the index's back (on a
/// platform as a crashed server had it: the same database, its index writes never made).
fn published_but_not_indexed(m: Msme) -> (Msme, Vec<String>) {
    let (_, ids) = seller_with_examples(&m);
    block_on(async {
        let platform = m.platform_without_index().await;
        move_listings(&platform, &ids, &TO_PUBLISHED).await;
    });
    (m, ids)
}

fn strings(v: &Value) -> Vec<String> {
    let mut all: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    all.sort();
    all
}

#[test]
fn a_change_the_index_missed_is_reported_then_found_after_the_catch_up() {
    let (m, mut ids) = published_but_not_indexed(Msme::initialised(BIN));
    ids.sort();
    let out = m.run(&["search", "check", "--json"]);
    assert_eq!(out.status.code(), Some(1), "not clean: exit 1");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["consistent"], false);
    assert_eq!(strings(&report["missing"]), ids);

    // Opening catches the index up: the misspelt search finds the named listing.
    let found = m.json(&["search", "orgnic", "spices"]);
    assert_eq!(found["total"], 1);
    assert_eq!(
        found["items"][0]["title"],
        "Organic spice processing and export"
    );
    let clean = m.json(&["search", "check"]);
    assert_eq!(clean["consistent"], true);
}

fn filters_sorts_and_facets(m: Msme) {
    let (m, _) = published_but_not_indexed(m);
    let all = m.json(&["search", "--sort", "price-asc"]);
    assert_eq!(all["total"], 3);
    let prices = numbers(&all["items"], "asking_price_paise");
    assert_eq!(prices, [90_000_000, 450_000_000, 1_200_000_000]);
    let deals = &all["facets"]["deal_type"];
    assert_eq!(deals[0]["value"], "full_sale");
    assert_eq!(deals[0]["count"], 2);

    let args = [
        "search",
        "--deal-type",
        "full_sale",
        "--max-price",
        "500000000",
    ];
    let cheap = m.json(&args);
    assert_eq!(cheap["total"], 1);
    assert_eq!(cheap["items"][0]["title"], "Cloud consulting firm");
    let none = m.json(&["search", "--state", "MH", "--industry", "food_processing"]);
    assert_eq!(none["total"], 0);

    // Figures: CNC earns a 15 % margin on ₹80 crore (2008), the spice unit 10.8 % (2014); the
    // cloud firm (2019) gave no financials.
    let total = |args: &[&str]| {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        m.json(&all)["total"].as_u64().unwrap()
    };
    assert_eq!(total(&["--min-margin", "12"]), 1);
    assert_eq!(total(&["--min-margin", "-5", "--max-margin", "12"]), 1);
    assert_eq!(total(&["--min-revenue", "400000000"]), 1);
    assert_eq!(total(&["--max-revenue", "400000000"]), 1);
    assert_eq!(total(&["--min-year", "2010"]), 2);
    assert_eq!(total(&["--min-year", "2010", "--max-year", "2015"]), 1);
    let (code, err) = m.fails(&["search", "--min-margin", "20", "--max-margin", "10"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("ebitda_margin_min_pct"), "{err}");

    let text = m.ok(&["search", "--limit", "1"]);
    assert!(text.contains("3 listing(s) match"), "{text}");
    assert!(text.contains("more: --cursor"), "{text}");
    let (code, err) = m.fails(&["search", "--industry", "spaceships"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn reindex_rebuilds_and_check_is_clean() {
    let (m, _) = published_but_not_indexed(Msme::initialised(BIN));
    let rebuilt = m.json(&["search", "reindex"]);
    assert_eq!(rebuilt["indexed"], 3);
    let out = m.run(&["search", "reindex"]);
    assert!(out.status.success());
    assert!(out.stderr.is_empty(), "no progress bar off a terminal");
    assert_eq!(m.json(&["search", "check"])["consistent"], true);
    let text = m.ok(&["search", "check"]);
    assert!(text.contains("matches the database"), "{text}");
}

/// An index left by an older build (no record of its analysis) is rebuilt by the next open:
/// a listing it lacks (which the catch-up alone would not bring back, being before the
/// cursor) is found again, and the index records the current analysis.
#[test]
fn an_index_built_under_an_older_analysis_is_rebuilt_on_open() {
    let (m, ids) = published_but_not_indexed(Msme::initialised(BIN));
    assert_eq!(m.json(&["search", "reindex"])["indexed"], 3);
    let dir = m.data_dir.join("search");
    block_on(async {
        use msme_core::ports::SearchIndex;
        let index = msme_backends::TantivyIndex::open(&dir).unwrap();
        let lost = msme_core::listing::ListingId::parse(&ids[0]).unwrap();
        index.remove(&[lost]).await.unwrap();
    });
    std::fs::remove_file(dir.join("msme-analysis")).unwrap();
    let out = m.run(&["search", "check", "--json"]);
    assert_eq!(out.status.code(), Some(1), "check opens the index as it is");

    assert_eq!(m.json(&["search"])["total"], 3, "rebuilt on open");
    assert_eq!(m.json(&["search", "check"])["consistent"], true);
    let recorded = std::fs::read_to_string(dir.join("msme-analysis")).unwrap();
    assert_eq!(recorded, msme_core::search::ANALYSIS.to_string());
}

msme_testkit::on_each_backend!(cli(crate::common::BIN): filters_sorts_and_facets);
