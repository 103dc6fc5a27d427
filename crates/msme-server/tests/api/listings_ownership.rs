//! Another account can neither read nor change someone's listing beyond what buyers may see,
//! and the answers (including errors and list results) do not give its content away.

use msme_testkit::{assert_error, listing_body, listing_with, TestApp};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

/// Asserts a 404 `listing_not_found` whose body says nothing of the listing.
async fn hidden(res: Response, what: &str) {
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "{what}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "listing_not_found", "{what}");
    let text = body.to_string();
    for secret in ["Rao Precision", "Pune", "draft", "published"] {
        assert!(!text.contains(secret), "{what} leaks {secret}: {text}");
    }
}

/// Every route that changes a listing or reads its private parts, as `token`.
async fn every_owner_route_is_hidden(app: &TestApp, token: &str, id: &str, other: &str) {
    let base = format!("/v1/listings/{id}");
    let edit = listing_with(false, json!({"version": 1}));
    hidden(app.put_auth(&base, token, edit).await, "PUT").await;
    hidden(app.delete_auth(&base, token).await, "DELETE").await;
    for action in ["submit", "publish", "withdraw"] {
        let res = app
            .post_auth(&format!("{base}/{action}"), token, json!({}))
            .await;
        hidden(res, action).await;
    }
    let asset = json!({"item": "Lathe", "category": "plant_machinery", "quantity": 1,
                       "book_value_paise": 100, "condition": "fair"});
    hidden(
        app.post_auth(&format!("{base}/assets"), token, asset).await,
        "add asset",
    )
    .await;
    let asset_path = format!("{base}/assets/{}", uuid::Uuid::now_v7());
    hidden(app.delete_auth(&asset_path, token).await, "remove asset").await;
    hidden(
        app.get_auth(&format!("{base}/access"), token).await,
        "grants",
    )
    .await;
    let grant = json!({"buyer_id": other});
    let res = app.post_auth(&format!("{base}/access"), token, grant).await;
    hidden(res, "grant").await;
    let res = app
        .delete_auth(&format!("{base}/access/{other}"), token)
        .await;
    hidden(res, "revoke").await;
}

async fn others_cannot_touch_a_listing_in_any_status(app: TestApp) {
    let (_, owner) = app.signed_in("9710000001", "seller").await;
    let (rival_id, rival) = app.signed_in("9710000002", "seller").await;
    let (buyer_id, buyer) = app.signed_in("9710000003", "buyer").await;
    let admin = app.admin_token("9710000009").await;
    let id = app.draft_id(&owner, true).await;
    // A draft does not exist for anyone else, not even as a teaser.
    for token in [&rival, &buyer] {
        let base = format!("/v1/listings/{id}");
        hidden(app.get_auth(&base, token).await, "GET draft").await;
        for part in ["assets", "images", "documents"] {
            hidden(app.get_auth(&format!("{base}/{part}"), token).await, part).await;
        }
        every_owner_route_is_hidden(&app, token, &id, &buyer_id).await;
    }
    app.publish(&owner, &admin, &id).await;
    // Public now: a teaser for others, but still nothing to change.
    every_owner_route_is_hidden(&app, &rival, &id, &buyer_id).await;
    every_owner_route_is_hidden(&app, &buyer, &id, &rival_id).await;
    let teaser = app.json_ok(&format!("/v1/listings/{id}"), &rival).await;
    assert_eq!(teaser["view"], "teaser");
    // Only admins approve or reject, and the owner is no admin.
    let res = app
        .post_auth(
            &format!("/v1/listings/{id}/reject"),
            &rival,
            json!({"reason": "spam"}),
        )
        .await;
    hidden(res, "reject").await;
    app.stop().await;
}

async fn lists_show_others_only_public_listings_as_teasers(app: TestApp) {
    let (_, owner) = app.signed_in("9710000011", "seller").await;
    let (_, rival) = app.signed_in("9710000012", "seller").await;
    let admin = app.admin_token("9710000019").await;
    let draft = app.draft_id(&owner, true).await;
    let public = app.draft_id(&owner, true).await;
    app.publish(&owner, &admin, &public).await;
    // Asking for drafts, or for everything, still gets the rival only public teasers.
    for query in [
        "",
        "?status=draft",
        "?status=draft,submitted,published",
        "?mine=true",
    ] {
        let page = app.json_ok(&format!("/v1/listings{query}"), &rival).await;
        let items = page["items"].as_array().unwrap();
        assert!(items.iter().all(|l| l["id"] != draft.as_str()), "{query}");
        assert!(items.iter().all(|l| l["view"] == "teaser"), "{query}");
        assert!(!page.to_string().contains("Rao Precision"), "{query}");
    }
    let mine = app.json_ok("/v1/listings?mine=true", &owner).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 2);
    let drafts = app
        .json_ok("/v1/listings?mine=true&status=draft", &owner)
        .await;
    assert_eq!(drafts["items"][0]["id"], draft.as_str());
    assert_eq!(drafts["items"].as_array().unwrap().len(), 1);
    let all = app.json_ok("/v1/listings?status=draft", &admin).await;
    assert_eq!(all["items"][0]["view"], "full");
    app.stop().await;
}

async fn only_sellers_and_agents_create_listings(app: TestApp) {
    let (_, buyer) = app.signed_in("9710000021", "buyer").await;
    let res = app
        .post_auth("/v1/listings", &buyer, listing_body(true))
        .await;
    assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app.get("/v1/listings").await;
    assert_error(res, StatusCode::UNAUTHORIZED, "invalid_token").await;
    app.stop().await;
}

msme_testkit::on_each_backend!(
    others_cannot_touch_a_listing_in_any_status,
    lists_show_others_only_public_listings_as_teasers,
    only_sellers_and_agents_create_listings,
);
