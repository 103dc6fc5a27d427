//! Browsing listings over HTTP: filters, sort orders, cursor pages, and bad parameters named.

use msme_testkit::{assert_error, error_field, listing_with, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Three published listings (industry, state, price, deal type), created in this order:
/// 0 machinery/Maharashtra/300/full_sale, 1 software/Karnataka/100/partial_stake,
/// 2 machinery/Gujarat/200/asset_sale; and a buyer's token.
async fn shop(app: &TestApp) -> (String, Vec<String>) {
    let (_, seller) = app.signed_in("9750000001", "seller").await;
    let (_, buyer) = app.signed_in("9750000002", "buyer").await;
    let admin = app.admin_token("9750000009").await;
    let offers = [
        ("machinery", "Maharashtra", 300, "full_sale"),
        ("software", "Karnataka", 100, "partial_stake"),
        ("machinery", "Gujarat", 200, "asset_sale"),
    ];
    let bodies = offers.map(|(industry, state, price, deal)| {
        listing_with(
            true,
            json!({"industry": industry, "state": state,
                                  "asking_price_paise": price, "deal_type": deal}),
        )
    });
    (
        buyer,
        app.published_all(&seller, &admin, bodies.to_vec()).await,
    )
}

/// The listings of a page, as indexes into `all`.
fn which(page: &Value, all: &[String]) -> Vec<usize> {
    let items = page["items"].as_array().unwrap();
    let index = |l: &Value| all.iter().position(|id| l["id"] == id.as_str()).unwrap();
    items.iter().map(index).collect()
}

async fn filters_and_sort_orders(app: TestApp) {
    let (buyer, all) = shop(&app).await;
    let cases: [(&str, &[usize]); 9] = [
        ("", &[2, 1, 0]),
        ("sort=price_asc", &[1, 2, 0]),
        ("sort=price_desc", &[0, 2, 1]),
        ("industry=machinery&sort=price_asc", &[2, 0]),
        ("state=KA", &[1]),
        ("deal_type=asset_sale", &[2]),
        ("min_price_paise=150&max_price_paise=250", &[2]),
        ("city=pune&state=Gujarat", &[2]),
        ("city=Mumbai", &[]),
    ];
    for (query, expected) in cases {
        let page = app.json_ok(&format!("/v1/listings?{query}"), &buyer).await;
        assert_eq!(which(&page, &all), expected, "{query}");
    }
    app.stop().await;
}

async fn cursors_page_and_bad_parameters_are_named(app: TestApp) {
    let (buyer, all) = shop(&app).await;
    let first = app
        .json_ok("/v1/listings?sort=price_asc&limit=2", &buyer)
        .await;
    assert_eq!(which(&first, &all), [1, 2]);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let next = format!("/v1/listings?sort=price_asc&limit=2&cursor={cursor}");
    let rest = app.json_ok(&next, &buyer).await;
    assert_eq!(which(&rest, &all), [0]);
    assert!(rest["next_cursor"].is_null());
    let bad = [
        ("industry=alchemy", "industry"),
        ("state=Atlantis", "state"),
        ("deal_type=merger", "deal_type"),
        ("sort=cheapest", "sort"),
        ("cursor=forged", "cursor"),
        ("status=lost", "status"),
        ("min_price_paise=-5", "min_price_paise"),
    ];
    for (query, field) in bad {
        let res = app.get_auth(&format!("/v1/listings?{query}"), &buyer).await;
        assert_eq!(error_field(res).await, field, "{query}");
    }
    let res = app.get_auth("/v1/listings?limit=many", &buyer).await;
    assert_error(res, StatusCode::BAD_REQUEST, "invalid_query").await;
    app.stop().await;
}

msme_testkit::on_each_backend!(
    filters_and_sort_orders,
    cursors_page_and_bad_parameters_are_named,
);
