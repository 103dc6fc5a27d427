//! The README's walk-through, end to end: the real server on a random port, over HTTP, on the
//! embedded SQLite default and on PostgreSQL. Register, verify the mobile by OTP (read from the
//! outbox as an operator would), log in, refresh, and see a reused refresh token end the session.

use msme::core::rbac::Actor;
use msme_testkit::TestApp;
use serde_json::json;

async fn readme_walk_through(app: TestApp) {
    let api = app.api();
    let account = json!({"name": "Asha Rao", "mobile": "98765 43210", "email": "asha@example.in",
                         "password": "chai-and-ledgers", "role": "seller"});
    let (status, user) = api.post("/v1/auth/register", account).await;
    assert_eq!(status, 201, "{user}");
    assert_eq!(user["mobile"], "+919876543210");

    let (status, _) = api
        .post("/v1/auth/send-otp", json!({"mobile": "9876543210"}))
        .await;
    assert_eq!(status, 202);
    let outbox = app
        .platform
        .outbox()
        .list(&Actor::operator(), None, 10)
        .await
        .expect("outbox");
    let code: String = outbox
        .last()
        .expect("an SMS")
        .body
        .chars()
        .take(6)
        .collect();
    let (status, _) = api
        .post(
            "/v1/auth/verify-otp",
            json!({"mobile": "9876543210", "otp": code}),
        )
        .await;
    assert_eq!(status, 200);

    let login = json!({"mobile": "9876543210", "password": "chai-and-ledgers"});
    let (status, tokens) = api.post("/v1/auth/login", login).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    let access = tokens["access_token"].as_str().expect("access token");
    let (status, me) = api.get("/v1/me", access).await;
    assert_eq!(
        (status, me["id"].clone(), me["mobile_verified"].clone()),
        (200, user["id"].clone(), json!(true))
    );

    let old = tokens["refresh_token"].clone();
    let (status, fresh) = api
        .post("/v1/auth/refresh-token", json!({"refresh_token": old}))
        .await;
    assert_eq!(status, 200);
    let (status, err) = api
        .post("/v1/auth/refresh-token", json!({"refresh_token": old}))
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (401, Some("refresh_token_reused"))
    );
    let newer = fresh["refresh_token"].clone();
    let (status, _) = api
        .post("/v1/auth/refresh-token", json!({"refresh_token": newer}))
        .await;
    assert_eq!(status, 401, "reuse revoked the whole session");
    let (status, _) = api
        .get("/v1/me", fresh["access_token"].as_str().unwrap())
        .await;
    assert_eq!(status, 401);

    let verdict = app
        .platform
        .audit()
        .verify(&Actor::operator())
        .await
        .expect("verify");
    assert!(
        verdict.to_string().starts_with("audit chain intact"),
        "{verdict}"
    );
    app.stop().await;
}

msme_testkit::on_each_backend!(stories: readme_walk_through);
