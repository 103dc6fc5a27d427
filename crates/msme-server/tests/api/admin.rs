//! What an admin may do over HTTP: list, read, re-role and disable accounts.

use msme_testkit::{assert_error, error_code, totp, TestApp, PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn admin_token(app: &TestApp) -> String {
    let secret = app.make_admin("9600000000").await;
    let body = json!({"mobile": "9600000000", "password": PASSWORD, "totp": totp(&secret, 0)});
    let res = app.post("/v1/auth/login", body).await;
    assert_eq!(res.status(), StatusCode::OK);
    let tokens: Value = res.json().await.unwrap();
    tokens["access_token"].as_str().unwrap().to_string()
}

async fn admins_page_through_users_and_manage_them(app: TestApp) {
    let admin = admin_token(&app).await;
    let mut ids = Vec::new();
    for mobile in ["9600000001", "9600000002", "9600000003"] {
        ids.push(
            app.register(mobile, "buyer").await["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let page: Value = app
        .get_auth("/v1/users?limit=2", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let cursor = page["next_cursor"].as_str().unwrap().to_string();
    let rest: Value = app
        .get_auth(&format!("/v1/users?limit=2&cursor={cursor}"), &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["items"].as_array().unwrap().len(), 2);
    assert!(rest["next_cursor"].is_null());
    let res = app.get_auth("/v1/users?limit=lots", &admin).await;
    assert_error(res, StatusCode::BAD_REQUEST, "invalid_query").await;

    let buyer = app.login("9600000001").await;
    let buyer_access = buyer["access_token"].as_str().unwrap();
    let res = app
        .post_auth(
            &format!("/v1/users/{}/role", ids[0]),
            &admin,
            json!({"role": "agent"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let changed: Value = res.json().await.unwrap();
    assert_eq!(changed["account"]["role"], "agent");
    assert!(changed["mfa"].is_null());
    // The role change ended the buyer's sessions, so no token carries the old role.
    assert_error(
        app.get_auth("/v1/me", buyer_access).await,
        StatusCode::UNAUTHORIZED,
        "session_revoked",
    )
    .await;

    let res = app
        .post_auth(&format!("/v1/users/{}/disable", ids[1]), &admin, json!({}))
        .await;
    let disabled: Value = res.json().await.unwrap();
    assert_eq!(disabled["status"], "disabled");
    let res = app
        .post(
            "/v1/auth/login",
            json!({"mobile": "9600000002", "password": PASSWORD}),
        )
        .await;
    assert_error(res, StatusCode::FORBIDDEN, "account_disabled").await;

    // An admin cannot lock themselves out: their own account is refused, and they stay in.
    let me = app.json_ok("/v1/me", &admin).await;
    let own = me["id"].as_str().unwrap().to_string();
    for (path, body) in [
        (format!("/v1/users/{own}/disable"), json!({})),
        (format!("/v1/users/{own}/role"), json!({"role": "buyer"})),
    ] {
        let res = app.post_auth(&path, &admin, body).await;
        assert_error(res, StatusCode::FORBIDDEN, "own_account").await;
    }
    assert_eq!(app.json_ok("/v1/me", &admin).await["role"], "admin");

    let missing = format!("/v1/users/{}", uuid::Uuid::now_v7());
    assert_eq!(
        error_code(app.get_auth(&missing, &admin).await, StatusCode::NOT_FOUND).await,
        "user_not_found"
    );
    app.stop().await;
}

msme_testkit::on_each_backend!(admins_page_through_users_and_manage_them,);
