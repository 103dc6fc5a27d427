//! Authenticator enrolment over HTTP, and logins that then need a code.

use msme_testkit::{assert_error, error_code, totp, TestApp, PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn enrol_confirm_then_login_needs_a_totp(app: TestApp) {
    app.register("9700000001", "seller").await;
    let tokens = app.login("9700000001").await;
    let access = tokens["access_token"].as_str().unwrap();

    let res = app
        .post_auth("/v1/auth/mfa/enroll", access, json!({}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let enrolment: Value = res.json().await.unwrap();
    let secret = enrolment["secret"].as_str().unwrap().to_string();
    assert!(enrolment["otpauth_uri"]
        .as_str()
        .unwrap()
        .starts_with("otpauth://totp/"));

    let res = app
        .post_auth("/v1/auth/mfa/verify", access, json!({"code": "000000x"}))
        .await;
    assert_error(res, StatusCode::UNAUTHORIZED, "invalid_totp").await;
    let res = app
        .post_auth(
            "/v1/auth/mfa/verify",
            access,
            json!({"code": totp(&secret, 0)}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let me: Value = app.get_auth("/v1/me", access).await.json().await.unwrap();
    assert_eq!(me["mfa_enabled"], true);
    let res = app
        .post_auth("/v1/auth/mfa/enroll", access, json!({}))
        .await;
    assert_error(res, StatusCode::CONFLICT, "mfa_already_enabled").await;

    let login = |totp: Option<String>| {
        let body = json!({"mobile": "9700000001", "password": PASSWORD, "totp": totp});
        app.post("/v1/auth/login", body)
    };
    assert_eq!(
        error_code(login(None).await, StatusCode::UNAUTHORIZED).await,
        "mfa_required"
    );
    // The step used to confirm is burnt; the next step's code (within the drift window) works.
    let res = login(Some(totp(&secret, 30))).await;
    assert_eq!(res.status(), StatusCode::OK);
    let pair: Value = res.json().await.unwrap();
    assert_eq!(pair["token_type"], "Bearer");

    let res = app
        .post_auth("/v1/auth/mfa/disable", access, json!({"code": "123"}))
        .await;
    assert_error(res, StatusCode::UNAUTHORIZED, "invalid_totp").await;
    app.stop().await;
}

msme_testkit::on_each_backend!(enrol_confirm_then_login_needs_a_totp,);
