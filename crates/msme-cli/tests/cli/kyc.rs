//! `msme kyc list|verify|reject` through the real binary; the KYC is submitted through the
//! library, signed in as its owner.

use msme_core::auth::LoginId;
use msme_core::kyc::KycSubmission;
use msme_core::types::Password;
use msme_core::RequestMeta;
use msme_testkit::{assert_one_error_line, block_on, Msme};

/// Signs in as the account with `mobile` and submits its KYC.
fn submit_kyc(m: &Msme, mobile: &str, pan: &str, gstin: Option<&str>) {
    block_on(async {
        let platform = m.platform().await;
        let meta = RequestMeta::default();
        let id = LoginId::parse(Some(mobile), None).unwrap();
        let password = Password::parse("correct horse battery").unwrap();
        let tokens = platform
            .auth()
            .login(&meta, &id, &password, None)
            .await
            .unwrap();
        let actor = platform
            .auth()
            .authenticate(&tokens.access_token)
            .await
            .unwrap();
        let submission = KycSubmission {
            pan: pan.into(),
            gstin: gstin.map(Into::into),
            ..KycSubmission::default()
        };
        platform
            .kyc()
            .submit(&meta, &actor, submission)
            .await
            .unwrap();
    });
}

/// Two sellers with submitted KYC; returns their account ids.
fn with_submissions(m: Msme) -> (Msme, String, String) {
    let a = m.create_user("Asha Rao", "9876543210", "seller");
    let b = m.create_user("Ravi Kumar", "9123456789", "seller");
    submit_kyc(&m, "9876543210", "AAPFU0939F", Some("27AAPFU0939F1ZV"));
    submit_kyc(&m, "9123456789", "ABCPE1234F", None);
    let id = |v: &serde_json::Value| v["user"]["id"].as_str().unwrap().to_string();
    (m, id(&a), id(&b))
}

fn submitted_kyc_is_listed_for_review(m: Msme) {
    let (m, a, b) = with_submissions(m);
    let list = m.json(&["kyc", "list"]);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|k| k["status"] == "submitted"));
    let users: Vec<&str> = items
        .iter()
        .map(|k| k["user_id"].as_str().unwrap())
        .collect();
    assert!(users.contains(&a.as_str()) && users.contains(&b.as_str()));
    let asha = items.iter().find(|k| k["user_id"] == a.as_str()).unwrap();
    assert_eq!(asha["pan"], "AAPFU0939F");
    assert_eq!(asha["gstin"], "27AAPFU0939F1ZV");

    let page = m.json(&["kyc", "list", "--limit", "1"]);
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = m.json(&["kyc", "list", "--after", cursor]);
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert_ne!(rest["items"][0]["user_id"], page["items"][0]["user_id"]);
    let text = m.ok(&["kyc", "list"]);
    assert!(text.contains("PAN AAPFU0939F"), "{text}");
}

fn verify_and_reject_decide_and_leave_the_queue(m: Msme) {
    let (m, a, b) = with_submissions(m);
    let verified = m.json(&["kyc", "verify", &a]);
    assert_eq!(verified["status"], "verified");
    assert_eq!(verified["decided_by"], "operator");
    let rejected = m.json(&[
        "kyc",
        "reject",
        "+91 91234 56789",
        "--reason",
        "The PAN card scan is unreadable.",
    ]);
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["user_id"], b.as_str());
    assert_eq!(
        rejected["rejection_reason"],
        "The PAN card scan is unreadable."
    );

    assert!(m.json(&["kyc", "list"])["items"]
        .as_array()
        .unwrap()
        .is_empty());
    let done = m.json(&["kyc", "list", "--status", "verified"]);
    assert_eq!(done["items"][0]["user_id"], a.as_str());
    assert_eq!(
        m.json(&["kyc", "list", "--status", "any"])["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // A decided record cannot be decided again: one line, exit 2.
    let (code, stderr) = m.fails(&["kyc", "reject", &a, "--reason", "changed my mind"]);
    assert_eq!(code, 2);
    assert_one_error_line(&stderr);
    assert!(stderr.contains("verified"), "{stderr}");
}

fn an_account_without_kyc_is_an_input_error(m: Msme) {
    m.create_user("Asha Rao", "9876543210", "seller");
    let (code, stderr) = m.fails(&["kyc", "verify", "9876543210"]);
    assert_eq!(code, 2);
    assert_one_error_line(&stderr);
    assert!(stderr.contains("no KYC"), "{stderr}");
    let (code, _) = m.fails(&["kyc", "verify", "9000000000"]);
    assert_eq!(code, 2);
}

msme_testkit::on_each_backend!(cli(crate::common::BIN):
    submitted_kyc_is_listed_for_review,
    verify_and_reject_decide_and_leave_the_queue,
    an_account_without_kyc_is_an_input_error,
);
