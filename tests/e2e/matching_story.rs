//! Matching end to end over HTTP, on SQLite and on PostgreSQL: a buyer states preferences
//! and is matched with reasons; saved matches follow in the background; an agent sees them
//! only once granted; the seller ranks buyers for the listing; a saved search runs again.

use std::time::{Duration, Instant};

use crate::listing_story::listing;
use msme_testkit::{changed, TestApp};
use serde_json::json;

async fn matching_story(app: TestApp) {
    let api = app.api();
    let cast = app.cast().await;
    let named = changed(listing(), json!({"anonymous": false}));
    let cnc = app.published(&cast.seller, &cast.admin, named).await;
    let other = changed(
        listing(),
        json!({"industry": "software", "state": "Karnataka"}),
    );
    app.published(&cast.seller, &cast.admin, other).await;

    let prefs = json!({"sectors": ["machinery"], "states": ["MH"], "ticket_max_paise": 15_00_00_000_00i64, "keywords": ["cnc"]});
    let (status, saved) = api
        .put_auth("/v1/buyer-preferences", &cast.buyer, prefs)
        .await;
    assert_eq!(status, 200, "{saved}");
    let for_buyer = json!({"buyer_id": cast.buyer_id});
    let (status, found) = api
        .post_auth("/v1/matchmaking", &cast.buyer, for_buyer.clone())
        .await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["items"][0]["listing"]["id"], cnc.as_str(), "{found}");
    let reasons = found["items"][0]["reasons"].to_string();
    assert!(
        reasons.contains("sector matches") && reasons.contains("20% under your maximum"),
        "{reasons}"
    );

    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (status, kept) = api
            .get(&format!("/v1/matches/{}", cast.buyer_id), &cast.buyer)
            .await;
        assert_eq!(status, 200);
        if kept["items"].as_array().is_some_and(|i| i.len() == 2) {
            assert_eq!(kept["items"][0]["listing"]["id"], cnc.as_str());
            break;
        }
        assert!(
            Instant::now() < deadline,
            "saved matches never came: {kept}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, _) = api
        .post_auth("/v1/matchmaking", &cast.agent, for_buyer.clone())
        .await;
    assert_eq!(status, 404, "no grant yet");
    let (status, _) = api
        .post_auth(
            "/v1/agent-grants",
            &cast.buyer,
            json!({"agent_id": cast.agent_id}),
        )
        .await;
    assert_eq!(status, 201);
    let (status, _) = api
        .post_auth("/v1/matchmaking", &cast.agent, for_buyer)
        .await;
    assert_eq!(status, 200, "granted");

    let (status, buyers) = api
        .post_auth("/v1/matchmaking", &cast.seller, json!({"listing_id": cnc}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        buyers["items"][0]["buyer"]["id"],
        cast.buyer_id.as_str(),
        "{buyers}"
    );
    let (status, _) = api
        .post_auth(
            "/v1/interactions",
            &cast.buyer,
            json!({"listing_id": cnc, "kind": "save"}),
        )
        .await;
    assert_eq!(status, 201);
    let (status, s) = api
        .post_auth(
            "/v1/saved-searches",
            &cast.buyer,
            json!({"name": "CNC", "query": "machinng"}),
        )
        .await;
    assert_eq!(status, 201, "{s}");
    let run = format!("/v1/saved-searches/{}/run", s["id"].as_str().unwrap());
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (status, page) = api.post_auth(&run, &cast.buyer, json!({})).await;
        assert_eq!(status, 200, "{page}");
        if page["total"] == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "{page}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.stop().await;
}

msme_testkit::on_each_backend!(stories: matching_story);
