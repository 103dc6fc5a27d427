//! A listing's diligence comes from the platform's records: its financials count as verified
//! once the seller's KYC is verified, and its documents as complete once a paper (not an
//! image) is attached; the risks and the blend's weights follow.

use crate::common::{pdf, png};
use msme_testkit::{error_field, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn valued(app: &TestApp, token: &str, listing: &str) -> Value {
    let res = app
        .post_auth("/v1/valuations", token, json!({"listing_id": listing}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json().await.unwrap()
}

fn flags(v: &Value) -> Vec<String> {
    let all = v["risks"]["flags"].as_array().unwrap();
    all.iter()
        .map(|f| f["code"].as_str().unwrap().into())
        .collect()
}

#[tokio::test]
async fn verified_kyc_and_an_attached_paper_clear_the_diligence_risks() {
    let app = TestApp::spawn().await;
    let (seller_id, seller) = app.signed_in("9750000001", "seller").await;
    let admin = app.admin_token("9750000009").await;
    let listing = app.draft_id(&seller, true).await;
    let on_listing = [("kind", "image"), ("listing_id", listing.as_str())];
    let res = app.upload(&seller, ("shop.png", png()), &on_listing).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = app
        .post_auth("/v1/kyc", &seller, json!({"pan": "AAPFU0939F"}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);

    let before = valued(&app, &seller, &listing).await;
    let codes = flags(&before);
    for code in ["unverified_financials", "missing_documents"] {
        assert!(codes.iter().any(|c| c == code), "{code} in {codes:?}");
    }
    let reason = before["risks"]["flags"].to_string();
    assert!(
        reason.contains("KYC") && reason.contains("images do not count"),
        "{reason}"
    );
    assert!(before["methods"]
        .to_string()
        .contains("financials unverified"));

    let res = app
        .post_auth(&format!("/v1/kyc/{seller_id}/verify"), &admin, json!({}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let paper = [("kind", "document"), ("listing_id", listing.as_str())];
    let res = app.upload(&seller, ("accounts.pdf", pdf()), &paper).await;
    assert_eq!(res.status(), StatusCode::CREATED);

    let after = valued(&app, &seller, &listing).await;
    let codes = flags(&after);
    for code in ["unverified_financials", "missing_documents"] {
        assert!(
            !codes.iter().any(|c| c == code),
            "{code} cleared: {codes:?}"
        );
    }
    assert!(!after["methods"]
        .to_string()
        .contains("financials unverified"));
    assert!(after["confidence"].as_i64() > before["confidence"].as_i64());
    assert!(after["risks"]["score"].as_i64() < before["risks"]["score"].as_i64());
    app.stop().await;
}

#[tokio::test]
async fn customer_concentration_is_flagged_when_given() {
    let app = TestApp::spawn().await;
    let (_, buyer) = app.signed_in("9750000002", "buyer").await;
    let mut body = json!({"industry": "machinery", "city": "Pune", "state": "MH",
        "year_established": 2010, "top_customer_share": 55.0,
        "financials": [{"fiscal_year": 2025, "revenue_paise": 8_00_00_000_00i64,
            "ebitda_paise": 1_20_00_000_00i64, "net_profit_paise": 60_00_000_00i64,
            "total_assets_paise": 5_00_00_000_00i64, "total_liabilities_paise": 2_00_00_000_00i64,
            "debt_paise": 1_00_00_000_00i64}]});
    let v = valued_raw(&app, &buyer, body.clone()).await;
    let flag = v["risks"]["flags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "customer_concentration")
        .cloned()
        .unwrap_or_default();
    assert_eq!(flag["severity"], "high", "{v}");
    assert!(flag["reason"].as_str().unwrap().contains("55%"));
    body["top_customer_share"] = json!(101);
    let res = app.post_auth("/v1/valuations", &buyer, body).await;
    assert_eq!(error_field(res).await, "top_customer_share");
    app.stop().await;
}

async fn valued_raw(app: &TestApp, token: &str, body: Value) -> Value {
    let res = app.post_auth("/v1/valuations", token, body).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json().await.unwrap()
}
