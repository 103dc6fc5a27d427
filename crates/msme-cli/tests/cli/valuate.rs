//! `msme valuate` through the real binary: a listing, and a file of the original design's
//! fields.

use crate::common::{example_csv, BIN};
use msme_core::listing::ListingAction;
use msme_core::rbac::Actor;
use msme_core::types::ListingId;
use msme_core::RequestMeta;
use msme_testkit::{assert_one_error_line, block_on, json_of, Msme};
use serde_json::Value;

/// Ids of the machinery listings (the example's first row), oldest import first.
fn machinery(m: &Msme) -> Vec<String> {
    let list = m.json(&["listing", "list"]);
    let mut ids: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["industry"] == "machinery")
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    ids.reverse();
    ids
}

/// Two imports of the example; the second import's machinery listing is published.
fn market(m: Msme) -> (Msme, String, String) {
    m.create_user("Asha Rao", "9876543210", "seller");
    for _ in 0..2 {
        m.json(&[
            "listing",
            "import",
            &example_csv(),
            "--seller",
            "9876543210",
        ]);
    }
    let ids = machinery(&m);
    assert_eq!(ids.len(), 2);
    block_on(async {
        let platform = m.platform().await;
        let id = ListingId::parse(&ids[1]).unwrap();
        for action in ListingAction::TO_PUBLISHED {
            let (meta, op) = (RequestMeta::default(), Actor::operator());
            let listings = platform.listings();
            listings
                .transition(&meta, &op, &id, action, None)
                .await
                .unwrap();
        }
    });
    (m, ids[0].clone(), ids[1].clone())
}

fn methods(v: &Value) -> Vec<&str> {
    let all = v["methods"].as_array().unwrap();
    all.iter().map(|m| m["method"].as_str().unwrap()).collect()
}

fn a_listing_is_valued_by_every_method_with_risks_and_comparables(m: Msme) {
    let (m, draft, published) = market(m);
    let v = m.json(&["valuate", &draft]);
    let got = methods(&v);
    for want in [
        "market_multiples",
        "dcf",
        "net_asset_value",
        "rule_of_thumb",
    ] {
        assert!(got.contains(&want), "{want} in {got:?}");
    }
    assert_eq!(v["listing_id"], draft.as_str());
    assert!(v["low_paise"].as_i64() < v["value_paise"].as_i64());
    assert!(v["value_paise"].as_i64() < v["high_paise"].as_i64());
    assert_eq!(v["comparables"][0]["listing_id"], published.as_str());
    assert_eq!(v["comparables"][0]["asking_to_revenue"], 1.5);
    assert!(!v["risks"]["flags"].as_array().unwrap().is_empty());

    let text = m.ok(&["valuate", &draft]);
    for part in [
        "METHOD",
        "dcf",
        "range",
        "confidence",
        "risk score",
        "comparables (1)",
        &published,
    ] {
        assert!(text.contains(part), "{part} in:\n{text}");
    }
}

#[test]
fn a_file_of_the_original_fields_is_valued_and_bad_input_exits_2() {
    let m = Msme::initialised(BIN);
    let file = format!("{}/examples/financials.json", env!("CARGO_MANIFEST_DIR"));
    let v = m.json(&["valuate", "--file", &file]);
    assert_eq!(v["input"]["subject"], "Sharma Textiles");
    assert!(methods(&v).contains(&"rule_of_thumb"));
    assert!(v["value_paise"].as_i64().unwrap() > 0);
    let text = m.ok(&["valuate", "--file", &file]);
    assert!(
        text.contains("rule_of_thumb") && text.contains("comparables (0)"),
        "{text}"
    );

    let bad = m.file(
        "bad.json",
        r#"{"industry": "Textiles", "location": "Surat", "annual_revenue": 1}"#,
    );
    let (code, stderr) = m.fails(&["valuate", "--file", &bad]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("establishment_year"), "{stderr}");
    assert_one_error_line(&stderr);
    let unknown = ListingId::generate().to_string();
    let (code, stderr) = m.fails(&["valuate", &unknown]);
    assert_eq!(code, 2, "{stderr}");
    assert_one_error_line(&stderr);
    let (code, _) = m.fails(&["valuate"]);
    assert_eq!(code, 2, "neither a listing nor a file");
}

/// The PDF at `path`, checked to be one, as text.
fn report_text(path: &str) -> String {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "a PDF header");
    assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"), "a PDF trailer");
    msme_report::text::shown_text(&bytes)
}

fn the_report_is_written_as_a_pdf_with_the_figures(m: Msme) {
    let (m, draft, published) = market(m);
    let path = m.file("listing.pdf", "");
    let v = m.json(&["valuate", &draft, "--report", &path]);
    let text = report_text(&path);
    let paise = |v: &Value| msme_report::rupees(v.as_i64().unwrap());
    for want in [
        paise(&v["value_paise"]),
        format!("{} to {}", paise(&v["low_paise"]), paise(&v["high_paise"])),
        paise(&v["methods"][0]["value_paise"]),
        published.clone(),
        "Discounted cash flow".into(),
        "Damodaran".into(),
    ] {
        assert!(text.contains(&want), "{want} in:\n{text}");
    }

    let file = format!("{}/examples/financials.json", env!("CARGO_MANIFEST_DIR"));
    let path = m.file("figures.pdf", "");
    let out = m.ok(&["valuate", "--file", &file, "--report", &path]);
    assert!(out.contains("report written to"), "{out}");
    let text = report_text(&path);
    assert!(text.contains("Sharma Textiles"), "{text}");
    let dir = m.file("x", "");
    let (code, stderr) = m.fails(&[
        "valuate",
        &draft,
        "--report",
        &format!("{dir}/no/such/dir.pdf"),
    ]);
    assert_ne!(code, 0);
    assert_one_error_line(&stderr);
}

#[test]
fn the_rates_come_from_the_settings_file_and_the_environment() {
    let m = Msme::initialised(BIN);
    let settings = m.data_dir.join("msme.toml");
    let mut text = std::fs::read_to_string(&settings).unwrap();
    text.push_str("\n[valuation]\nrisk_free_rate = 0.09\nsize_premium = 0.04\n");
    std::fs::write(&settings, &text).unwrap();
    let file = format!("{}/examples/financials.json", env!("CARGO_MANIFEST_DIR"));
    let v = json_of(
        m.command(&["valuate", "--file", &file, "--json"])
            .env("MSME_VALUATION_SIZE_PREMIUM", "0.03"),
    );
    assert_eq!(v["assumptions"]["risk_free_rate"], 0.09, "from the file");
    assert_eq!(
        v["assumptions"]["size_premium"], 0.03,
        "the environment wins"
    );
    let dcf = v["methods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["method"] == "dcf");
    let notes = dcf.map(|m| m["notes"].to_string()).unwrap_or_default();
    assert!(
        notes.contains("discount rate 19.3%"),
        "9 + 7.3 + 3: {notes}"
    );

    std::fs::write(&settings, text.replace("0.09", "12.0")).unwrap();
    let (code, stderr) = m.fails(&["valuate", "--file", &file]);
    assert_ne!(code, 0);
    assert!(stderr.contains("risk_free_rate"), "{stderr}");
    assert_one_error_line(&stderr);
}

msme_testkit::on_each_backend!(cli(crate::common::BIN):
    a_listing_is_valued_by_every_method_with_risks_and_comparables,
    the_report_is_written_as_a_pdf_with_the_figures,
);
