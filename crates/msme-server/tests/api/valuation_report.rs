//! `GET /v1/valuations/{id}/report`: the PDF holds the valuation's figures; it follows the
//! reading rules of `GET /v1/valuations/{id}` (404 for others); a buyer whose access to an
//! anonymous listing was revoked gets it without the listing's confidential fields.

use msme_report::rupees;
use msme_report::text::shown_text;
use msme_testkit::{assert_error, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The report's bytes, checked to be a PDF, and its text.
pub async fn report_text(app: &TestApp, valuation: &str, token: &str) -> String {
    let res = app
        .get_auth(&format!("/v1/valuations/{valuation}/report"), token)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "a PDF header");
    assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"), "a PDF trailer");
    shown_text(&bytes)
}

/// Figures of the valuation `v` (as `POST /v1/valuations` answered) the report must show.
pub fn figures(v: &Value) -> Vec<String> {
    let paise = |v: &Value| rupees(v.as_i64().unwrap());
    let mut want = vec![
        paise(&v["value_paise"]),
        format!("{} to {}", paise(&v["low_paise"]), paise(&v["high_paise"])),
        format!("{} / 100", v["confidence"]),
        format!("Risk score {} / 100", v["risks"]["score"]),
        "Damodaran".to_string(),
        "January 2026".to_string(),
    ];
    for m in v["methods"].as_array().unwrap() {
        want.push(paise(&m["value_paise"]));
    }
    for c in v["comparables"].as_array().unwrap() {
        want.push(c["listing_id"].as_str().unwrap().to_string());
        want.push(paise(&c["asking_price_paise"]));
    }
    want
}

fn assert_shows(text: &str, want: &[String]) {
    for w in want {
        assert!(text.contains(w.as_str()), "{w} in the report:\n{text}");
    }
}

#[tokio::test]
async fn the_report_shows_the_figures_to_its_readers_and_is_404_to_others() {
    let app = TestApp::spawn().await;
    let (_, seller) = app.signed_in("9730000001", "seller").await;
    let (_, rival) = app.signed_in("9730000002", "seller").await;
    let admin = app.admin_token("9730000009").await;
    let id = app.draft_id(&seller, true).await;
    let res = app
        .post_auth("/v1/valuations", &seller, json!({"listing_id": id}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let v: Value = res.json().await.unwrap();
    let vid = v["id"].as_str().unwrap();
    for token in [&seller, &admin] {
        let text = report_text(&app, vid, token).await;
        assert_shows(&text, &figures(&v));
        assert!(text.contains("Rao Precision CNC machining unit"), "{text}");
        assert!(text.contains("Pune"));
    }
    let res = app
        .get_auth(&format!("/v1/valuations/{vid}/report"), &rival)
        .await;
    assert_error(res, StatusCode::NOT_FOUND, "valuation_not_found").await;
    let res = app.get_auth("/v1/valuations/nope/report", &seller).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    app.stop().await;
}

#[tokio::test]
async fn a_buyer_who_sees_only_the_teaser_gets_no_confidential_field() {
    let app = TestApp::spawn().await;
    let (_, seller) = app.signed_in("9730000003", "seller").await;
    let (buyer_id, buyer) = app.signed_in("9730000004", "buyer").await;
    let (_, other) = app.signed_in("9730000005", "buyer").await;
    let admin = app.admin_token("9730000008").await;
    let id = app.draft_id(&seller, true).await;
    app.publish(&seller, &admin, &id).await;
    let access = format!("/v1/listings/{id}/access");
    let res = app
        .post_auth(&access, &seller, json!({"buyer_id": buyer_id}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = app
        .post_auth("/v1/valuations", &buyer, json!({"listing_id": id}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let v: Value = res.json().await.unwrap();
    let vid = v["id"].as_str().unwrap();
    let text = report_text(&app, vid, &buyer).await;
    assert!(
        text.contains("Rao Precision CNC machining unit"),
        "full while granted"
    );

    let res = app
        .delete_auth(&format!("{access}/{buyer_id}"), &seller)
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let text = report_text(&app, vid, &buyer).await;
    let secrets = [
        "Rao Precision",
        "Pune",
        "2008",
        "FY2024",
        &rupees(8_00_00_000_00),
    ];
    for secret in secrets {
        assert!(!text.contains(secret), "{secret} withheld:\n{text}");
    }
    assert!(
        text.contains("Machinery and engineering business in Maharashtra"),
        "{text}"
    );
    assert!(text.contains("withheld"));
    assert_shows(&text, &figures(&v)[..4]);
    let json = app.json_ok(&format!("/v1/valuations/{vid}"), &buyer).await;
    assert_eq!(json["input"]["withheld"], true);
    let shown = json.to_string();
    for secret in secrets {
        assert!(
            !shown.contains(secret),
            "{secret} withheld from the JSON too: {shown}"
        );
    }
    assert_eq!(json["value_paise"], v["value_paise"]);
    // The seller still reads all of it; another buyer nothing.
    let text = report_text(&app, vid, &seller).await;
    assert!(text.contains("Rao Precision CNC machining unit"));
    let res = app
        .get_auth(&format!("/v1/valuations/{vid}/report"), &other)
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}
