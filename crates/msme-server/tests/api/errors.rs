//! Bad input of every kind gets a JSON 4xx, never a 5xx or a plain-text rejection.

use msme_testkit::{assert_error, error_code, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn malformed_json_wrong_type_and_missing_fields_are_json_400s() {
    let app = TestApp::spawn().await;
    let url = app.url("/v1/auth/login");
    let send = |body: &'static str, ct: &'static str| {
        app.http
            .post(&url)
            .header("content-type", ct)
            .body(body)
            .send()
    };
    let res = send("{\"mobile\": ", "application/json").await.unwrap();
    assert_error(res, StatusCode::BAD_REQUEST, "malformed_json").await;

    let res = send("{\"mobile\": \"9876543210\"}", "application/json")
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_body");
    assert_eq!(body["error"]["field"], "password");

    let res = send("{\"mobile\": 5, \"password\": \"x\"}", "application/json")
        .await
        .unwrap();
    assert_error(res, StatusCode::BAD_REQUEST, "invalid_body").await;

    let res = send("mobile=1", "application/x-www-form-urlencoded")
        .await
        .unwrap();
    assert_error(
        res,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;

    let huge = format!(
        "{{\"refresh_token\": \"{}\"}}",
        "x".repeat(msme_server::BODY_LIMIT)
    );
    let res = app
        .http
        .post(app.url("/v1/auth/refresh-token"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_error(res, StatusCode::PAYLOAD_TOO_LARGE, "body_too_large").await;
    app.stop().await;
}

#[tokio::test]
async fn unknown_routes_and_wrong_methods_are_json() {
    let app = TestApp::spawn().await;
    let unknown = [
        ("/v1/nothing-here", StatusCode::NOT_FOUND, "route_not_found"),
        (
            "/v1/auth/login",
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        ("/health/kitchen", StatusCode::NOT_FOUND, "unknown_module"),
    ];
    for (path, status, code) in unknown {
        let res = app.get(path).await;
        assert_eq!(error_code(res, status).await, code, "GET {path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn missing_or_bad_tokens_are_401_with_a_challenge() {
    let app = TestApp::spawn().await;
    let res = app.get("/v1/me").await;
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    assert_error(res, StatusCode::UNAUTHORIZED, "invalid_token").await;
    let res = app.get_auth("/v1/me", "not.a.jwt").await;
    assert_error(res, StatusCode::UNAUTHORIZED, "invalid_token").await;
    let res = app
        .http
        .get(app.url("/v1/me"))
        .header("authorization", "Basic YTpi")
        .send()
        .await
        .unwrap();
    assert_error(res, StatusCode::UNAUTHORIZED, "invalid_token").await;
    app.stop().await;
}

#[tokio::test]
async fn a_buyer_cannot_manage_users() {
    let app = TestApp::spawn().await;
    let buyer = app.register("9876500001", "buyer").await;
    let tokens = app.login("9876500001").await;
    let access = tokens["access_token"].as_str().unwrap();
    let res = app.get_auth("/v1/users", access).await;
    assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let path = format!("/v1/users/{}/role", buyer["id"].as_str().unwrap());
    let res = app.post_auth(&path, access, json!({"role": "admin"})).await;
    assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    // Their own account is theirs to read; a bad id is a 400 naming the field.
    let own = format!("/v1/users/{}", buyer["id"].as_str().unwrap());
    assert_eq!(app.get_auth(&own, access).await.status(), StatusCode::OK);
    let res = app.get_auth("/v1/users/42", access).await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        (
            body["error"]["code"].as_str(),
            body["error"]["field"].as_str()
        ),
        (Some("validation_failed"), Some("id"))
    );
    app.stop().await;
}

#[tokio::test]
async fn request_ids_are_echoed_or_made() {
    let app = TestApp::spawn().await;
    let res = app
        .http
        .get(app.url("/health"))
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "trace-me-42");
    let res = app.get("/nowhere").await;
    let made = res.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(made.len(), 36, "a UUID: {made}");
    app.stop().await;
}

#[tokio::test]
async fn health_reports_the_database_and_modules() {
    let app = TestApp::spawn().await;
    let res = app.get("/health").await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body, json!({"status": "ok", "database": "sqlite"}));
    for module in ["database", "auth", "sms"] {
        let res = app.get(&format!("/health/{module}")).await;
        assert_eq!(res.status(), StatusCode::OK, "{module}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(
            (body["status"].as_str(), body["module"].as_str()),
            (Some("ok"), Some(module))
        );
    }
    app.stop().await;
}
