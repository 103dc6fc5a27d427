//! `msme match buyer|listing|evaluate|refresh` through the real binary, on a demo marketplace
//! (whose buyers have preferences and simulated interactions).

use crate::common::BIN;
use msme_testkit::Msme;
use serde_json::Value;

/// A demo of 200 listings: 100 buyers with preferences and about a thousand interactions.
fn demo(m: Msme) -> (Msme, Value) {
    let summary = m.json(&["demo", "--seed", "2026", "--listings", "200"]);
    assert_eq!(summary["buyer_preferences"], 100);
    assert!(summary["interactions"].as_u64().unwrap() > 600, "{summary}");
    (m, summary)
}

#[test]
fn evaluate_prints_both_figures_and_adopts_only_a_better_model() {
    let (m, _) = demo(Msme::new(BIN));
    let dry = m.json(&["match", "evaluate", "--dry-run"]);
    let (hand, learned) = (
        dry["hand_set_ndcg"].as_f64().unwrap(),
        dry["learned_ndcg"].as_f64().unwrap(),
    );
    assert!(
        (0.0..=1.0).contains(&hand) && (0.0..=1.0).contains(&learned),
        "{dry}"
    );
    assert_eq!(
        (dry["adopted"].as_bool(), &dry["model_id"]),
        (Some(false), &Value::Null)
    );
    // The same data gives the same figures; a real run keeps the model and adopts it only if
    // it beats the hand-set weights.
    let kept = m.json(&["match", "evaluate"]);
    assert_eq!(kept["learned_ndcg"], dry["learned_ndcg"]);
    assert_eq!(kept["adopted"].as_bool().unwrap(), learned > hand, "{kept}");
    assert!(kept["model_id"].is_string());
    let text = m.ok(&["match", "evaluate", "--dry-run"]);
    assert!(
        text.contains("NDCG@10 hand-set weights: ") && text.contains("NDCG@10 learned model:"),
        "{text}"
    );
}

fn buyers_and_listings_are_matched_with_reasons(m: Msme) {
    let (m, summary) = demo(m);
    let buyer = summary["try"]["buyer"].as_str().unwrap();
    let found = m.json(&["match", "buyer", buyer, "--limit", "5"]);
    let items = found["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    let scores: Vec<f64> = items.iter().map(|i| i["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
    assert!(
        items
            .iter()
            .all(|i| !i["reasons"].as_array().unwrap().is_empty()),
        "{found}"
    );
    let listing = items[0]["listing"]["id"].as_str().unwrap();
    let buyers = m.json(&["match", "listing", listing, "--limit", "3"]);
    assert_eq!(buyers["items"].as_array().unwrap().len(), 3, "{buyers}");
    let refreshed = m.json(&["match", "refresh"]);
    let head = m.json(&["audit", "verify"]);
    assert!(refreshed["events"].as_u64().unwrap() > 0, "{refreshed}");
    assert_eq!(
        refreshed["cursor"], head["entries"],
        "up to the head: {head}"
    );
    assert_eq!(refreshed["held_elsewhere"], false, "{refreshed}");
    assert_eq!(refreshed["dead_letters"], 0, "{refreshed}");
    let again = m.json(&["match", "refresh"]);
    assert_eq!(again["events"], 0, "nothing new since: {again}");
    assert_eq!(again["cursor"], refreshed["cursor"], "{again}");
    let (code, err) = m.fails(&["match", "buyer", "+916999999999"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn evaluate_without_interactions_says_why_and_exits_1() {
    let m = Msme::initialised(BIN);
    let out = m.run(&["match", "evaluate"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("not trained: needs 200 interactions"),
        "{text}"
    );
}

msme_testkit::on_each_backend!(cli(crate::common::BIN): buyers_and_listings_are_matched_with_reasons,);
