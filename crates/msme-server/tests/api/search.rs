//! `POST /v1/search` over HTTP on SQLite and tantivy: a seller publishes, the index catches
//! up in the background, a buyer searches with typos and filters and sees teasers of
//! anonymous listings; facets count every hit.

use std::time::{Duration, Instant};

use msme_testkit::{error_code, error_field, listing_body, listing_with, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Three published listings, in this order: 0 machinery/Maharashtra/12 cr/full_sale (named),
/// 1 machinery/Gujarat/3 cr/asset_sale (anonymous, "machining" only in its hidden text),
/// 2 software/Karnataka/80 lakh/partial_stake (named). Returns the seller's and a buyer's
/// tokens and the ids.
async fn market(app: &TestApp) -> (String, String, Vec<String>) {
    let (_, seller) = app.signed_in("9760000001", "seller").await;
    let (_, buyer) = app.signed_in("9760000002", "buyer").await;
    let admin = app.admin_token("9760000009").await;
    let anonymous = json!({"title": "Forging and machining works", "state": "Gujarat",
                           "city": "Rajkot", "asking_price_paise": 3_00_00_000_00i64,
                           "deal_type": "asset_sale"});
    let software = json!({"title": "Payroll software for clinics",
                          "description": "SaaS payroll product with 300 paying clinics.",
                          "industry": "software", "state": "Karnataka", "city": "Bengaluru",
                          "asking_price_paise": 80_00_000_00i64, "deal_type": "partial_stake"});
    let bodies = vec![
        listing_body(false),
        listing_with(true, anonymous),
        listing_with(false, software),
    ];
    let ids = app.published_all(&seller, &admin, bodies).await;
    (seller, buyer, ids)
}

async fn search(app: &TestApp, token: &str, body: Value) -> Value {
    let res = app.post_auth("/v1/search", token, body).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// Searches until `total` is `want`: the index catches up in the background.
async fn search_until(app: &TestApp, token: &str, body: Value, want: u64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let page = search(app, token, body.clone()).await;
        if page["total"] == want {
            return page;
        }
        assert!(
            Instant::now() < deadline,
            "the index never caught up: {page}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn ids_of(page: &Value, all: &[String]) -> Vec<usize> {
    let items = page["items"].as_array().unwrap();
    let index = |l: &Value| all.iter().position(|id| l["id"] == id.as_str()).unwrap();
    items.iter().map(index).collect()
}

fn facet(page: &Value, name: &str) -> Vec<(String, u64)> {
    let values = page["facets"][name].as_array().unwrap();
    values
        .iter()
        .map(|v| {
            (
                v["value"].as_str().unwrap().to_string(),
                v["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_buyer_finds_published_listings_with_typos_filters_and_facets() {
    let app = TestApp::spawn().await;
    let (_, buyer, all) = market(&app).await;
    let page = search_until(&app, &buyer, json!({}), 3).await;
    let industries = facet(&page, "industry");
    assert_eq!(
        industries,
        [("machinery".into(), 2), ("software".into(), 1)]
    );
    let deals = facet(&page, "deal_type");
    assert_eq!(deals.iter().map(|d| d.1).sum::<u64>(), 3);
    assert_eq!(facet(&page, "state").len(), 3);

    // A typo within budget finds the named listing; the anonymous one's hidden words do not.
    let typo = search(&app, &buyer, json!({"query": "machinng"})).await;
    assert_eq!(
        (ids_of(&typo, &all), typo["total"].clone()),
        (vec![0], json!(1))
    );
    assert_eq!(typo["items"][0]["view"], "full");
    assert_eq!(
        typo["items"][0]["title"],
        "Rao Precision CNC machining unit"
    );

    // Filters by the wire names; the anonymous listing is a teaser.
    let filters = json!({"industry": "machinery", "asking_price_max_paise": 5_00_00_000_00i64});
    let body = json!({"query": "", "filters": filters, "sort": "price_asc"});
    let machinery = search(&app, &buyer, body).await;
    assert_eq!(ids_of(&machinery, &all), [1]);
    let teaser = &machinery["items"][0];
    assert_eq!(teaser["view"], "teaser");
    assert!(
        teaser.get("title").is_none() && teaser.get("city").is_none(),
        "{teaser}"
    );
    let by_state =
        json!({"query": "machinery", "filters": {"state": "MH", "deal_type": "full_sale"}});
    assert_eq!(ids_of(&search(&app, &buyer, by_state).await, &all), [0]);
}

#[tokio::test]
async fn cursors_page_and_withdrawals_leave_the_index() {
    let app = TestApp::spawn().await;
    let (seller, buyer, all) = market(&app).await;
    let body = json!({"sort": "price_desc", "limit": 2});
    let first = search_until(&app, &buyer, body, 3).await;
    assert_eq!(ids_of(&first, &all), [0, 1]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = search(
        &app,
        &buyer,
        json!({"sort": "price_desc", "limit": 2, "cursor": cursor}),
    )
    .await;
    assert_eq!(
        (ids_of(&rest, &all), rest["next_cursor"].clone()),
        (vec![2], Value::Null)
    );

    let path = format!("/v1/listings/{}/withdraw", all[0]);
    let res = app.post_auth(&path, &seller, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let after = search_until(&app, &buyer, json!({}), 2).await;
    assert_eq!(ids_of(&after, &all), [2, 1], "newest first without words");

    // A change made through the library beside the server, not over HTTP: the runtime sees
    // its event like any other.
    let id = msme_core::types::ListingId::parse(&all[2]).unwrap();
    let withdraw = msme_core::listing::ListingAction::Withdraw;
    let operator = msme_core::rbac::Actor::operator();
    let meta = msme_core::RequestMeta::default();
    let listings = app.platform.listings();
    listings
        .transition(&meta, &operator, &id, withdraw, None)
        .await
        .unwrap();
    let last = search_until(&app, &buyer, json!({}), 1).await;
    assert_eq!(ids_of(&last, &all), [1]);
}

#[tokio::test]
async fn bad_requests_are_named() {
    let app = TestApp::spawn().await;
    let (_, buyer) = app.signed_in("9760000003", "buyer").await;
    let cases = [
        (json!({"filters": {"industry": "spaceships"}}), "industry"),
        (
            json!({"filters": {"asking_price_min_paise": -1}}),
            "asking_price_min_paise",
        ),
        (json!({"sort": "cheapest"}), "sort"),
        (json!({"cursor": "not-a-cursor"}), "cursor"),
        (
            json!({"filters": {"revenue_min_paise": 9, "revenue_max_paise": 1}}),
            "revenue_min_paise",
        ),
    ];
    for (body, field) in cases {
        let res = app.post_auth("/v1/search", &buyer, body.clone()).await;
        assert_eq!(error_field(res).await, field, "{body}");
    }
    let unknown = app
        .post_auth("/v1/search", &buyer, json!({"filters": {"colour": "red"}}))
        .await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    let anonymous = app.post("/v1/search", json!({})).await;
    let code = error_code(anonymous, StatusCode::UNAUTHORIZED).await;
    assert!(!code.is_empty());
}
