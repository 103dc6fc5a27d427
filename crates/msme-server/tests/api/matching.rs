//! Buyer preferences, saved searches, agent grants, interactions and matching over HTTP,
//! with ownership: nobody reads or changes another account's preferences, saved searches or
//! matches unless the permission table or a grant says so.

use std::time::{Duration, Instant};

use msme_testkit::{assert_error, error_field, listing_body, listing_with, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Three published listings: 0 machinery in Pune, Maharashtra at ₹12 crore (named, "CNC" in
/// its title); 1 machinery in Gujarat at ₹3 crore (anonymous); 2 software in Karnataka.
async fn market(app: &TestApp) -> (String, Vec<String>) {
    let (_, seller) = app.signed_in("9770000001", "seller").await;
    let admin = app.admin_token("9770000009").await;
    let anonymous = json!({"state": "Gujarat", "asking_price_paise": 3_00_00_000_00i64});
    let software = json!({"title": "Payroll software for clinics", "industry": "software",
                          "state": "Karnataka"});
    let bodies = vec![
        listing_body(false),
        listing_with(true, anonymous),
        listing_with(false, software),
    ];
    let ids = app.published_all(&seller, &admin, bodies).await;
    (seller, ids)
}

fn preferences() -> Value {
    json!({"sectors": ["machinery"], "states": ["MH", "Gujarat"], "ticket_max_paise": 15_00_00_000_00i64,
           "ticket_min_paise": 1_00_00_000_00i64, "keywords": ["cnc"], "deal_types": ["full_sale"]})
}

async fn json(res: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(res.status(), status);
    res.json().await.unwrap()
}

#[tokio::test]
async fn buyers_keep_preferences_and_others_cannot() {
    let app = TestApp::spawn().await;
    let (buyer_id, buyer) = app.signed_in("9770000011", "buyer").await;
    let empty = app.json_ok("/v1/buyer-preferences", &buyer).await;
    assert_eq!(
        (empty["buyer_id"].as_str(), &empty["updated_at"]),
        (Some(buyer_id.as_str()), &Value::Null)
    );
    let res = app
        .put_auth("/v1/buyer-preferences", &buyer, preferences())
        .await;
    let saved = json(res, StatusCode::OK).await;
    assert_eq!(saved["states"], json!(["Maharashtra", "Gujarat"]));
    assert_eq!(app.json_ok("/v1/buyer-preferences", &buyer).await, saved);
    let bad = json!({"sectors": ["mining"]});
    let res = app.put_auth("/v1/buyer-preferences", &buyer, bad).await;
    assert_eq!(error_field(res).await, "sectors");
    let bad = json!({"ticket_min_paise": 10, "ticket_max_paise": 5});
    let res = app.put_auth("/v1/buyer-preferences", &buyer, bad).await;
    assert_eq!(error_field(res).await, "ticket_min_paise");
    let (_, seller) = app.signed_in("9770000012", "seller").await;
    let res = app.get_auth("/v1/buyer-preferences", &seller).await;
    assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    app.stop().await;
}

#[tokio::test]
async fn saved_searches_belong_to_whoever_saved_them() {
    let app = TestApp::spawn().await;
    let (_, ids) = market(&app).await;
    let (_, a) = app.signed_in("9770000021", "buyer").await;
    let (_, b) = app.signed_in("9770000022", "agent").await;
    let body = json!({"name": "Machinery in MH", "query": "machining", "filters": {"state": "MH", "ebitda_margin_min_pct": 10}, "sort": "price_asc"});
    let created = json(
        app.post_auth("/v1/saved-searches", &a, body).await,
        StatusCode::CREATED,
    )
    .await;
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["filters"]["state"], "MH");
    let path = format!("/v1/saved-searches/{id}");
    let deadline = Instant::now() + Duration::from_secs(15);
    let run = loop {
        let res = app
            .post_auth(&format!("{path}/run"), &a, json!({"limit": 5}))
            .await;
        let page = json(res, StatusCode::OK).await;
        if page["total"] == 1 || Instant::now() > deadline {
            break page;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(run["items"][0]["id"], ids[0].as_str(), "{run}");
    let renamed = json!({"name": "Renamed", "sort": "newest"});
    let updated = json(
        app.put_auth(&path, &a, renamed.clone()).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (updated["name"].as_str(), updated["sort"].as_str()),
        (Some("Renamed"), Some("newest"))
    );
    let list = app.json_ok("/v1/saved-searches", &a).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    // Someone else: not found, whatever they try; their own list is empty.
    for res in [
        app.get_auth(&path, &b).await,
        app.put_auth(&path, &b, renamed).await,
        app.post_auth(&format!("{path}/run"), &b, json!({})).await,
        app.delete_auth(&path, &b).await,
    ] {
        assert_error(res, StatusCode::NOT_FOUND, "saved_search_not_found").await;
    }
    assert!(app.json_ok("/v1/saved-searches", &b).await["items"]
        .as_array()
        .unwrap()
        .is_empty());
    let bad = json!({"name": "x", "filters": {"revenue_min_paise": -1}});
    let res = app.post_auth("/v1/saved-searches", &a, bad).await;
    assert_eq!(error_field(res).await, "revenue_min_paise");
    assert_eq!(
        app.delete_auth(&path, &a).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get_auth(&path, &a).await.status(),
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

async fn rank(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.post_auth("/v1/matchmaking", token, body).await
}

#[tokio::test]
async fn a_buyer_is_matched_with_reasons_and_teasers_where_they_lack_access() {
    let app = TestApp::spawn().await;
    let (seller, ids) = market(&app).await;
    let (buyer_id, buyer) = app.signed_in("9770000031", "buyer").await;
    app.put_auth("/v1/buyer-preferences", &buyer, preferences())
        .await;
    let res = rank(&app, &buyer, json!({"buyer_id": buyer_id})).await;
    let found = json(res, StatusCode::OK).await;
    let items = found["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let best = &items[0];
    assert_eq!(best["listing"]["id"], ids[0].as_str(), "{found}");
    assert_eq!(best["listing"]["view"], "full");
    let reasons: Vec<&str> = best["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    for r in [
        "sector matches",
        "in Maharashtra, one of your states",
        "full sale, as you want",
        "asking price 20% under your maximum",
        "mentions cnc",
    ] {
        assert!(reasons.contains(&r), "{r} in {reasons:?}");
    }
    assert!(best["score"].as_f64().unwrap() > items[2]["score"].as_f64().unwrap());
    let hidden = items
        .iter()
        .find(|m| m["listing"]["id"] == ids[1].as_str())
        .unwrap();
    assert_eq!(hidden["listing"]["view"], "teaser", "{hidden}");
    assert!(
        !hidden.to_string().contains("Rao Precision"),
        "no hidden text in reasons: {hidden}"
    );
    assert_eq!(items[2]["listing"]["id"], ids[2].as_str(), "software last");

    // The seller ranks buyers for the listing; the buyer's figures stay private.
    let res = rank(&app, &seller, json!({"listing_id": ids[0], "limit": 5})).await;
    let buyers = json(res, StatusCode::OK).await;
    assert_eq!(
        buyers["items"][0]["buyer"]["id"],
        buyer_id.as_str(),
        "{buyers}"
    );
    let text = buyers.to_string();
    assert!(
        text.contains("looks for Machinery and engineering businesses")
            && text.contains("fits their ticket"),
        "{text}"
    );
    assert!(!text.contains('%'), "no figures of the buyer's: {text}");

    // Saved matches follow in the background.
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let saved = app
            .json_ok(&format!("/v1/matches/{buyer_id}"), &buyer)
            .await;
        if saved["items"].as_array().unwrap().len() == 3 {
            assert_eq!(saved["items"][0]["listing"]["id"], ids[0].as_str());
            break;
        }
        assert!(
            Instant::now() < deadline,
            "saved matches never came: {saved}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let res = rank(
        &app,
        &buyer,
        json!({"buyer_id": buyer_id, "listing_id": ids[0]}),
    )
    .await;
    assert_eq!(error_field(res).await, "buyer_id");
    app.stop().await;
}

#[tokio::test]
async fn matches_are_seen_by_the_buyer_admins_and_granted_agents_only() {
    let app = TestApp::spawn().await;
    let (seller, ids) = market(&app).await;
    let (a_id, a) = app.signed_in("9770000041", "buyer").await;
    let (_, b) = app.signed_in("9770000042", "buyer").await;
    let (agent_id, agent) = app.signed_in("9770000043", "agent").await;
    let (_, other_seller) = app.signed_in("9770000044", "seller").await;
    let admin = app.admin_token("9770000049").await;
    app.put_auth("/v1/buyer-preferences", &a, preferences())
        .await;
    let for_a = json!({"buyer_id": a_id});
    let saved = format!("/v1/matches/{a_id}");
    for token in [&b, &agent, &seller] {
        let res = rank(&app, token, for_a.clone()).await;
        assert_error(res, StatusCode::NOT_FOUND, "buyer_not_found").await;
        let res = app.get_auth(&saved, token).await;
        assert_error(res, StatusCode::NOT_FOUND, "buyer_not_found").await;
    }
    for token in [&a, &admin] {
        assert_eq!(
            rank(&app, token, for_a.clone()).await.status(),
            StatusCode::OK
        );
        assert_eq!(app.get_auth(&saved, token).await.status(), StatusCode::OK);
    }
    // A grant lets the agent in; taking it back shuts them out again.
    let grant = json!({"agent_id": agent_id});
    let res = app.post_auth("/v1/agent-grants", &a, grant.clone()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(
        app.post_auth("/v1/agent-grants", &a, grant).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.json_ok("/v1/agent-grants", &a).await["items"][0]["agent_id"],
        agent_id.as_str()
    );
    assert_eq!(
        rank(&app, &agent, for_a.clone()).await.status(),
        StatusCode::OK
    );
    let res = app
        .delete_auth(&format!("/v1/agent-grants/{agent_id}"), &a)
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        rank(&app, &agent, for_a.clone()).await.status(),
        StatusCode::NOT_FOUND
    );
    let not_agent = json!({"agent_id": a_id});
    let res = app.post_auth("/v1/agent-grants", &b, not_agent).await;
    assert_error(res, StatusCode::NOT_FOUND, "agent_not_found").await;
    // Buyers for a listing: its owner and admins only.
    let for_listing = json!({"listing_id": ids[0]});
    for token in [&other_seller, &a] {
        let res = rank(&app, token, for_listing.clone()).await;
        assert_error(res, StatusCode::NOT_FOUND, "listing_not_found").await;
    }
    assert_eq!(
        rank(&app, &admin, for_listing).await.status(),
        StatusCode::OK
    );
    app.stop().await;
}

#[tokio::test]
async fn buyers_record_interactions_on_published_listings() {
    let app = TestApp::spawn().await;
    let (seller, ids) = market(&app).await;
    let (_, buyer) = app.signed_in("9770000051", "buyer").await;
    let body = json!({"listing_id": ids[1], "kind": "access_request"});
    let made = json(
        app.post_auth("/v1/interactions", &buyer, body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(made["kind"], "access_request");
    let bad = json!({"listing_id": ids[1], "kind": "like"});
    let res = app.post_auth("/v1/interactions", &buyer, bad).await;
    assert_eq!(error_field(res).await, "kind");
    let ghost = json!({"listing_id": uuid::Uuid::now_v7().to_string(), "kind": "view"});
    let res = app.post_auth("/v1/interactions", &buyer, ghost).await;
    assert_error(res, StatusCode::NOT_FOUND, "listing_not_found").await;
    let res = app
        .post_auth(
            "/v1/interactions",
            &seller,
            json!({"listing_id": ids[0], "kind": "view"}),
        )
        .await;
    assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    // Reading a listing is a view when a buyer reads it, and nothing when its seller does.
    app.json_ok(&format!("/v1/listings/{}", ids[0]), &buyer)
        .await;
    app.json_ok(&format!("/v1/listings/{}", ids[0]), &seller)
        .await;
    // The view waits in memory for the runtime's flusher; flushing writes it.
    app.platform.matching().flush_views().await.unwrap();
    let all = app
        .platform
        .store()
        .interactions_page(None, 100)
        .await
        .unwrap();
    let kinds: Vec<&str> = all.iter().map(|i| i.kind.as_str()).collect();
    assert_eq!(kinds, ["access_request", "view"]);
    app.stop().await;
}
