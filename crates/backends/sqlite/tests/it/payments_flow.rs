//! Money in and its records through the library on a real SQLite store: payments recorded with
//! each funding, bank transfers confirmed by an admin, signed webhooks settling a late payout,
//! and reconciliation finding what the gateway's books disagree on.

use std::sync::Arc;

use msme_core::error::DomainError;
use msme_core::escrow_service::{Difference, WebhookOutcome};
use msme_core::ledger::{BankReference, EscrowState, LedgerAccount, PayoutState};
use msme_core::money::Paise;
use msme_core::ports::{GatewayPayout, GatewayPayoutStatus};
use msme_core::rbac::Actor;
use msme_core::RequestMeta;
use msme_razorpay::webhook;
use msme_sandbox::{SandboxGateway, LATE_BY};

use crate::escrow_flow::{key, terms, user, world};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fundings_record_their_payment_and_bank_transfers_fund_once() {
    let w = world().await;
    let m = RequestMeta::default();
    let input = terms(&w, 2_00_000, &[("all", 2_00_000)], false).await;
    let e =
        w.p.escrows()
            .create(&m, &w.buyer, &key("o1"), input)
            .await
            .expect("open")
            .value;
    w.p.escrows()
        .fund(&m, &w.buyer, &key("f1"), &e.id)
        .await
        .expect("fund");
    let paid =
        w.p.payments()
            .of_escrow(&w.seller, &e.id)
            .await
            .expect("seller sees it");
    assert_eq!(paid.len(), 1);
    assert_eq!(
        (paid[0].source.as_str(), paid[0].amount),
        ("sandbox", Paise::new(2_00_000))
    );
    assert!(paid[0].order_id.is_some());
    let one =
        w.p.payments()
            .get(&w.buyer, &paid[0].id)
            .await
            .expect("buyer sees it");
    assert_eq!(one, paid[0]);
    let stranger = w.p.payments().get(&w.agent, &paid[0].id).await;
    assert_eq!(stranger.expect_err("not a party").code(), "not_found");

    bank_transfers(&w).await;
}

/// A second deal paid by bank transfer, confirmed by an admin; its reference funds it once.
async fn bank_transfers(w: &crate::escrow_flow::World) {
    let (m, op) = (RequestMeta::default(), Actor::operator());
    // A second deal paid by bank transfer, confirmed by an admin.
    let listing_terms = terms(w, 3_00_000, &[("all", 3_00_000)], false).await;
    let b =
        w.p.escrows()
            .create(&m, &w.buyer, &key("o2"), listing_terms)
            .await
            .expect("open");
    let b = b.value;
    let utr = BankReference::parse("HDFCR52026010112345").expect("utr");
    let payments = w.p.payments();
    let by_buyer = payments
        .confirm_bank_transfer(&m, &w.buyer, &key("bt0"), &b.id, &utr, b.terms.amount())
        .await;
    assert_eq!(by_buyer.expect_err("admins only").code(), "forbidden");
    let short = payments
        .confirm_bank_transfer(&m, &op, &key("bt1"), &b.id, &utr, Paise::new(1_00_000))
        .await;
    let short = short.expect_err("not the whole amount");
    assert_eq!(
        (short.code(), short.field()),
        ("validation_failed", Some("amount_paise"))
    );
    let confirmed = payments
        .confirm_bank_transfer(&m, &op, &key("bt2"), &b.id, &utr, b.terms.amount())
        .await
        .expect("confirm");
    assert!(!confirmed.replayed);
    assert_eq!(confirmed.value.source.as_str(), "bank_transfer");
    assert_eq!(confirmed.value.gateway_ref, "HDFCR52026010112345");
    let again = payments
        .confirm_bank_transfer(&m, &op, &key("bt2"), &b.id, &utr, b.terms.amount())
        .await
        .expect("replay");
    assert_eq!((again.replayed, &again.value), (true, &confirmed.value));
    let funded = w.p.escrows().get(&w.buyer, &b.id).await.expect("get");
    assert_eq!(funded.state, EscrowState::Funded);
    assert_eq!(
        funded
            .funding_source
            .as_ref()
            .map(|s| s.as_str().to_string()),
        Some("bank_transfer".into())
    );

    // The same bank reference cannot fund a third deal.
    let c_terms = terms(w, 3_00_000, &[("all", 3_00_000)], false).await;
    let c =
        w.p.escrows()
            .create(&m, &w.buyer, &key("o3"), c_terms)
            .await
            .expect("open")
            .value;
    let reused = payments
        .confirm_bank_transfer(&m, &op, &key("bt3"), &c.id, &utr, c.terms.amount())
        .await;
    assert_eq!(
        reused.expect_err("one reference, one escrow").code(),
        "payment_already_recorded"
    );
    assert_eq!(
        w.p.escrows().get(&op, &c.id).await.expect("get").state,
        EscrowState::Created
    );

    assert_eq!(payments.list(&op, None, 10).await.expect("list").len(), 2);
    assert_eq!(
        payments
            .list(&w.buyer, None, 10)
            .await
            .expect_err("admins")
            .code(),
        "forbidden"
    );
    let report = w.p.ledger().reconcile(&op).await.expect("reconcile");
    assert_eq!(
        (report.payments_checked, report.skipped),
        (1, 1),
        "{report:?}"
    );
    assert!(report.differences.is_empty(), "{:?}", report.differences);
    let bank = LedgerAccount::GatewayClearing(funded.funding_source.expect("source"));
    let st = w.p.ledger().statement(&op, &bank).await.expect("statement");
    assert_eq!(st.closing, Paise::new(3_00_000));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_webhook_settles_a_late_payout_once() {
    let w = world().await;
    let (m, op) = (RequestMeta::default(), Actor::operator());
    // ₹5,002.02: paid in by bank transfer, paid out late by the sandbox (amount ends in 202).
    let input = terms(&w, 5_00_202, &[("all", 5_00_202)], false).await;
    let e =
        w.p.escrows()
            .create(&m, &w.buyer, &key("o"), input)
            .await
            .expect("open")
            .value;
    let utr = BankReference::parse("SBIN0000123456").expect("utr");
    w.p.payments()
        .confirm_bank_transfer(&m, &op, &key("bt"), &e.id, &utr, e.terms.amount())
        .await
        .expect("confirm");
    w.p.escrows()
        .release(&m, &w.buyer, &key("r"), &e.id, "all")
        .await
        .expect("release");
    let run = w.p.payouts().run(&m, &op).await.expect("run");
    assert_eq!((run.started, run.deferred), (1, 1), "{run:?}");
    let payee = LedgerAccount::SellerPayable(user(&w.seller));
    let payout =
        w.p.payouts()
            .of(&w.seller, &payee)
            .await
            .expect("list")
            .remove(0);
    assert_eq!(payout.state, PayoutState::InTransit);
    let gateway_ref = payout.gateway_ref.clone().expect("sent");

    w.clock.advance(LATE_BY);
    let sandbox = SandboxGateway::new(Arc::new(w.store.clone()), w.clock.clone());
    let body = webhook::payout_body(&GatewayPayout {
        id: gateway_ref,
        reference: payout.id.clone(),
        amount: payout.amount,
        status: GatewayPayoutStatus::Processed,
    });
    let signature = sandbox.sign(body.as_bytes());
    let payments = w.p.payments();
    let forged = payments
        .webhook(&m, "sandbox", body.as_bytes(), &"0".repeat(64))
        .await;
    assert_eq!(
        forged.expect_err("bad signature").code(),
        "bad_webhook_signature"
    );
    let elsewhere = payments
        .webhook(&m, "razorpayx", body.as_bytes(), &signature)
        .await;
    assert_eq!(elsewhere.expect_err("not our gateway").code(), "not_found");
    let done = payments
        .webhook(&m, "sandbox", body.as_bytes(), &signature)
        .await
        .expect("hook");
    let settled = WebhookOutcome::PayoutUpdated {
        payout: payout.id.clone(),
        state: PayoutState::Settled,
    };
    assert_eq!(done, settled);
    let twice = payments
        .webhook(&m, "sandbox", body.as_bytes(), &signature)
        .await
        .expect("hook");
    assert_eq!(
        twice,
        WebhookOutcome::AlreadyRecorded,
        "gateways send webhooks more than once"
    );
    let st =
        w.p.ledger()
            .statement(&w.seller, &payee)
            .await
            .expect("statement");
    assert_eq!(st.closing, Paise::ZERO);
    let report = w.p.ledger().verify(&op).await.expect("verify");
    assert!(
        report.is_clean(),
        "{:?} {:?}",
        report.violations,
        report.gateway_differences
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconciliation_lists_what_the_gateways_books_disagree_on() {
    let w = world().await;
    let (m, op) = (RequestMeta::default(), Actor::operator());
    let input = terms(&w, 4_00_000, &[("all", 4_00_000)], false).await;
    let e =
        w.p.escrows()
            .create(&m, &w.buyer, &key("o"), input)
            .await
            .expect("open")
            .value;
    w.p.escrows()
        .fund(&m, &w.buyer, &key("f"), &e.id)
        .await
        .expect("fund");
    w.p.escrows()
        .release(&m, &w.buyer, &key("r"), &e.id, "all")
        .await
        .expect("release");
    w.p.payouts().run(&m, &op).await.expect("run");
    assert!(w
        .p
        .ledger()
        .reconcile(&op)
        .await
        .expect("reconcile")
        .differences
        .is_empty());
    // The gateway's books change behind the platform's back.
    let conn = rusqlite::Connection::open(w.dir.path().join("msme.db")).expect("open");
    conn.execute(
        "UPDATE sandbox_objects SET amount = amount - 100 WHERE kind = 'payment'",
        [],
    )
    .expect("tamper");
    conn.execute(
        "UPDATE sandbox_objects SET status = 'failed' WHERE kind = 'payout'",
        [],
    )
    .expect("tamper");
    let report = w.p.ledger().reconcile(&op).await.expect("reconcile");
    let codes: Vec<&str> = report.differences.iter().map(Difference::code).collect();
    assert_eq!(
        codes,
        ["payment_amount", "payout_status"],
        "{:?}",
        report.differences
    );
    assert!(report.differences[1]
        .to_string()
        .contains("settled here but failed"));
    let verify = w.p.ledger().verify(&op).await.expect("verify");
    assert_eq!(verify.violations, []);
    assert_eq!(
        verify.gateway_differences.len(),
        1,
        "verify checks payouts against the gateway"
    );
    assert!(!verify.is_clean());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_of_releases_answers_each_one() {
    use msme_core::escrow_service::ReleaseRequest;
    let w = world().await;
    let (m, op) = (RequestMeta::default(), Actor::operator());
    let mut ids = Vec::new();
    for n in 0..2 {
        let input = terms(&w, 2_00_000, &[("a", 1_00_000), ("b", 1_00_000)], false).await;
        let e =
            w.p.escrows()
                .create(&m, &w.buyer, &key(&format!("o{n}")), input)
                .await;
        let id = e.expect("open").value.id;
        w.p.escrows()
            .fund(&m, &w.buyer, &key(&format!("f{n}")), &id)
            .await
            .expect("fund");
        ids.push(id);
    }
    let req = |k: &str, i: usize, milestone: &str| ReleaseRequest {
        key: key(k),
        escrow: ids[i].clone(),
        milestone: milestone.into(),
    };
    let batch = [
        req("r0a", 0, "a"),
        req("r1a", 1, "a"),
        req("r0b", 0, "b"),
        req("r1x", 1, "nope"),
    ];
    let answers = w.p.escrows().release_batch(&m, &w.buyer, &batch).await;
    let states: Vec<String> = answers
        .iter()
        .map(|a| match a {
            Ok(r) => r.value.state.as_str().to_string(),
            Err(e) => e.code().to_string(),
        })
        .collect();
    assert_eq!(
        states,
        [
            "partially_released",
            "partially_released",
            "released",
            "unknown_milestone"
        ]
    );
    let again = w.p.escrows().release_batch(&m, &w.buyer, &batch[..2]).await;
    assert!(
        again.iter().all(|a| a.as_ref().is_ok_and(|r| r.replayed)),
        "same keys replay"
    );
    let by_seller =
        w.p.escrows()
            .release_batch(&m, &w.seller, &[req("s", 1, "b")])
            .await;
    assert_eq!(
        by_seller[0].as_ref().expect_err("buyers release").code(),
        "forbidden"
    );
    let report = w.p.ledger().verify(&op).await.expect("verify");
    assert!(report.is_clean(), "{:?}", report.violations);
    assert_eq!(report.entries, 2 + 3);
}

/// Two funding requests for one escrow under different keys, at once: the buyer is charged
/// once (the escrow has one order at the gateway), one request funds it and the other is
/// refused, and the books agree with the gateway's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_fundings_under_different_keys_charge_the_buyer_once() {
    let w = world().await;
    let (m, op) = (RequestMeta::default(), Actor::operator());
    let input = terms(&w, 3_00_000, &[("all", 3_00_000)], false).await;
    let e =
        w.p.escrows()
            .create(&m, &w.buyer, &key("open"), input)
            .await
            .expect("open")
            .value;
    let (ka, kb) = (key("fund-a"), key("fund-b"));
    let escrows = w.p.escrows();
    let (a, b) = tokio::join!(
        escrows.fund(&m, &w.buyer, &ka, &e.id),
        escrows.fund(&m, &w.buyer, &kb, &e.id),
    );
    assert_eq!(
        [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(),
        1,
        "one of {a:?} / {b:?} funds"
    );
    let conn = rusqlite::Connection::open(w.dir.path().join("msme.db")).expect("open");
    let captured: i64 = conn
        .query_row(
            "SELECT count(*) FROM sandbox_objects WHERE kind = 'payment' AND status = 'captured'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(captured, 1, "the buyer is charged once");
    let paid =
        w.p.payments()
            .of_escrow(&op, &e.id)
            .await
            .expect("payments");
    assert_eq!(paid.len(), 1);
    let report = w.p.ledger().reconcile(&op).await.expect("reconcile");
    assert!(report.differences.is_empty(), "{:?}", report.differences);
    assert!(w.p.ledger().verify(&op).await.expect("verify").is_clean());
}
