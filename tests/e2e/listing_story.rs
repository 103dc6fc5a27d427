//! The listings issue's story end to end over HTTP, on SQLite and on PostgreSQL: a seller
//! creates, fills and submits a listing; an admin (signed in with MFA) approves it; the seller
//! publishes it; a buyer sees only the teaser until the seller grants access, then all of it.

use crate::common::App;
use msme::core::auth::{totp, NewAccount};
use msme::core::rbac::Actor;
use msme::RequestMeta;
use serde_json::{json, Value};

/// Registers an account over HTTP and signs it in; returns (id, access token).
pub(crate) async fn sign_up(app: &App, mobile: &str, role: &str) -> (String, String) {
    let body = json!({"name": "Asha Rao", "mobile": mobile, "email": null, "password": "chai-and-ledgers", "role": role});
    let (status, user) = app.post("/v1/auth/register", body).await;
    assert_eq!(status, 201, "{user}");
    let (status, tokens) = app
        .post(
            "/v1/auth/login",
            json!({"mobile": mobile, "password": "chai-and-ledgers"}),
        )
        .await;
    assert_eq!(status, 200, "{tokens}");
    (
        user["id"].as_str().unwrap().to_string(),
        tokens["access_token"].as_str().unwrap().to_string(),
    )
}

/// An admin made by the operator (MFA on from the start), signed in with a TOTP code.
pub(crate) async fn admin(app: &App) -> String {
    let account = NewAccount::parse("Ops Admin", "9123456780", None, "admin-password-1", "admin")
        .expect("account");
    let made = app
        .platform
        .users()
        .create(&RequestMeta::default(), &Actor::operator(), account)
        .await
        .expect("admin");
    let secret = made.mfa.expect("admins get MFA").secret;
    let code = totp::code_at(&secret, chrono::Utc::now().timestamp()).expect("code");
    let login = json!({"mobile": "9123456780", "password": "admin-password-1", "totp": code});
    let (status, tokens) = app.post("/v1/auth/login", login).await;
    assert_eq!(status, 200, "{tokens}");
    tokens["access_token"].as_str().unwrap().to_string()
}

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

async fn story(app: App) -> App {
    let (_, seller) = sign_up(&app, "9876543210", "seller").await;
    let (buyer_id, buyer) = sign_up(&app, "9876543211", "buyer").await;
    let admin = admin(&app).await;

    let (status, created) = app.post_auth("/v1/listings", &seller, listing()).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["status"], "draft");
    let (status, _) = app.get(&format!("/v1/listings/{id}"), &buyer).await;
    assert_eq!(status, 404, "a draft does not exist for buyers");

    let step = |who: &str, action: &str| (who.to_string(), format!("/v1/listings/{id}/{action}"));
    let (status, err) = app
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
        let (status, body) = app.post_auth(&path, &who, json!({})).await;
        assert_eq!(status, 200, "{path}: {body}");
    }

    let (status, teaser) = app.get(&format!("/v1/listings/{id}"), &buyer).await;
    assert_eq!(status, 200);
    assert_eq!(teaser["view"], "teaser", "{teaser}");
    for hidden in [
        "title",
        "description",
        "city",
        "seller",
        "financials",
        "employees",
    ] {
        assert!(
            teaser.get(hidden).is_none(),
            "teaser leaks {hidden}: {teaser}"
        );
    }
    assert_eq!(teaser["revenue_band"], "5_to_25_crore");

    let (status, _) = app
        .post_auth(
            &format!("/v1/listings/{id}/access"),
            &seller,
            json!({"buyer_id": buyer_id}),
        )
        .await;
    assert_eq!(status, 201);
    let (status, full) = app.get(&format!("/v1/listings/{id}"), &buyer).await;
    assert_eq!(
        (status, full["view"].as_str()),
        (200, Some("full")),
        "{full}"
    );
    assert_eq!(full["title"], "Precision CNC machining unit in Pune");
    assert_eq!(full["seller"]["name"], "Asha Rao");
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_story_on_sqlite() {
    let app = App::spawn(None).await;
    story(app).await.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_story_on_postgres() {
    crate::common::on_postgres(story).await;
}
