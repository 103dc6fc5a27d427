//! The whole money flow through the library with RazorpayX as the platform's gateway (against
//! the local stand-in) on a real SQLite store: the order waits for the payer, the paid order
//! funds the escrow, the release is paid out to the seller's fund account, and the signed
//! `payout.processed` webhook settles it; reconciliation then finds nothing to report.

use std::sync::Arc;

use msme_core::auth::NewAccount;
use msme_core::escrow_service::{MoneyError, WebhookOutcome};
use msme_core::ledger::{
    EscrowState, EscrowTermsInput, IdempotencyKey, MilestoneInput, PayoutState,
};
use msme_core::listing::ListingAction;
use msme_core::ports::{GatewayPayout, GatewayPayoutStatus};
use msme_core::rbac::Actor;
use msme_core::types::{Secret, UserId};
use msme_core::{Platform, RequestMeta};
use msme_razorpay::webhook;
use msme_razorpay::RazorpayGateway;

use crate::fake::FakeRazorpay;
use crate::hmac_sig::sign;
use crate::{config, WEBHOOK_SECRET};

fn key(s: &str) -> IdempotencyKey {
    IdempotencyKey::parse(s).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_escrow_is_funded_and_paid_out_through_razorpayx() {
    let fake = FakeRazorpay::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (p, e) = opened_escrow(&fake, dir.path()).await;
    funded_and_paid_out(&fake, &p, &e).await;
}

/// Creates the account as the operator; its id.
async fn user(p: &Platform, name: &str, mobile: &str, role: &str) -> UserId {
    let account = NewAccount::parse(name, mobile, None, "chai-and-ledgers", role).unwrap();
    let (m, op) = (RequestMeta::default(), Actor::operator());
    let created = p.users().create(&m, &op, account).await.unwrap();
    created.user.id
}

/// A platform with RazorpayX as its gateway, and an escrow opened on a published listing.
async fn opened_escrow(
    fake: &FakeRazorpay,
    dir: &std::path::Path,
) -> (Platform, msme_core::ledger::Escrow) {
    let store = msme_sqlite::SqliteStore::open(&dir.join("msme.db"))
        .await
        .unwrap();
    let gateway = RazorpayGateway::try_new(config(&fake.base_url)).unwrap();
    let p = Platform::builder(
        Arc::new(store),
        Secret::new("a secret of at least thirty-two bytes!"),
    )
    .gateway(Arc::new(gateway))
    .hash_concurrency(2)
    .build()
    .unwrap();
    let (m, op) = (RequestMeta::default(), Actor::operator());
    let seller = user(&p, "Asha Rao", "9000000301", "seller").await;
    let buyer = user(&p, "Ravi Nair", "9000000302", "buyer").await;
    fake.add_payee(seller.as_str());
    let input = msme_demo::generate(5, 1).listings.remove(0).input;
    let listing = p
        .listings()
        .import(&m, &op, &seller, &[(1, input)], false)
        .await
        .unwrap()
        .listings[0]
        .1
        .clone();
    for action in ListingAction::TO_PUBLISHED {
        p.listings()
            .transition(&m, &op, &listing, action, None)
            .await
            .unwrap();
    }
    let terms = EscrowTermsInput {
        listing_id: listing,
        buyer_id: buyer,
        seller_id: seller.clone(),
        amount_paise: 5_00_000,
        platform_fee_bps: 200,
        agent_id: None,
        agent_commission_bps: 0,
        milestones: vec![MilestoneInput {
            name: "all".into(),
            amount_paise: 5_00_000,
        }],
    };
    let e = p
        .escrows()
        .create(&m, &op, &key("open"), terms)
        .await
        .unwrap()
        .value;
    (p, e)
}

async fn funded_and_paid_out(fake: &FakeRazorpay, p: &Platform, e: &msme_core::ledger::Escrow) {
    let (m, op) = (RequestMeta::default(), Actor::operator());
    let waiting = p.escrows().fund(&m, &op, &key("fund"), &e.id).await;
    let order = match waiting {
        Err(MoneyError::AwaitingPayment { order_id }) => order_id,
        other => panic!("the payer has not paid yet: {other:?}"),
    };
    fake.pay(&order); // the buyer pays in Razorpay Checkout
    let funded = p
        .escrows()
        .fund(&m, &op, &key("fund"), &e.id)
        .await
        .unwrap()
        .value;
    assert_eq!(funded.state, EscrowState::Funded);
    assert_eq!(
        fake.books.lock().unwrap().orders.len(),
        1,
        "the retry found the order by its receipt"
    );
    let paid = p.payments().of_escrow(&op, &e.id).await.unwrap();
    assert_eq!(
        (paid[0].source.as_str(), paid[0].order_id.as_deref()),
        ("razorpayx", Some(order.as_str()))
    );

    p.escrows()
        .release(&m, &op, &key("release"), &e.id, "all")
        .await
        .unwrap();
    let run = p.payouts().run(&m, &op).await.unwrap();
    assert_eq!(
        (run.started, run.deferred),
        (1, 1),
        "queued at RazorpayX: {run:?}"
    );
    let payout = p.payouts().list(&op, None, 10).await.unwrap().remove(0);
    let gateway_ref = payout.gateway_ref.clone().expect("sent");
    fake.set_payout_status(&gateway_ref, "processed");
    let body = webhook::payout_body(&GatewayPayout {
        id: gateway_ref,
        reference: payout.id.clone(),
        amount: payout.amount,
        status: GatewayPayoutStatus::Processed,
    });
    let outcome = p
        .payments()
        .webhook(
            &m,
            "razorpayx",
            body.as_bytes(),
            &sign(WEBHOOK_SECRET, body.as_bytes()),
        )
        .await
        .unwrap();
    assert_eq!(
        outcome,
        WebhookOutcome::PayoutUpdated {
            payout: payout.id,
            state: PayoutState::Settled
        }
    );
    let reconciled = p.ledger().reconcile(&op).await.unwrap();
    assert_eq!(
        (reconciled.payments_checked, reconciled.payouts_checked),
        (1, 1)
    );
    assert!(
        reconciled.differences.is_empty(),
        "{:?}",
        reconciled.differences
    );
    assert!(p.ledger().verify(&op).await.unwrap().is_clean());
}
