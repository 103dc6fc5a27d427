//! MSG91: the request matches the documented Flow API, and its answers become receipts or errors.

use crate::common::{
    assert_debug_hides, delivered, failed_send, refusal_message, unreachable_send,
};
use msme_core::types::{Mobile, Secret};
use msme_sms::{Msg91Channel, Msg91Config};
use serde_json::json;

const KEY: &str = "401234AbCdEfGh5678";

fn config(template_id: &str, base_url: &str) -> Msg91Config {
    Msg91Config {
        api_key: Secret::new(KEY),
        sender_id: "MSMEEX".into(),
        template_id: template_id.into(),
        base_url: base_url.into(),
    }
}

fn channel(base_url: &str) -> Msg91Channel {
    Msg91Channel::try_new(config("64f0c0ffee0123456789abcd", base_url)).unwrap()
}

fn mobile() -> Mobile {
    Mobile::parse("+91 91234 56789").unwrap()
}

#[tokio::test]
async fn posts_the_documented_flow_request_and_returns_the_request_id() {
    let answer = json!({"type": "success", "message": "3763646c3058373530393832"});
    let (receipt, req) = delivered(channel, &mobile(), "123456 is your code", 200, answer).await;
    assert_eq!(receipt.provider, "msg91");
    assert_eq!(receipt.provider_ref, "3763646c3058373530393832");

    assert_eq!(req.method, "POST");
    assert_eq!(req.path, "/api/v5/flow");
    assert_eq!(req.header("authkey"), KEY);
    assert_eq!(req.header("content-type"), "application/json");
    assert!(req.headers.get("authorization").is_none());
    assert_eq!(
        req.json(),
        json!({
            "template_id": "64f0c0ffee0123456789abcd",
            "sender": "MSMEEX",
            "short_url": "0",
            "recipients": [{"mobiles": "919123456789", "body": "123456 is your code"}]
        })
    );
}

#[tokio::test]
async fn an_error_answer_is_refused_with_msg91s_message() {
    let answer = json!({"type": "error", "message": "Authentication failure", "code": "418"});
    let err = failed_send(channel, &mobile(), 401, answer).await;
    let message = refusal_message(&err, "msg91", 401);
    assert!(message.contains("Authentication failure"), "{message}");
    assert!(!format!("{err} {err:?}").contains(KEY));
}

#[tokio::test]
async fn an_error_inside_a_200_is_still_a_refusal() {
    let answer = json!({"type": "error", "message": "Invalid template id"});
    let err = failed_send(channel, &mobile(), 200, answer).await;
    assert_eq!(refusal_message(&err, "msg91", 200), "Invalid template id");
}

#[tokio::test]
async fn a_closed_port_is_unreachable() {
    unreachable_send(channel, &mobile(), "msg91").await;
}

#[test]
fn debug_output_never_shows_the_api_key() {
    let config = config("t1", Msg91Config::DEFAULT_BASE_URL);
    let channel = Msg91Channel::try_new(config.clone()).unwrap();
    assert_debug_hides(KEY, &config, &channel);
}

#[test]
fn a_missing_template_is_named() {
    let err = Msg91Channel::try_new(config("", Msg91Config::DEFAULT_BASE_URL)).unwrap_err();
    assert!(err.to_string().contains("template_id"), "{err}");
}
