//! The valuation report end to end, on SQLite and on PostgreSQL: a buyer granted access to an
//! anonymous listing values it over HTTP and downloads the PDF report (the same bytes the
//! library renders); once the seller revokes the access, the report leaves out the listing's
//! confidential fields; anyone else gets 404.

use msme::core::listing::{ListingAction, ListingId};
use msme::core::rbac::Actor;
use msme::core::types::ValuationId;
use msme::report::rupees;
use msme::report::text::shown_text;
use msme::RequestMeta;
use msme_testkit::TestApp;
use serde_json::{json, Value};

fn listing() -> Value {
    json!({
        "title": "Kaveri Packaging Works", "industry": "plastics_packaging",
        "description": "Flexible packaging converter supplying FMCG brands across Karnataka.",
        "city": "Mysuru", "state": "Karnataka", "year_established": 2011, "employees": 35,
        "deal_type": "full_sale", "asking_price_paise": 6_00_00_000_00i64, "anonymous": true,
        "financials": [{"fiscal_year": 2025, "revenue_paise": 4_50_00_000_00i64,
            "ebitda_paise": 63_00_000_00i64, "net_profit_paise": 31_00_000_00i64,
            "total_assets_paise": 3_20_00_000_00i64, "total_liabilities_paise": 1_10_00_000_00i64,
            "debt_paise": 70_00_000_00i64}]
    })
}

/// The report over HTTP: status, and for 200 the bytes (checked to be a PDF).
async fn report(app: &TestApp, vid: &str, token: &str) -> (u16, Vec<u8>) {
    let res = app
        .get_auth(&format!("/v1/valuations/{vid}/report"), token)
        .await;
    let status = res.status().as_u16();
    let bytes = res.bytes().await.expect("body").to_vec();
    if status == 200 {
        assert!(bytes.starts_with(b"%PDF-") && bytes.trim_ascii_end().ends_with(b"%%EOF"));
    }
    (status, bytes)
}

/// Submitted, approved and published by the operator through the library.
async fn publish(app: &TestApp, id: &str) {
    let id = ListingId::parse(id).unwrap();
    for action in ListingAction::TO_PUBLISHED {
        let (meta, op) = (RequestMeta::default(), Actor::operator());
        let listings = app.platform.listings();
        listings
            .transition(&meta, &op, &id, action, None)
            .await
            .unwrap();
    }
}

async fn valuation_report(app: TestApp) {
    let api = app.api();
    let (_, seller) = app.signed_in("9876543210", "seller").await;
    let (buyer_id, buyer) = app.signed_in("9876543211", "buyer").await;
    let (_, other) = app.signed_in("9876543212", "buyer").await;
    let (status, l) = api.post_auth("/v1/listings", &seller, listing()).await;
    assert_eq!(status, 201, "{l}");
    let id = l["id"].as_str().unwrap().to_string();
    publish(&app, &id).await;
    let access = format!("/v1/listings/{id}/access");
    let (status, _) = api
        .post_auth(&access, &seller, json!({"buyer_id": buyer_id}))
        .await;
    assert_eq!(status, 201);
    let (status, v) = api
        .post_auth("/v1/valuations", &buyer, json!({"listing_id": id}))
        .await;
    assert_eq!(status, 201, "{v}");
    let vid = v["id"].as_str().unwrap();

    let (status, pdf) = report(&app, vid, &buyer).await;
    assert_eq!(status, 200);
    let text = shown_text(&pdf);
    for want in [
        "Kaveri Packaging Works".to_string(),
        "Mysuru".into(),
        rupees(v["value_paise"].as_i64().unwrap()),
        rupees(v["methods"][0]["value_paise"].as_i64().unwrap()),
    ] {
        assert!(text.contains(&want), "{want} in:\n{text}");
    }
    let actor = app.platform.auth().authenticate(&buyer).await.unwrap();
    let kept = app
        .platform
        .valuations()
        .get(&actor, &ValuationId::parse(vid).unwrap())
        .await
        .unwrap();
    assert_eq!(
        msme::report::render(kept).await.unwrap(),
        pdf,
        "library and HTTP agree"
    );

    let (status, _) = report(&app, vid, &other).await;
    assert_eq!(status, 404);
    let res = app
        .delete_auth(&format!("{access}/{buyer_id}"), &seller)
        .await;
    assert!(res.status().is_success());
    let (status, pdf) = report(&app, vid, &buyer).await;
    assert_eq!(status, 200);
    let text = shown_text(&pdf);
    for secret in [
        "Kaveri",
        "Mysuru",
        "2011",
        "FY2025",
        &rupees(4_50_00_000_00),
    ] {
        assert!(!text.contains(secret), "{secret} withheld:\n{text}");
    }
    assert!(text.contains(&rupees(v["value_paise"].as_i64().unwrap())));
    app.stop().await;
}

msme_testkit::on_each_backend!(stories: valuation_report);
