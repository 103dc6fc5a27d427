//! Listings over HTTP: a complete body, created, and taken through the approval workflow.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::server::TestApp;
use crate::wait::eventually;

/// What a teaser (a listing shown to someone without access) never carries: the seller's
/// name and place, the books and the assets, nothing that would identify the business.
pub const TEASER_HIDDEN: [&str; 10] = [
    "title",
    "description",
    "city",
    "seller",
    "financials",
    "employees",
    "year_established",
    "assets",
    "anonymous",
    "version",
];

/// A complete, valid listing in the wire names of the issue.
pub fn listing_body(anonymous: bool) -> Value {
    json!({
        "title": "Rao Precision CNC machining unit",
        "description": "Profitable CNC job shop serving auto OEMs around Pune for 18 years.",
        "industry": "machinery",
        "city": "Pune",
        "state": "Maharashtra",
        "year_established": 2008,
        "employees": 42,
        "deal_type": "full_sale",
        "asking_price_paise": 12_00_00_000_00i64,
        "anonymous": anonymous,
        "financials": [{
            "fiscal_year": 2024,
            "revenue_paise": 8_00_00_000_00i64,
            "ebitda_paise": 1_20_00_000_00i64,
            "net_profit_paise": 60_00_000_00i64,
            "total_assets_paise": 5_00_00_000_00i64,
            "total_liabilities_paise": 2_00_00_000_00i64,
            "debt_paise": 1_00_00_000_00i64,
        }],
    })
}

/// [`listing_body`] with each field of `changes` (a JSON object) set over it.
pub fn listing_with(anonymous: bool, changes: Value) -> Value {
    changed(listing_body(anonymous), changes)
}

/// `body` with each field of `changes` (a JSON object) set over it.
pub fn changed(mut body: Value, changes: Value) -> Value {
    let Value::Object(changes) = changes else {
        panic!("changes to a body are a JSON object: {changes}");
    };
    for (field, value) in changes {
        body[field] = value;
    }
    body
}

impl TestApp {
    /// Creates a listing from [`listing_body`] and returns its JSON.
    pub async fn create_listing(&self, token: &str, anonymous: bool) -> Value {
        self.create_listing_from(token, listing_body(anonymous))
            .await
    }

    /// Creates a listing from [`listing_body`] and returns its id (a draft).
    pub async fn draft_id(&self, token: &str, anonymous: bool) -> String {
        let created = self.create_listing(token, anonymous).await;
        created["id"].as_str().expect("listing id").to_string()
    }

    /// Creates a listing from `body` (a draft of the seller whose token it is); its JSON.
    pub async fn create_listing_from(&self, token: &str, body: Value) -> Value {
        let res = self.post_auth("/v1/listings", token, body).await;
        assert_eq!(res.status(), StatusCode::CREATED, "create listing");
        res.json().await.expect("listing JSON")
    }

    /// Takes a draft through submit, approve (by `admin`) and publish; returns the listing.
    pub async fn publish(&self, seller: &str, admin: &str, id: &str) -> Value {
        for (token, action) in [(seller, "submit"), (admin, "approve"), (seller, "publish")] {
            let path = format!("/v1/listings/{id}/{action}");
            let res = self.post_auth(&path, token, json!({})).await;
            assert_eq!(res.status(), StatusCode::OK, "{action}");
        }
        self.json_ok(&format!("/v1/listings/{id}"), seller).await
    }

    /// Creates a listing from `body` and publishes it; returns its id.
    pub async fn published(&self, seller: &str, admin: &str, body: Value) -> String {
        let created = self.create_listing_from(seller, body).await;
        let id = created["id"].as_str().expect("listing id").to_string();
        self.publish(seller, admin, &id).await;
        id
    }

    /// Creates and publishes a listing from each body, in order; returns their ids.
    pub async fn published_all(
        &self,
        seller: &str,
        admin: &str,
        bodies: Vec<Value>,
    ) -> Vec<String> {
        let mut ids = Vec::new();
        for body in bodies {
            ids.push(self.published(seller, admin, body).await);
        }
        ids
    }

    /// Waits (up to 15 s) until the listing's status is `status`: the runtime moves it after
    /// the event that does (a released escrow sells it).
    pub async fn listing_becomes(&self, id: &str, token: &str, status: &str) {
        let path = format!("/v1/listings/{id}");
        let path = path.as_str();
        let check = || async move {
            let listing = self.json_ok(path, token).await;
            (listing["status"] == status).then_some(()).ok_or(listing)
        };
        let what = format!("never {status}");
        eventually(
            &what,
            Duration::from_secs(15),
            Duration::from_millis(20),
            check,
        )
        .await;
    }
}
