//! `msme outbox list` shows what the library put in the outbox.

use crate::common::BIN;
use msme_backends::{Overrides, Settings};
use msme_core::types::Mobile;
use msme_core::RequestMeta;
use msme_testkit::Msme;

#[tokio::test]
async fn an_otp_sent_through_the_library_shows_in_the_outbox() {
    let m = Msme::initialised(BIN);
    assert!(m.ok(&["outbox", "list"]).contains("the outbox is empty"));
    m.create_user("Asha Rao", "9876543210", "seller");

    let overrides = Overrides {
        data_dir: Some(m.data_dir.clone()),
        database_url: None,
    };
    // No environment: the settings come from the data directory alone.
    let settings = Settings::load_with(&overrides, &|_| None).unwrap();
    let platform = msme_backends::open_platform(&settings).await.unwrap();
    let mobile = Mobile::parse("9876543210").unwrap();
    platform
        .auth()
        .send_otp(&RequestMeta::default(), &mobile)
        .await
        .unwrap();
    drop(platform);

    let list = m.json(&["outbox", "list"]);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let sms = &items[0];
    assert_eq!(sms["recipient"], "+919876543210");
    assert_eq!(sms["status"], "queued");
    let body = sms["body"].as_str().unwrap();
    let code: String = body.chars().take_while(char::is_ascii_digit).collect();
    assert_eq!(code.len(), 6, "{body}");

    let text = m.ok(&["outbox", "list"]);
    assert!(
        text.contains(&code) && text.contains("+919876543210"),
        "{text}"
    );
    let after = m.json(&["outbox", "list", "--after", &sms["id"].to_string()]);
    assert!(after["items"].as_array().unwrap().is_empty());
}
