//! The RazorpayX gateway against a local stand-in for Razorpay's API that checks the documented
//! request shapes and answers as Razorpay does, errors and a timeout included.

mod fake;
mod platform;

use std::time::Duration;

use hmac_sig::sign;
use msme_core::ledger::{IdempotencyKey, LedgerAccount, PayoutId};
use msme_core::money::Paise;
use msme_core::ports::{
    GatewayError, GatewayPaymentStatus, GatewayPayoutStatus, OrderRequest, PaymentGateway,
    PayoutRequest, WebhookEvent,
};
use msme_core::types::{Secret, UserId};
use msme_razorpay::{RazorpayConfig, RazorpayGateway};

use fake::{FakeRazorpay, KEY_ID, KEY_SECRET};

pub(crate) const WEBHOOK_SECRET: &str = "whsec-test-only";

pub(crate) mod hmac_sig {
    /// Hex HMAC-SHA256, as Razorpay signs webhooks.
    pub fn sign(secret: &str, body: &[u8]) -> String {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(body);
        hex::encode(mac.finalize().into_bytes())
    }
}

pub(crate) fn config(base_url: &str) -> RazorpayConfig {
    let mut c = RazorpayConfig::new(
        KEY_ID,
        Secret::new(KEY_SECRET),
        Some(Secret::new(WEBHOOK_SECRET)),
        "7878780080316316",
    );
    c.base_url = base_url.to_string();
    c
}

fn gateway(fake: &FakeRazorpay) -> RazorpayGateway {
    RazorpayGateway::try_new(config(&fake.base_url)).unwrap()
}

fn key(s: &str) -> IdempotencyKey {
    IdempotencyKey::parse(s).unwrap()
}

fn order(receipt: &str, amount: i64) -> OrderRequest {
    OrderRequest {
        amount: Paise::new(amount),
        receipt: receipt.to_string(),
        idempotency_key: key("fund-1"),
    }
}

#[tokio::test]
async fn one_order_per_receipt_and_its_paid_payment_is_captured_once() {
    let fake = FakeRazorpay::start().await;
    let g = gateway(&fake);
    let receipt = "01a23af4-d5d9-73d8-8e93-f481da5ead30";
    let first = g.create_order(&order(receipt, 10_00_000)).await.unwrap();
    assert_eq!(
        (first.amount, first.authorized_payment.as_deref()),
        (Paise::new(10_00_000), None)
    );
    let sent = fake.seen("POST", "/v1/orders");
    assert_eq!(sent.len(), 1);
    let body = &sent[0].body;
    assert_eq!(
        (
            body["amount"].as_i64(),
            body["currency"].as_str(),
            body["receipt"].as_str()
        ),
        (Some(10_00_000), Some("INR"), Some(receipt))
    );
    assert_eq!(body["notes"]["idempotency_key"], "fund-1");
    let again = g.create_order(&order(receipt, 10_00_000)).await.unwrap();
    assert_eq!(again.id, first.id, "a retry finds the order by its receipt");
    assert_eq!(fake.seen("POST", "/v1/orders").len(), 1);

    let paid = fake.pay(&first.id);
    let found = g.create_order(&order(receipt, 10_00_000)).await.unwrap();
    assert_eq!(found.authorized_payment.as_deref(), Some(paid.as_str()));
    let captured = g
        .capture_payment(&paid, Paise::new(10_00_000))
        .await
        .unwrap();
    assert_eq!(
        (captured.id.as_str(), captured.order_id.as_str()),
        (paid.as_str(), first.id.as_str())
    );
    let capture_path = format!("/v1/payments/{paid}/capture");
    assert_eq!(
        fake.seen("POST", &capture_path)[0].body,
        serde_json::json!({"amount": 10_00_000, "currency": "INR"})
    );
    let twice = g
        .capture_payment(&paid, Paise::new(10_00_000))
        .await
        .unwrap();
    assert_eq!(twice, captured);
    assert_eq!(
        fake.seen("POST", &capture_path).len(),
        1,
        "a captured payment is not captured again"
    );
    let fetched = g.fetch_payment(&paid).await.unwrap();
    assert_eq!(
        (fetched.status, fetched.amount),
        (GatewayPaymentStatus::Captured, Paise::new(10_00_000))
    );
    let missing = g.fetch_payment("pay_00000000000099").await;
    assert!(
        matches!(missing, Err(GatewayError::NotFound(_))),
        "{missing:?}"
    );
}

#[tokio::test]
async fn razorpay_errors_come_back_with_their_description() {
    let fake = FakeRazorpay::start().await;
    let g = gateway(&fake);
    let small = g.create_order(&order("r-small", 50)).await;
    match small {
        Err(GatewayError::Rejected(why)) => assert!(why.contains("atleast INR 1.00"), "{why}"),
        other => panic!("{other:?}"),
    }
    let o = g.create_order(&order("r-1", 5_00_000)).await.unwrap();
    let paid = fake.pay(&o.id);
    let wrong = g.capture_payment(&paid, Paise::new(4_00_000)).await;
    match wrong {
        Err(GatewayError::Rejected(why)) => assert!(why.contains("Capture amount"), "{why}"),
        other => panic!("{other:?}"),
    }
    let unknown = g.payout_status("pout_00000000000042").await;
    assert!(
        matches!(unknown, Err(GatewayError::NotFound(_))),
        "{unknown:?}"
    );

    let mut bad = config(&fake.base_url);
    bad.key_secret = Secret::new("a-wrong-secret-value");
    let refused = RazorpayGateway::try_new(bad)
        .unwrap()
        .create_order(&order("r-2", 5_00_000))
        .await;
    let message = refused.unwrap_err().to_string();
    assert!(
        message.contains("RAZORPAY_KEY_SECRET") && !message.contains("a-wrong-secret-value"),
        "{message}"
    );
}

#[tokio::test]
async fn a_slow_razorpay_is_a_timeout_to_retry_with_the_same_key() {
    let fake = FakeRazorpay::start().await;
    fake.books.lock().unwrap().delay = Duration::from_millis(1500);
    let mut c = config(&fake.base_url);
    c.timeout = Duration::from_millis(200);
    let g = RazorpayGateway::try_new(c).unwrap();
    let slow = g.create_order(&order("r-slow", 5_00_000)).await;
    match slow {
        Err(e @ GatewayError::Timeout) => assert!(e.is_transient()),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn payouts_go_to_the_payees_fund_account_once_per_key() {
    let fake = FakeRazorpay::start().await;
    let g = gateway(&fake);
    let seller = UserId::generate();
    fake.add_payee(seller.as_str());
    let reference = PayoutId::generate();
    let request = PayoutRequest {
        reference: reference.clone(),
        payee: LedgerAccount::SellerPayable(seller.clone()),
        amount: Paise::new(9_65_000),
        idempotency_key: key(&format!("payout.{reference}")),
    };
    let made = g.create_payout(&request).await.unwrap();
    assert_eq!(
        (made.reference.clone(), made.amount, made.status.clone()),
        (
            reference.clone(),
            Paise::new(9_65_000),
            GatewayPayoutStatus::Processing
        )
    );
    let sent = &fake.seen("POST", "/v1/payouts")[0];
    let header = sent.headers["x-payout-idempotency"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        (4..=36).contains(&header.len()) && header.bytes().all(|b| b.is_ascii_alphanumeric()),
        "{header}"
    );
    let b = &sent.body;
    assert_eq!(b["account_number"], "7878780080316316");
    assert_eq!(b["fund_account_id"], "fa_00000000000001");
    assert_eq!(
        (
            b["amount"].as_i64(),
            b["currency"].as_str(),
            b["mode"].as_str()
        ),
        (Some(9_65_000), Some("INR"), Some("IMPS"))
    );
    assert_eq!(
        (b["purpose"].as_str(), b["queue_if_low_balance"].as_bool()),
        (Some("payout"), Some(true))
    );
    assert_eq!(b["reference_id"], reference.as_str());
    let seen_contacts = fake.seen("GET", "/v1/contacts");
    assert_eq!(seen_contacts[0].body["reference_id"], seller.as_str());

    let again = g.create_payout(&request).await.unwrap();
    assert_eq!(again.id, made.id, "the same key finds the same payout");
    assert_eq!(fake.books.lock().unwrap().payouts.len(), 1);
    let second = fake.seen("POST", "/v1/payouts");
    assert_eq!(second[1].headers["x-payout-idempotency"], header.as_str());

    fake.set_payout_status(&made.id, "processed");
    assert_eq!(
        g.payout_status(&made.id).await.unwrap().status,
        GatewayPayoutStatus::Processed
    );
    fake.set_payout_status(&made.id, "reversed");
    assert!(matches!(
        g.payout_status(&made.id).await.unwrap().status,
        GatewayPayoutStatus::Failed(_)
    ));

    let stranger = PayoutRequest {
        payee: LedgerAccount::AgentPayable(UserId::generate()),
        ..request
    };
    let refused = g.create_payout(&stranger).await;
    assert!(
        matches!(refused, Err(GatewayError::Rejected(ref why)) if why.contains("no RazorpayX contact")),
        "{refused:?}"
    );
}

#[tokio::test]
async fn webhooks_are_verified_over_the_raw_body() {
    let fake = FakeRazorpay::start().await;
    let g = gateway(&fake);
    let body = br#"{"entity":"event","account_id":"acc_BFQ7uQEaa7j2z7","event":"payout.processed","contains":["payout"],"payload":{"payout":{"entity":{"id":"pout_00000000000001","entity":"payout","fund_account_id":"fa_00000000000001","amount":965000,"currency":"INR","status":"processed","reference_id":"0190d6c4-0000-7000-8000-000000000000","failure_reason":null}}},"created_at":1700000000}"#;
    let event = g.verify_webhook(body, &sign(WEBHOOK_SECRET, body)).unwrap();
    match event {
        WebhookEvent::PayoutUpdated(p) => {
            assert_eq!(
                (p.id.as_str(), p.amount, p.status),
                (
                    "pout_00000000000001",
                    Paise::new(9_65_000),
                    GatewayPayoutStatus::Processed
                )
            );
        }
        other => panic!("{other:?}"),
    }
    let reformatted = String::from_utf8_lossy(body).replace(",\"", ", \"");
    let changed = g.verify_webhook(reformatted.as_bytes(), &sign(WEBHOOK_SECRET, body));
    assert!(
        matches!(changed, Err(GatewayError::BadSignature)),
        "the signature is over the exact bytes"
    );
    assert!(matches!(
        g.verify_webhook(body, "not-hex"),
        Err(GatewayError::BadSignature)
    ));
    let with_other = sign("someone-else", body);
    assert!(matches!(
        g.verify_webhook(body, &with_other),
        Err(GatewayError::BadSignature)
    ));

    let captured = br#"{"entity":"event","event":"payment.captured","payload":{"payment":{"entity":{"id":"pay_00000000000001","entity":"payment","amount":1000000,"currency":"INR","status":"captured","order_id":"order_00000000000001"}}}}"#;
    let event = g
        .verify_webhook(captured, &sign(WEBHOOK_SECRET, captured))
        .unwrap();
    assert!(
        matches!(event, WebhookEvent::PaymentCaptured(ref p) if p.order_id == "order_00000000000001")
    );

    let mut unset = config(&fake.base_url);
    unset.webhook_secret = None;
    let blind = RazorpayGateway::try_new(unset).unwrap();
    assert!(matches!(
        blind.verify_webhook(body, &sign(WEBHOOK_SECRET, body)),
        Err(GatewayError::BadSignature)
    ));
    let shown = format!("{g:?}");
    assert!(
        !shown.contains(KEY_SECRET) && !shown.contains(WEBHOOK_SECRET),
        "{shown}"
    );
}

#[test]
fn settings_are_checked_without_echoing_secrets() {
    let mut c = config("ftp://example.com");
    assert!(RazorpayGateway::try_new(c.clone())
        .unwrap_err()
        .to_string()
        .contains("RAZORPAY_BASE_URL"));
    c.base_url = "https://api.razorpay.com".into();
    c.account_number = "  ".into();
    assert!(RazorpayGateway::try_new(c.clone())
        .unwrap_err()
        .to_string()
        .contains("RAZORPAY_ACCOUNT_NUMBER"));
    c.account_number = "7878780080316316".into();
    c.key_secret = Secret::new("");
    let e = RazorpayGateway::try_new(c).unwrap_err().to_string();
    assert!(e.contains("RAZORPAY_KEY_SECRET"), "{e}");
}
