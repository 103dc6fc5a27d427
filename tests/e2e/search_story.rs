//! Search end to end over HTTP, on SQLite (tantivy in the data directory) and on PostgreSQL
//! (full-text search in the database, shared by every server on it): published listings are
//! found with typos, an anonymous one only by its teaser words and shown as a teaser.

use std::time::{Duration, Instant};

use crate::common::App;
use crate::listing_story::{admin, listing, sign_up};
use serde_json::{json, Value};

/// Creates and publishes a listing; returns its id.
async fn publish(app: &App, seller: &str, admin: &str, body: Value) -> String {
    let (status, created) = app.post_auth("/v1/listings", seller, body).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    for (who, action) in [(seller, "submit"), (admin, "approve"), (seller, "publish")] {
        let path = format!("/v1/listings/{id}/{action}");
        let (status, body) = app.post_auth(&path, who, json!({})).await;
        assert_eq!(status, 200, "{path}: {body}");
    }
    id
}

/// Searches until `total` hits come back (the index catches up in the background).
async fn search_until(app: &App, token: &str, body: Value, total: u64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, page) = app.post_auth("/v1/search", token, body.clone()).await;
        assert_eq!(status, 200, "{page}");
        if page["total"] == total || Instant::now() > deadline {
            return page;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn story(app: App) -> App {
    let (_, seller) = sign_up(&app, "9876543210", "seller").await;
    let (_, buyer) = sign_up(&app, "9876543211", "buyer").await;
    let admin = admin(&app).await;
    let mut named = listing();
    named["anonymous"] = json!(false);
    let named_id = publish(&app, &seller, &admin, named).await;
    let mut hidden = listing();
    hidden["title"] = json!("Confidential formulation plant");
    hidden["industry"] = json!("pharmaceuticals");
    let hidden_id = publish(&app, &seller, &admin, hidden).await;

    let all = search_until(&app, &buyer, json!({}), 2).await;
    assert_eq!(all["total"], 2, "{all}");
    let typo = search_until(&app, &buyer, json!({"query": "machinng pune"}), 1).await;
    assert_eq!(typo["items"][0]["id"], named_id.as_str(), "{typo}");
    assert_eq!(typo["items"][0]["view"], "full");
    let (_, secret) = app
        .post_auth("/v1/search", &buyer, json!({"query": "formulation"}))
        .await;
    assert_eq!(secret["total"], 0, "hidden words are not indexed: {secret}");
    let (_, teaser) = app
        .post_auth("/v1/search", &buyer, json!({"query": "pharmaceuticals"}))
        .await;
    assert_eq!(teaser["items"][0]["id"], hidden_id.as_str(), "{teaser}");
    assert_eq!(teaser["items"][0]["view"], "teaser");
    let filters = json!({"filters": {"ebitda_margin_min_pct": 10, "ebitda_margin_max_pct": 20,
        "year_established_min": 2000, "year_established_max": 2010}});
    let (_, ranged) = app.post_auth("/v1/search", &buyer, filters).await;
    assert_eq!(ranged["total"], 2, "{ranged}");
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_story_on_sqlite() {
    let app = App::spawn(None).await;
    assert_eq!(app.platform.search().index_name(), Some("tantivy"));
    story(app).await.stop().await;
}

/// On PostgreSQL the index lives in the database: a second server on the same database finds
/// what the first one indexed, without an index of its own to build.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_story_on_postgres_shares_one_index() {
    crate::common::on_postgres(|app| async move {
        assert_eq!(app.platform.search().index_name(), Some("postgres"));
        let app = story(app).await;
        let second = App::spawn(app.database_url.clone()).await;
        let (_, buyer) = second
            .post(
                "/v1/auth/login",
                json!({"mobile": "9876543211", "password": "chai-and-ledgers"}),
            )
            .await;
        let token = buyer["access_token"].as_str().unwrap();
        let found = search_until(&second, token, json!({"query": "machining"}), 1).await;
        assert_eq!(found["total"], 1, "{found}");
        second.stop().await;
        app
    })
    .await;
}
