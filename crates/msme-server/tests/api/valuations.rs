//! Valuations over HTTP: a seller's listing valued by every method with a range, risks and
//! comparables; the original design's request; and who may read what.

use msme_testkit::{assert_error, error_field, listing_body, listing_with, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The fixture listing with three years of financials, newest first.
fn three_years(anonymous: bool) -> Value {
    let mut body = listing_body(anonymous);
    let first = body["financials"][0].clone();
    body["financials"] = json!([2026, 2025, 2024]
        .iter()
        .enumerate()
        .map(|(i, fy)| {
            let mut y = first.clone();
            y["fiscal_year"] = json!(fy);
            let older = i64::try_from(i).unwrap();
            y["revenue_paise"] = json!(8_00_00_000_00i64 - older * 40_00_000_00);
            y
        })
        .collect::<Vec<_>>());
    body
}

async fn valuate(app: &TestApp, token: &str, body: Value) -> Value {
    let res = app.post_auth("/v1/valuations", token, body).await;
    assert_eq!(res.status(), StatusCode::CREATED, "POST /v1/valuations");
    res.json().await.unwrap()
}

/// Two published machinery listings of another seller: one in Maharashtra, one in Gujarat.
async fn market(app: &TestApp, admin: &str) -> Vec<String> {
    let (_, other) = app.signed_in("9720000005", "seller").await;
    let bodies =
        ["Maharashtra", "Gujarat"].map(|state| listing_with(true, json!({"state": state})));
    app.published_all(&other, admin, bodies.to_vec()).await
}

/// Every method weighed (weights add up to 1, each with its reason and notes), a range around
/// the value, a confidence, and the risk of unverified financials.
fn assert_every_method_range_and_risks(v: &Value) {
    let methods: Vec<&str> = v["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["method"].as_str().unwrap())
        .collect();
    for m in [
        "market_multiples",
        "dcf",
        "net_asset_value",
        "rule_of_thumb",
    ] {
        assert!(methods.contains(&m), "{m} in {methods:?}");
    }
    let weights: f64 = v["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["weight"].as_f64().unwrap())
        .sum();
    assert!(
        (weights - 1.0).abs() < 1e-9,
        "weights add up to 1: {weights}"
    );
    assert!(
        v["methods"][0]["notes"].as_array().unwrap().len() > 1,
        "reason and notes"
    );
    let (low, value, high) = (
        v["low_paise"].as_i64().unwrap(),
        v["value_paise"].as_i64().unwrap(),
        v["high_paise"].as_i64().unwrap(),
    );
    assert!(
        0 < low && low < value && value < high,
        "{low} < {value} < {high}"
    );
    assert!(v["coverage"].is_null(), "no calibrated model yet");
    assert!((1..=100).contains(&v["confidence"].as_i64().unwrap()));
    let flags: Vec<&str> = v["risks"]["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(flags.contains(&"unverified_financials"), "{flags:?}");
}

#[tokio::test]
async fn a_sellers_listing_gets_every_method_a_range_risks_and_comparables() {
    let app = TestApp::spawn().await;
    let (_, seller) = app.signed_in("9720000001", "seller").await;
    let admin = app.admin_token("9720000009").await;
    let peers = market(&app, &admin).await;
    let id = app.create_listing_from(&seller, three_years(true)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let asset = json!({"item": "Haas VF-2", "category": "plant_machinery", "quantity": 2,
                       "book_value_paise": 90_00_000_00i64, "condition": "good"});
    let res = app
        .post_auth(&format!("/v1/listings/{id}/assets"), &seller, asset)
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);

    let v = valuate(&app, &seller, json!({"listing_id": id})).await;
    assert_every_method_range_and_risks(&v);
    assert!(v["risks"]["score"].as_i64().unwrap() > 0);
    let comps = v["comparables"].as_array().unwrap();
    let comp_ids: Vec<&str> = comps
        .iter()
        .map(|c| c["listing_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        comp_ids,
        [peers[0].as_str(), peers[1].as_str()],
        "nearest first, not itself"
    );
    assert_eq!(comps[0]["asking_to_revenue"], json!(1.5));
    assert_eq!(comps[0]["asking_to_ebitda"], json!(10.0));
    let shown = v["comparables"].to_string();
    for secret in ["Rao Precision", "Pune"] {
        assert!(
            !shown.contains(secret),
            "comparables show teasers only: {shown}"
        );
    }

    let vid = v["id"].as_str().unwrap();
    assert_eq!(
        app.json_ok(&format!("/v1/valuations/{vid}"), &seller).await,
        v
    );
    let list = app
        .json_ok(&format!("/v1/listings/{id}/valuations"), &seller)
        .await;
    assert_eq!(list["items"], json!([v]));
    assert_eq!(
        app.json_ok(&format!("/v1/valuations/{vid}"), &admin).await["id"],
        vid
    );
    app.stop().await;
}

#[tokio::test]
async fn the_original_designs_request_is_valued() {
    let app = TestApp::spawn().await;
    let (buyer_id, buyer) = app.signed_in("9720000002", "buyer").await;
    let legacy = json!({
        "company_name": "Sharma Textiles", "business_type": "Private Limited",
        "industry": "Textiles", "location": "Surat, Gujarat",
        "establishment_year": 2012, "annual_revenue": 50_000_000, "annual_profit": 4_000_000,
        "total_assets": 30_000_000, "current_assets": 12_000_000,
        "current_liabilities": 6_000_000, "total_debt": 5_000_000, "employee_count": 60,
        "growth_rate": 8.5, "ebitda": 7_000_000
    });
    let v = valuate(&app, &buyer, legacy).await;
    assert_eq!(v["requested_by"], buyer_id);
    assert!(v["listing_id"].is_null());
    assert_eq!(v["input"]["subject"], "Sharma Textiles");
    let methods = v["methods"].to_string();
    assert!(methods.contains("rule_of_thumb") && methods.contains("market_multiples"));
    assert!(v["value_paise"].as_i64().unwrap() > 0);
    let res = app.post_auth("/v1/valuations", &buyer, json!({})).await;
    assert_error(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    let mut bad = json!({"industry": "mining", "city": "Pune", "state": "MH",
                         "year_established": 2010, "financials": []});
    let res = app.post_auth("/v1/valuations", &buyer, bad.clone()).await;
    assert_eq!(error_field(res).await, "industry");
    bad["industry"] = json!("machinery");
    let res = app.post_auth("/v1/valuations", &buyer, bad).await;
    assert_eq!(error_field(res).await, "financials");
    app.stop().await;
}

#[tokio::test]
async fn another_user_cannot_read_someones_valuation() {
    let app = TestApp::spawn().await;
    let (_, seller) = app.signed_in("9720000003", "seller").await;
    let (_, rival) = app.signed_in("9720000004", "seller").await;
    let (_, buyer) = app.signed_in("9720000006", "buyer").await;
    let admin = app.admin_token("9720000008").await;
    let id = app.draft_id(&seller, false).await;
    let mine = valuate(&app, &seller, json!({"listing_id": id})).await;
    let path = format!("/v1/valuations/{}", mine["id"].as_str().unwrap());
    for token in [&rival, &buyer] {
        let res = app.get_auth(&path, token).await;
        assert_error(res, StatusCode::NOT_FOUND, "valuation_not_found").await;
        let res = app
            .post_auth("/v1/valuations", token, json!({"listing_id": id}))
            .await;
        assert_error(res, StatusCode::NOT_FOUND, "listing_not_found").await;
        let res = app
            .get_auth(&format!("/v1/listings/{id}/valuations"), token)
            .await;
        assert_error(res, StatusCode::NOT_FOUND, "listing_not_found").await;
    }
    // Published and named: a buyer may value it, and sees only their own valuations of it.
    app.publish(&seller, &admin, &id).await;
    let theirs = valuate(&app, &buyer, json!({"listing_id": id})).await;
    let list = app
        .json_ok(&format!("/v1/listings/{id}/valuations"), &buyer)
        .await;
    assert_eq!(list["items"], json!([theirs]));
    let res = app.get_auth(&path, &buyer).await;
    assert_error(res, StatusCode::NOT_FOUND, "valuation_not_found").await;
    // The owner reads every valuation of the listing, the buyer's too; newest first.
    let list = app
        .json_ok(&format!("/v1/listings/{id}/valuations"), &seller)
        .await;
    assert_eq!(list["items"], json!([theirs, mine]));
    let theirs_path = format!("/v1/valuations/{}", theirs["id"].as_str().unwrap());
    assert_eq!(app.json_ok(&theirs_path, &seller).await, theirs);
    app.stop().await;
}
