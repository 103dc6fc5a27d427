//! Sign-in endpoints are limited per client IP; the rest are not.

use msme_server::RateLimit;
use msme_testkit::{assert_error, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn auth_endpoints_answer_429_with_retry_after_past_the_burst() {
    let app = TestApp::spawn_with(RateLimit {
        per_second: 0.1,
        burst: 3,
    })
    .await;
    // Different numbers, so the per-number OTP cooldown is not what answers.
    for i in 0..3 {
        let res = app
            .post(
                "/v1/auth/send-otp",
                json!({"mobile": format!("98765432{i:02}")}),
            )
            .await;
        assert_ne!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    }
    let res = app
        .post(
            "/v1/auth/login",
            json!({"mobile": "9876543210", "password": "whatever1"}),
        )
        .await;
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=10).contains(&retry), "retry after {retry}");
    assert_error(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Health is not an auth endpoint.
    let res = app.get("/health").await;
    assert_eq!(res.status(), StatusCode::OK);
    app.stop().await;
}
