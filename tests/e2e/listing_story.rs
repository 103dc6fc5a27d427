//! The listings issue's story end to end over HTTP, on SQLite and on PostgreSQL: a seller
//! creates, fills and submits a listing; an admin (signed in with MFA) approves it; the seller
//! publishes it; a buyer sees only the teaser until the seller grants access, then all of it.

use msme_testkit::{TestApp, TEASER_HIDDEN};
use serde_json::{json, Value};

/// A listing of the CNC shop in Pune, anonymous, in the wire names of the issue.
pub(crate) fn listing() -> Value {
    json!({
        "title": "Precision CNC machining unit in Pune", "industry": "machinery",
        "description": "Profitable CNC job shop serving auto OEMs in Pune for 18 years.",
        "city": "Pune", "state": "Maharashtra", "year_established": 2008, "employees": 42,
        "deal_type": "full_sale", "asking_price_paise": 12_00_00_000_00i64, "anonymous": true,
        "financials": [{"fiscal_year": 2025, "revenue_paise": 8_00_00_000_00i64, "ebitda_paise": 1_20_00_000_00i64,
            "net_profit_paise": 60_00_000_00i64, "total_assets_paise": 5_00_00_000_00i64,
            "total_liabilities_paise": 2_00_00_000_00i64, "debt_paise": 1_00_00_000_00i64}]
    })
}

async fn listing_story(app: TestApp) {
    let api = app.api();
    let (_, seller) = app.signed_in("9876543210", "seller").await;
    let (buyer_id, buyer) = app.signed_in("9876543211", "buyer").await;
    let admin = app.admin_token("9123456780").await;

    let (status, created) = api.post_auth("/v1/listings", &seller, listing()).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["status"], "draft");
    let (status, _) = api.get(&format!("/v1/listings/{id}"), &buyer).await;
    assert_eq!(status, 404, "a draft does not exist for buyers");

    let step = |who: &str, action: &str| (who.to_string(), format!("/v1/listings/{id}/{action}"));
    let (status, err) = api
        .post_auth(&step(&seller, "approve").1, &seller, json!({}))
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (403, Some("forbidden")),
        "only admins approve"
    );
    for (who, path) in [
        step(&seller, "submit"),
        step(&admin, "approve"),
        step(&seller, "publish"),
    ] {
        let (status, body) = api.post_auth(&path, &who, json!({})).await;
        assert_eq!(status, 200, "{path}: {body}");
    }

    let (status, teaser) = api.get(&format!("/v1/listings/{id}"), &buyer).await;
    assert_eq!(status, 200);
    assert_eq!(teaser["view"], "teaser", "{teaser}");
    for hidden in TEASER_HIDDEN {
        assert!(
            teaser.get(hidden).is_none(),
            "teaser leaks {hidden}: {teaser}"
        );
    }
    assert_eq!(teaser["revenue_band"], "5_to_25_crore");

    let (status, _) = api
        .post_auth(
            &format!("/v1/listings/{id}/access"),
            &seller,
            json!({"buyer_id": buyer_id}),
        )
        .await;
    assert_eq!(status, 201);
    let (status, full) = api.get(&format!("/v1/listings/{id}"), &buyer).await;
    assert_eq!(
        (status, full["view"].as_str()),
        (200, Some("full")),
        "{full}"
    );
    assert_eq!(full["title"], "Precision CNC machining unit in Pune");
    assert_eq!(full["seller"]["name"], "Asha Rao");
    app.stop().await;
}

msme_testkit::on_each_backend!(stories: listing_story);
