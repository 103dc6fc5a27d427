//! Search end to end over HTTP, on SQLite (tantivy in the data directory) and on PostgreSQL
//! (full-text search in the database, shared by every server on it): published listings are
//! found with typos, an anonymous one only by its teaser words and shown as a teaser.

use std::time::{Duration, Instant};

use crate::listing_story::listing;
use msme_testkit::{changed, Backend, TestApp, PASSWORD};
use serde_json::{json, Value};

/// Searches until `total` hits come back (the index catches up in the background).
async fn search_until(app: &TestApp, token: &str, body: Value, total: u64) -> Value {
    let api = app.api();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, page) = api.post_auth("/v1/search", token, body.clone()).await;
        assert_eq!(status, 200, "{page}");
        if page["total"] == total || Instant::now() > deadline {
            return page;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn story(app: &TestApp) {
    let api = app.api();
    let (_, seller) = app.signed_in("9876543210", "seller").await;
    let (_, buyer) = app.signed_in("9876543211", "buyer").await;
    let admin = app.admin_token("9123456780").await;
    let named = changed(listing(), json!({"anonymous": false}));
    let named_id = app.published(&seller, &admin, named).await;
    let hidden = json!({"title": "Confidential formulation plant", "industry": "pharmaceuticals"});
    let hidden_id = app
        .published(&seller, &admin, changed(listing(), hidden))
        .await;

    let all = search_until(app, &buyer, json!({}), 2).await;
    assert_eq!(all["total"], 2, "{all}");
    let typo = search_until(app, &buyer, json!({"query": "machinng pune"}), 1).await;
    assert_eq!(typo["items"][0]["id"], named_id.as_str(), "{typo}");
    assert_eq!(typo["items"][0]["view"], "full");
    let (_, secret) = api
        .post_auth("/v1/search", &buyer, json!({"query": "formulation"}))
        .await;
    assert_eq!(secret["total"], 0, "hidden words are not indexed: {secret}");
    let (_, teaser) = api
        .post_auth("/v1/search", &buyer, json!({"query": "pharmaceuticals"}))
        .await;
    assert_eq!(teaser["items"][0]["id"], hidden_id.as_str(), "{teaser}");
    assert_eq!(teaser["items"][0]["view"], "teaser");
    let filters = json!({"filters": {"ebitda_margin_min_pct": 10, "ebitda_margin_max_pct": 20,
        "year_established_min": 2000, "year_established_max": 2010}});
    let (_, ranged) = api.post_auth("/v1/search", &buyer, filters).await;
    assert_eq!(ranged["total"], 2, "{ranged}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_story_on_sqlite() {
    let app = TestApp::spawn_on_with(Backend::Sqlite, msme_testkit::default_limits()).await;
    let app = app.expect("SQLite is always there");
    assert_eq!(app.platform.search().index_name(), Some("tantivy"));
    story(&app).await;
    app.stop().await;
}

/// On PostgreSQL the index lives in the database: a second server on the same database finds
/// what the first one indexed, without an index of its own to build.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_story_on_postgres_shares_one_index() {
    let app = TestApp::spawn_on_with(Backend::Postgres, msme_testkit::default_limits()).await;
    let Some(app) = app else {
        return;
    };
    assert_eq!(app.platform.search().index_name(), Some("postgres"));
    story(&app).await;
    let second = app.second_server().await;
    let (_, buyer) = second
        .api()
        .post(
            "/v1/auth/login",
            json!({"mobile": "9876543211", "password": PASSWORD}),
        )
        .await;
    let token = buyer["access_token"].as_str().unwrap();
    let found = search_until(&second, token, json!({"query": "machining"}), 1).await;
    assert_eq!(found["total"], 1, "{found}");
    second.stop().await;
    app.stop().await;
}
