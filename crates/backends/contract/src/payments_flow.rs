//! Money in and its records through the library ([`msme_core::Platform`] over the store):
//! payments recorded with each funding, bank transfers confirmed by an admin, signed webhooks
//! settling a late payout, reconciliation finding what the gateway's books disagree on,
//! batches of releases, and racing fundings.

use msme_core::error::DomainError;
use msme_core::escrow_service::{Difference, MoneyError, Receipt, ReleaseRequest, WebhookOutcome};
use msme_core::ledger::PayoutState;
use msme_core::ledger::{BankReference, Escrow, EscrowState, LedgerAccount, Payment};
use msme_core::money::Paise;
use msme_core::ports::{GatewayPayout, GatewayPayoutStatus};
use msme_razorpay::webhook;
use msme_sandbox::{SandboxGateway, LATE_BY};

use crate::flow_fixtures::{key, FlowStore, World};

/// A funding records its payment, which the parties (and no one else) can read; then
/// [`bank_transfers`].
pub async fn fundings_record_their_payment_and_bank_transfers_fund_once(fresh: FlowStore) {
    let w = World::new(fresh).await;
    let e = w.open("o1", 2_00_000).await;
    w.fund("f1", &e.id).await;
    let payments = w.p.payments();
    let paid = payments.of_escrow(&w.seller, &e.id).await;
    let paid = paid.expect("seller sees it");
    assert_eq!(paid.len(), 1);
    assert_eq!(
        (paid[0].source.as_str(), paid[0].amount),
        ("sandbox", Paise::new(2_00_000))
    );
    assert!(paid[0].order_id.is_some());
    let one = payments.get(&w.buyer, &paid[0].id).await;
    assert_eq!(one.expect("buyer sees it"), paid[0]);
    let stranger = payments.get(&w.agent, &paid[0].id).await;
    assert_eq!(stranger.expect_err("not a party").code(), "not_found");

    bank_transfers(&w).await;
}

/// The operator confirms a bank transfer of `e`'s whole amount under `k`.
async fn confirm_transfer(
    w: &World,
    e: &Escrow,
    k: &str,
    utr: &BankReference,
) -> Result<Receipt<Payment>, MoneyError> {
    let (k, amount) = (key(k), e.terms.amount());
    let payments = w.p.payments();
    let confirmed = payments.confirm_bank_transfer(&w.m, &w.op, &k, &e.id, utr, amount);
    confirmed.await
}

/// A second deal paid by bank transfer, confirmed by an admin; its reference funds it once.
async fn bank_transfers(w: &World) {
    let (m, op) = (&w.m, &w.op);
    let b = w.open("o2", 3_00_000).await;
    let utr = BankReference::parse("HDFCR52026010112345").expect("utr");
    let payments = &w.p.payments();
    let confirm = |by, k: &str, amount| {
        let (k, id, utr) = (key(k), b.id.clone(), utr.clone());
        async move {
            let confirmed = payments.confirm_bank_transfer(m, by, &k, &id, &utr, amount);
            confirmed.await
        }
    };
    let by_buyer = confirm(&w.buyer, "bt0", b.terms.amount()).await;
    assert_eq!(by_buyer.expect_err("admins only").code(), "forbidden");
    let short = confirm(op, "bt1", Paise::new(1_00_000)).await;
    let short = short.expect_err("not the whole amount");
    assert_eq!(
        (short.code(), short.field()),
        ("validation_failed", Some("amount_paise"))
    );
    let confirmed = confirm(op, "bt2", b.terms.amount()).await.expect("confirm");
    assert!(!confirmed.replayed);
    assert_eq!(confirmed.value.source.as_str(), "bank_transfer");
    assert_eq!(confirmed.value.gateway_ref, "HDFCR52026010112345");
    let again = confirm(op, "bt2", b.terms.amount()).await.expect("replay");
    assert_eq!((again.replayed, &again.value), (true, &confirmed.value));
    let funded = w.p.escrows().get(&w.buyer, &b.id).await.expect("get");
    assert_eq!(funded.state, EscrowState::Funded);
    let source = funded.funding_source.as_ref().map(|s| s.as_str());
    assert_eq!(source, Some("bank_transfer"));

    // The same bank reference cannot fund a third deal.
    let c = w.open("o3", 3_00_000).await;
    let reused = confirm_transfer(w, &c, "bt3", &utr).await;
    let reused = reused.expect_err("one reference, one escrow");
    assert_eq!(reused.code(), "payment_already_recorded");
    let c_now = w.p.escrows().get(op, &c.id).await.expect("get");
    assert_eq!(c_now.state, EscrowState::Created);

    assert_eq!(payments.list(op, None, 10).await.expect("list").len(), 2);
    let listed = payments.list(&w.buyer, None, 10).await;
    assert_eq!(listed.expect_err("admins").code(), "forbidden");
    let report = w.p.ledger().reconcile(op).await.expect("reconcile");
    let counts = (report.payments_checked, report.skipped);
    assert_eq!(counts, (1, 1), "{report:?}");
    assert!(report.differences.is_empty(), "{:?}", report.differences);
    let bank = LedgerAccount::GatewayClearing(funded.funding_source.expect("source"));
    let st = w.p.ledger().statement(op, &bank).await.expect("statement");
    assert_eq!(st.closing, Paise::new(3_00_000));
}

/// A payout the sandbox pays late is settled by its signed webhook, once; a forged or
/// misdirected webhook is refused.
pub async fn a_signed_webhook_settles_a_late_payout_once(fresh: FlowStore) {
    let w = World::new(fresh).await;
    // ₹5,002.02: paid in by bank transfer, paid out late by the sandbox (amount ends in 202).
    let e = w.open("o", 5_00_202).await;
    let utr = BankReference::parse("SBIN0000123456").expect("utr");
    confirm_transfer(&w, &e, "bt", &utr).await.expect("confirm");
    let payments = w.p.payments();
    w.release("r", &e.id, "all").await;
    let run = w.payouts().await;
    assert_eq!((run.started, run.deferred), (1, 1), "{run:?}");
    let payee = w.seller_payable();
    let payout = w.p.payouts().of(&w.seller, &payee).await.expect("list");
    let payout = payout.into_iter().next().expect("one payout");
    assert_eq!(payout.state, PayoutState::InTransit);
    let gateway_ref = payout.gateway_ref.clone().expect("sent");

    w.clock.advance(LATE_BY);
    let sandbox = SandboxGateway::new(w.sandbox.clone(), w.clock.clone());
    let body = webhook::payout_body(&GatewayPayout {
        id: gateway_ref,
        reference: payout.id.clone(),
        amount: payout.amount,
        status: GatewayPayoutStatus::Processed,
    });
    let (body, signature) = (body.as_bytes(), sandbox.sign(body.as_bytes()));
    let forged = payments
        .webhook(&w.m, "sandbox", body, &"0".repeat(64))
        .await;
    let forged = forged.expect_err("bad signature");
    assert_eq!(forged.code(), "bad_webhook_signature");
    let elsewhere = payments.webhook(&w.m, "razorpayx", body, &signature).await;
    assert_eq!(elsewhere.expect_err("not our gateway").code(), "not_found");
    let done = payments.webhook(&w.m, "sandbox", body, &signature).await;
    let settled = WebhookOutcome::PayoutUpdated {
        payout: payout.id.clone(),
        state: PayoutState::Settled,
    };
    assert_eq!(done.expect("hook"), settled);
    let twice = payments.webhook(&w.m, "sandbox", body, &signature).await;
    assert_eq!(
        twice.expect("hook"),
        WebhookOutcome::AlreadyRecorded,
        "gateways send webhooks more than once"
    );
    let st = w.p.ledger().statement(&w.seller, &payee).await;
    assert_eq!(st.expect("statement").closing, Paise::ZERO);
    let report = w.verify().await;
    assert!(
        report.is_clean(),
        "{:?} {:?}",
        report.violations,
        report.gateway_differences
    );
}

/// When the gateway's books change behind the platform's back, reconciliation names each
/// difference and `ledger verify` checks payouts against the gateway.
pub async fn reconciliation_lists_what_the_gateways_books_disagree_on(fresh: FlowStore) {
    let w = World::new(fresh).await;
    let e = w.open("o", 4_00_000).await;
    w.fund("f", &e.id).await;
    w.release("r", &e.id, "all").await;
    w.payouts().await;
    let ledger = w.p.ledger();
    let before = ledger.reconcile(&w.op).await.expect("reconcile");
    assert!(before.differences.is_empty(), "{:?}", before.differences);
    w.books.take_off("payment", 100).await;
    w.books.set_status("payout", "failed").await;
    let report = ledger.reconcile(&w.op).await.expect("reconcile");
    let codes: Vec<&str> = report.differences.iter().map(Difference::code).collect();
    assert_eq!(
        codes,
        ["payment_amount", "payout_status"],
        "{:?}",
        report.differences
    );
    let payout_difference = report.differences[1].to_string();
    assert!(payout_difference.contains("settled here but failed"));
    let verify = w.verify().await;
    assert_eq!(verify.violations, []);
    assert_eq!(
        verify.gateway_differences.len(),
        1,
        "verify checks payouts against the gateway"
    );
    assert!(!verify.is_clean());
}

/// A batch of releases answers each one, replays under the same keys, and is the buyer's.
pub async fn a_batch_of_releases_answers_each_one(fresh: FlowStore) {
    let w = World::new(fresh).await;
    let mut ids = Vec::new();
    for n in 0..2 {
        let input = w
            .terms(2_00_000, &[("a", 1_00_000), ("b", 1_00_000)], false)
            .await;
        let id = w.open_on(&format!("o{n}"), input).await.id;
        w.fund(&format!("f{n}"), &id).await;
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
    let escrows = w.p.escrows();
    let answers = escrows.release_batch(&w.m, &w.buyer, &batch).await;
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
    let again = escrows.release_batch(&w.m, &w.buyer, &batch[..2]).await;
    assert!(
        again.iter().all(|a| a.as_ref().is_ok_and(|r| r.replayed)),
        "same keys replay"
    );
    let by_seller = escrows
        .release_batch(&w.m, &w.seller, &[req("s", 1, "b")])
        .await;
    let refused = by_seller[0].as_ref().expect_err("buyers release");
    assert_eq!(refused.code(), "forbidden");
    let report = w.verify().await;
    assert!(report.is_clean(), "{:?}", report.violations);
    assert_eq!(report.entries, 2 + 3);
}

/// Two funding requests for one escrow under different keys, at once: the buyer is charged
/// once (the escrow has one order at the gateway), one request funds it and the other is
/// refused, and the books agree with the gateway's.
pub async fn racing_fundings_under_different_keys_charge_the_buyer_once(fresh: FlowStore) {
    let w = World::new(fresh).await;
    let e = w.open("open", 3_00_000).await;
    let (ka, kb) = (key("fund-a"), key("fund-b"));
    let escrows = w.p.escrows();
    let (a, b) = tokio::join!(
        escrows.fund(&w.m, &w.buyer, &ka, &e.id),
        escrows.fund(&w.m, &w.buyer, &kb, &e.id),
    );
    assert_eq!(
        [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(),
        1,
        "one of {a:?} / {b:?} funds"
    );
    let captured = w.books.count("payment", "captured").await;
    assert_eq!(captured, 1, "the buyer is charged once");
    let paid = w.p.payments().of_escrow(&w.op, &e.id).await;
    assert_eq!(paid.expect("payments").len(), 1);
    let report = w.p.ledger().reconcile(&w.op).await.expect("reconcile");
    assert!(report.differences.is_empty(), "{:?}", report.differences);
    assert!(w.verify().await.is_clean());
}
