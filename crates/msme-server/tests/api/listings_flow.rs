//! The story over HTTP: a seller creates, fills and submits a listing, an admin
//! approves it, the seller publishes it, and a buyer sees only the teaser until granted access;
//! then the full listing, its files and the seller's identity.

use std::collections::BTreeSet;

use crate::common::{pdf, png};
use msme_testkit::{assert_error, error_code, listing_with, TestApp, TEASER_HIDDEN};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The keys of a teaser, and nothing else.
const TEASER_KEYS: [&str; 10] = [
    "id",
    "view",
    "headline",
    "industry",
    "state",
    "revenue_band",
    "asking_price_paise",
    "deal_type",
    "status",
    "published_at",
];

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().expect("an object").keys().cloned().collect()
}

/// Asserts `v` is a teaser with exactly the public keys and none of the seller's words.
fn assert_teaser(v: &Value) {
    let expected: BTreeSet<String> = TEASER_KEYS.iter().map(|k| k.to_string()).collect();
    assert_eq!(keys(v), expected);
    assert_eq!(v["view"], "teaser");
    let text = v.to_string();
    // Numbers (employees, year) are not searched for: ids and times may contain any digits.
    for secret in ["Rao Precision", "Pune", "Asha", "OEMs"] {
        assert!(!text.contains(secret), "teaser leaks {secret}: {text}");
    }
}

/// Seller with a filled-in draft (an asset, an image, a PDF), a buyer and an admin.
struct Market {
    app: TestApp,
    seller: String,
    seller_id: String,
    buyer: String,
    buyer_id: String,
    admin: String,
    listing: String,
}

async fn market(app: TestApp) -> Market {
    let (seller_id, seller) = app.signed_in("9700000001", "seller").await;
    let (buyer_id, buyer) = app.signed_in("9700000002", "buyer").await;
    let admin = app.admin_token("9700000009").await;
    let created = app.create_listing(&seller, true).await;
    assert_eq!(
        (created["view"].as_str(), created["status"].as_str()),
        (Some("full"), Some("draft"))
    );
    assert_eq!(created["seller"]["id"], seller_id.as_str());
    let listing = created["id"].as_str().unwrap().to_string();
    let asset = json!({"item": "VMC 850 machining centre", "category": "plant_machinery",
                       "quantity": 2, "book_value_paise": 40_00_000_00i64, "condition": "good"});
    let res = app
        .post_auth(&format!("/v1/listings/{listing}/assets"), &seller, asset)
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    for (name, bytes, kind) in [
        ("shop floor.png", png(), "image"),
        ("P&L FY24.pdf", pdf(), "document"),
    ] {
        let fields = [("kind", kind), ("listing_id", listing.as_str())];
        let res = app.upload(&seller, (name, bytes), &fields).await;
        assert_eq!(res.status(), StatusCode::CREATED, "{name}");
    }
    Market {
        app,
        seller,
        seller_id,
        buyer,
        buyer_id,
        admin,
        listing,
    }
}

async fn a_listing_goes_from_draft_to_buyers_who_see_a_teaser_until_granted_access(app: TestApp) {
    let m = market(app).await;
    let (app, id) = (&m.app, m.listing.as_str());
    let path = format!("/v1/listings/{id}");
    // A fill-in edit names the version it changes.
    let edit = listing_with(true, json!({"employees": 45, "version": 1}));
    let res = app.put_auth(&path, &m.seller, edit).await;
    assert_eq!(res.status(), StatusCode::OK);
    let edited: Value = res.json().await.unwrap();
    assert_eq!(
        (edited["employees"].as_i64(), edited["version"].as_i64()),
        (Some(45), Some(2))
    );

    let res = app
        .post_auth(&format!("{path}/submit"), &m.seller, json!({}))
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "submitted");
    // Not public yet: the buyer cannot know it exists.
    assert_error(
        app.get_auth(&path, &m.buyer).await,
        StatusCode::NOT_FOUND,
        "listing_not_found",
    )
    .await;
    let queue = app.json_ok("/v1/listings?status=submitted", &m.admin).await;
    assert_eq!(queue["items"][0]["id"], id);
    for (token, action, status) in [
        (&m.admin, "approve", "approved"),
        (&m.seller, "publish", "published"),
    ] {
        let res = app
            .post_auth(&format!("{path}/{action}"), token, json!({}))
            .await;
        assert_eq!(res.status(), StatusCode::OK, "{action}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["status"], status);
    }

    buyer_sees_only_the_teaser(&m).await;
    let grant = json!({"buyer_id": m.buyer_id});
    let res = app
        .post_auth(&format!("{path}/access"), &m.seller, grant.clone())
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = app
        .post_auth(&format!("{path}/access"), &m.seller, grant)
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "granting twice is not an error"
    );
    let grants = app.json_ok(&format!("{path}/access"), &m.seller).await;
    assert_eq!(grants["items"][0]["buyer_id"], m.buyer_id.as_str());
    buyer_sees_everything(&m).await;

    let res = app
        .delete_auth(&format!("{path}/access/{}", m.buyer_id), &m.seller)
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_teaser(&app.json_ok(&path, &m.buyer).await);
    m.app.stop().await;
}

async fn buyer_sees_only_the_teaser(m: &Market) {
    let (app, id) = (&m.app, m.listing.as_str());
    let teaser = app.json_ok(&format!("/v1/listings/{id}"), &m.buyer).await;
    assert_teaser(&teaser);
    assert_eq!(teaser["revenue_band"], "5_to_25_crore");
    assert_eq!(
        teaser["headline"],
        "Machinery and engineering business in Maharashtra"
    );
    let page = app.json_ok("/v1/listings", &m.buyer).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_teaser(&page["items"][0]);
    for part in ["assets", "images", "documents"] {
        let res = app
            .get_auth(&format!("/v1/listings/{id}/{part}"), &m.buyer)
            .await;
        let code = error_code(res, StatusCode::NOT_FOUND).await;
        assert_eq!(code, "listing_not_found", "{part}");
    }
    let docs = app
        .json_ok(&format!("/v1/documents?listing_id={id}"), &m.seller)
        .await;
    let doc_id = docs["items"][0]["id"].as_str().unwrap();
    for suffix in ["", "/content"] {
        let res = app
            .get_auth(&format!("/v1/documents/{doc_id}{suffix}"), &m.buyer)
            .await;
        assert_error(res, StatusCode::NOT_FOUND, "document_not_found").await;
    }
    // Only owners and admins see who has access.
    let res = app
        .get_auth(&format!("/v1/listings/{id}/access"), &m.buyer)
        .await;
    assert_error(res, StatusCode::NOT_FOUND, "listing_not_found").await;
}

async fn buyer_sees_everything(m: &Market) {
    let (app, id) = (&m.app, m.listing.as_str());
    let full = app.json_ok(&format!("/v1/listings/{id}"), &m.buyer).await;
    assert_eq!(full["view"], "full");
    assert_eq!(full["title"], "Rao Precision CNC machining unit");
    assert_eq!(
        full["seller"],
        json!({"id": m.seller_id, "name": "Asha Rao"})
    );
    assert_eq!(full["financials"][0]["ebitda_paise"], 1_20_00_000_00i64);
    assert_eq!(full["assets"][0]["item"], "VMC 850 machining centre");
    let images = app
        .json_ok(&format!("/v1/listings/{id}/images"), &m.buyer)
        .await;
    let images = images["items"].as_array().unwrap();
    assert_eq!(images.len(), 1);
    assert_eq!(images[0]["content_type"], "image/png");
    let docs = app
        .json_ok(&format!("/v1/listings/{id}/documents"), &m.buyer)
        .await;
    let pdf_doc = docs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "document");
    let doc_id = pdf_doc.expect("the PDF")["id"].as_str().unwrap();
    let res = app
        .get_auth(&format!("/v1/documents/{doc_id}/content"), &m.buyer)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"PL FY24.pdf\""
    );
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf());
    let assets = app
        .json_ok(&format!("/v1/listings/{id}/assets"), &m.buyer)
        .await;
    assert_eq!(assets["items"].as_array().unwrap().len(), 1);
}

async fn a_teaser_carries_exactly_the_public_keys(app: TestApp) {
    let m = market(app).await;
    m.app.publish(&m.seller, &m.admin, &m.listing).await;
    let teaser = m
        .app
        .json_ok(&format!("/v1/listings/{}", m.listing), &m.buyer)
        .await;
    let expected: BTreeSet<String> = TEASER_KEYS.iter().map(|k| k.to_string()).collect();
    assert_eq!(keys(&teaser), expected);
    for hidden in TEASER_HIDDEN {
        assert!(teaser.get(hidden).is_none(), "{hidden}");
    }
    // The owner and admins get the full shape of the same listing.
    for token in [&m.seller, &m.admin] {
        let full = m
            .app
            .json_ok(&format!("/v1/listings/{}", m.listing), token)
            .await;
        assert_eq!(full["view"], "full");
        assert_eq!(full["city"], "Pune");
    }
    m.app.stop().await;
}

async fn a_named_listing_is_shown_in_full_to_every_buyer_once_public(app: TestApp) {
    let (_, seller) = app.signed_in("9700000011", "seller").await;
    let (_, buyer) = app.signed_in("9700000012", "buyer").await;
    let admin = app.admin_token("9700000019").await;
    let id = app.draft_id(&seller, false).await;
    let res = app.get_auth(&format!("/v1/listings/{id}"), &buyer).await;
    assert_error(res, StatusCode::NOT_FOUND, "listing_not_found").await;
    app.publish(&seller, &admin, &id).await;
    let full = app.json_ok(&format!("/v1/listings/{id}"), &buyer).await;
    assert_eq!(
        (full["view"].as_str(), full["anonymous"].as_bool()),
        (Some("full"), Some(false))
    );
    app.stop().await;
}

msme_testkit::on_each_backend!(
    a_listing_goes_from_draft_to_buyers_who_see_a_teaser_until_granted_access,
    a_teaser_carries_exactly_the_public_keys,
    a_named_listing_is_shown_in_full_to_every_buyer_once_public,
);
