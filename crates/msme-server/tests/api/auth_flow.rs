//! The sign-in story over HTTP: register, OTP, login, refresh, reuse detection, sessions.

use msme_testkit::{assert_error, TestApp, PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// send-otp, the code from the outbox, verify-otp: the tokens.
async fn sign_in_with_otp(app: &TestApp, typed: &str, e164: &str) -> Value {
    let res = app
        .post("/v1/auth/send-otp", json!({"mobile": typed}))
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let sent: Value = res.json().await.unwrap();
    assert_eq!(
        (sent["expires_in"].as_i64(), sent["resend_after"].as_i64()),
        (Some(300), Some(60))
    );
    let otp = app.latest_otp(e164).await;
    let body = json!({"mobile": e164, "otp": otp});
    let res = app.post("/v1/auth/verify-otp", body).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

async fn register_otp_login_refresh_and_reuse_revokes_the_session(app: TestApp) {
    let account = app.register("98765 43210", "seller").await;
    assert_eq!(account["mobile"], "+919876543210");
    assert_eq!(account["role"], "seller");
    assert_eq!(account["status"], "active");
    assert_eq!(account["mobile_verified"], false);
    assert!(account["id"].as_str().unwrap().len() == 36);
    assert!(account["created_at"].as_str().unwrap().ends_with('Z'));
    assert!(account.get("password_hash").is_none());

    let otp_tokens = sign_in_with_otp(&app, "9876543210", "+919876543210").await;
    let me: Value = app
        .get_auth("/v1/me", otp_tokens["access_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["id"], account["id"]);

    let first = app.login("9876543210").await;
    assert_eq!(first["token_type"], "Bearer");
    assert_eq!(first["expires_in"], 900);
    let refresh = |token: &Value| {
        let body = json!({"refresh_token": token["refresh_token"]});
        app.post("/v1/auth/refresh-token", body)
    };
    let res = refresh(&first).await;
    assert_eq!(res.status(), StatusCode::OK);
    let second: Value = res.json().await.unwrap();
    assert_ne!(second["refresh_token"], first["refresh_token"]);

    // The rotated token again: reuse, and the whole session ends.
    assert_error(
        refresh(&first).await,
        StatusCode::UNAUTHORIZED,
        "refresh_token_reused",
    )
    .await;
    assert_error(
        refresh(&second).await,
        StatusCode::UNAUTHORIZED,
        "session_revoked",
    )
    .await;
    let access = second["access_token"].as_str().unwrap();
    assert_error(
        app.get_auth("/v1/me", access).await,
        StatusCode::UNAUTHORIZED,
        "session_revoked",
    )
    .await;
    // Other sessions (the OTP one) live on.
    let otp_access = otp_tokens["access_token"].as_str().unwrap();
    assert_eq!(
        app.get_auth("/v1/me", otp_access).await.status(),
        StatusCode::OK
    );
    app.stop().await;
}

async fn sessions_are_listed_revoked_and_ended_by_logout(app: TestApp) {
    app.register("9123456789", "buyer").await;
    let a = app.login("9123456789").await;
    let b = app.login("9123456789").await;
    let (a_access, b_access) = (
        a["access_token"].as_str().unwrap(),
        b["access_token"].as_str().unwrap(),
    );

    let page: Value = app
        .get_auth("/v1/auth/sessions", a_access)
        .await
        .json()
        .await
        .unwrap();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(page["next_cursor"].is_null());
    let current: Vec<_> = items.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["method"], "password");
    let other = items.iter().find(|s| s["current"] == false).unwrap();

    let url = app.url(&format!(
        "/v1/auth/sessions/{}",
        other["id"].as_str().unwrap()
    ));
    let res = app
        .http
        .delete(&url)
        .bearer_auth(a_access)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_error(
        app.get_auth("/v1/me", b_access).await,
        StatusCode::UNAUTHORIZED,
        "session_revoked",
    )
    .await;

    let res = app.post_auth("/v1/auth/logout", a_access, json!({})).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_error(
        app.get_auth("/v1/me", a_access).await,
        StatusCode::UNAUTHORIZED,
        "session_revoked",
    )
    .await;
    app.stop().await;
}

async fn six_wrong_otps_lock_the_code_even_against_the_right_one(app: TestApp) {
    app.register("9000000001", "agent").await;
    let res = app
        .post("/v1/auth/send-otp", json!({"mobile": "9000000001"}))
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let otp = app.latest_otp("+919000000001").await;
    let wrong = if otp == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let res = app
            .post(
                "/v1/auth/verify-otp",
                json!({"mobile": "9000000001", "otp": wrong}),
            )
            .await;
        assert_error(res, StatusCode::UNAUTHORIZED, "otp_invalid").await;
    }
    let res = app
        .post(
            "/v1/auth/verify-otp",
            json!({"mobile": "9000000001", "otp": otp}),
        )
        .await;
    assert_error(res, StatusCode::UNAUTHORIZED, "otp_locked").await;
    app.stop().await;
}

async fn registration_and_login_refuse_bad_input_with_json(app: TestApp) {
    let bad_mobile = json!({"name": "A", "mobile": "12345", "password": PASSWORD, "role": "buyer"});
    let res = app.post("/v1/auth/register", bad_mobile).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "validation_failed");
    assert_eq!(body["error"]["field"], "mobile");

    let admin = json!({"name": "A", "mobile": "9811111111", "password": PASSWORD, "role": "admin"});
    let res = app.post("/v1/auth/register", admin).await;
    assert_error(res, StatusCode::BAD_REQUEST, "admin_self_registration").await;

    app.register("9811111111", "nbfc").await;
    let again = json!({"name": "B", "mobile": "9811111111", "password": PASSWORD, "role": "buyer"});
    let res = app.post("/v1/auth/register", again).await;
    assert_error(res, StatusCode::CONFLICT, "mobile_taken").await;

    let wrong = json!({"mobile": "9811111111", "password": "not the password"});
    let res = app.post("/v1/auth/login", wrong).await;
    assert_error(res, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let nobody = json!({"password": PASSWORD});
    let res = app.post("/v1/auth/login", nobody).await;
    assert_error(res, StatusCode::BAD_REQUEST, "validation_failed").await;
    app.stop().await;
}

async fn otp_verification_marks_the_mobile_verified(app: TestApp) {
    app.register("9812345678", "buyer").await;
    let tokens = sign_in_with_otp(&app, "9812345678", "+919812345678").await;
    let access = tokens["access_token"].as_str().unwrap();
    let me: Value = app.get_auth("/v1/me", access).await.json().await.unwrap();
    assert_eq!(me["mobile_verified"], true);
    app.stop().await;
}

async fn send_otp_answers_alike_for_registered_and_unknown_numbers(app: TestApp) {
    app.register("9822222222", "buyer").await;
    let mut statuses = Vec::new();
    for mobile in ["9822222222", "9833333333"] {
        let first = app
            .post("/v1/auth/send-otp", json!({"mobile": mobile}))
            .await;
        let second = app
            .post("/v1/auth/send-otp", json!({"mobile": mobile}))
            .await;
        statuses.push((first.status(), second.status()));
    }
    assert_eq!(statuses[0], statuses[1], "registered vs unknown number");
    app.stop().await;
}

msme_testkit::on_each_backend!(
    register_otp_login_refresh_and_reuse_revokes_the_session,
    sessions_are_listed_revoked_and_ended_by_logout,
    six_wrong_otps_lock_the_code_even_against_the_right_one,
    registration_and_login_refuse_bad_input_with_json,
    otp_verification_marks_the_mobile_verified,
    send_otp_answers_alike_for_registered_and_unknown_numbers,
);
