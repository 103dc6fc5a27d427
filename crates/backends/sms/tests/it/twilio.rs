//! Twilio: the request matches what Twilio documents, and its answers become receipts or errors.

use crate::common::{
    assert_debug_hides, delivered, failed_send, refusal_message, unreachable_send,
};
use base64::Engine;
use msme_core::types::{Mobile, Secret};
use msme_sms::{TwilioChannel, TwilioConfig};
use serde_json::json;

const SID: &str = "AC0123456789abcdef0123456789abcdef";
const TOKEN: &str = "tok-9f8e7d6c5b4a";

fn config(sid: &str, from: &str, base_url: &str) -> TwilioConfig {
    TwilioConfig {
        account_sid: sid.into(),
        auth_token: Secret::new(TOKEN),
        from: from.into(),
        base_url: base_url.into(),
    }
}

fn channel(base_url: &str) -> TwilioChannel {
    TwilioChannel::try_new(config(SID, "+15005550006", base_url)).unwrap()
}

fn mobile() -> Mobile {
    Mobile::parse("98765 43210").unwrap()
}

#[tokio::test]
async fn posts_the_documented_form_and_returns_the_message_sid() {
    let answer = json!({"sid": "SM1234567890abcdef1234567890abcdef", "status": "queued"});
    let body = "123456 is your code & costs ₹0 + nothing = 100%";
    let (receipt, req) = delivered(channel, &mobile(), body, 201, answer).await;
    assert_eq!(receipt.provider, "twilio");
    assert_eq!(receipt.provider_ref, "SM1234567890abcdef1234567890abcdef");

    assert_eq!(req.method, "POST");
    assert_eq!(
        req.path,
        format!("/2010-04-01/Accounts/{SID}/Messages.json")
    );
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{SID}:{TOKEN}"));
    assert_eq!(req.header("authorization"), format!("Basic {basic}"));
    assert_eq!(
        req.header("content-type"),
        "application/x-www-form-urlencoded"
    );
    let mut form = req.form();
    form.sort();
    assert_eq!(
        form,
        vec![
            ("Body".to_string(), body.to_string()),
            ("From".to_string(), "+15005550006".to_string()),
            ("To".to_string(), "+919876543210".to_string()),
        ]
    );
}

#[tokio::test]
async fn an_invalid_number_is_refused_with_twilios_message() {
    let answer = json!({
        "code": 21211,
        "message": "The 'To' number +919876543210 is not a valid phone number.",
        "more_info": "https://www.twilio.com/docs/errors/21211",
        "status": 400
    });
    let err = failed_send(channel, &mobile(), 400, answer).await;
    let message = refusal_message(&err, "twilio", 400);
    assert!(message.contains("is not a valid phone number"), "{message}");
    assert!(message.contains("21211"), "{message}");
    assert!(!format!("{err} {err:?}").contains(TOKEN));
}

#[tokio::test]
async fn a_success_without_a_sid_is_not_taken_for_delivery() {
    let err = failed_send(channel, &mobile(), 201, json!({"status": "queued"})).await;
    refusal_message(&err, "twilio", 201);
}

#[tokio::test]
async fn a_closed_port_is_unreachable() {
    let err = unreachable_send(channel, &mobile(), "twilio").await;
    assert!(!format!("{err} {err:?}").contains(TOKEN));
}

#[test]
fn debug_output_never_shows_the_auth_token() {
    let config = config(SID, "+15005550006", TwilioConfig::DEFAULT_BASE_URL);
    let channel = TwilioChannel::try_new(config.clone()).unwrap();
    assert_debug_hides(TOKEN, &config, &channel);
}

#[test]
fn bad_settings_are_named() {
    let err = TwilioChannel::try_new(config("", "+1500", "https://x")).unwrap_err();
    assert!(err.to_string().contains("account_sid"), "{err}");
    let err = TwilioChannel::try_new(config("AC../../x", "+1500", "https://x")).unwrap_err();
    assert!(err.to_string().contains("account_sid"), "{err}");
    let err = TwilioChannel::try_new(config(SID, " ", "https://x")).unwrap_err();
    assert!(err.to_string().contains("from"), "{err}");
    let err = TwilioChannel::try_new(config(SID, "+1500", "ftp://x")).unwrap_err();
    assert!(err.to_string().contains("base_url"), "{err}");
}

#[test]
#[should_panic(expected = "invalid Twilio settings: twilio setting `account_sid` is empty")]
fn new_panics_naming_the_bad_setting() {
    TwilioChannel::new(config("", "+15005550006", TwilioConfig::DEFAULT_BASE_URL));
}
