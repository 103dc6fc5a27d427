//! The money flow through the library ([`msme_core::Platform`] over the store): open an escrow,
//! fund it through the sandbox, release it in two milestones, pay the seller and the agent,
//! and check that the statements add up and `ledger verify` is clean. Also: a declined
//! funding writes nothing, retries with one key return the first result, and a failed
//! payout's money goes back.

use chrono::Duration;
use msme_core::error::DomainError;
use msme_core::escrow_service::MoneyError;
use msme_core::ledger::{EscrowState, LedgerAccount, PayoutState};
use msme_core::listing::ListingStatus;
use msme_core::matching::InteractionKind;
use msme_core::model::ComparableSource;
use msme_core::money::Paise;
use msme_core::types::ListingId;

use crate::flow_fixtures::{key, user, FlowStore, World};

/// Opens, funds and releases a ₹10,000 escrow in two milestones, retrying some calls.
async fn released_escrow(w: &World) {
    let milestones = [("deposit", 4_00_000), ("closing", 6_00_000)];
    let input = w.terms(10_00_000, &milestones, true).await;
    let escrows = w.p.escrows();
    let k = key("open-1");
    let opened = escrows.create(&w.m, &w.buyer, &k, input.clone()).await;
    let opened = opened.expect("create");
    let again = escrows.create(&w.m, &w.buyer, &k, input).await;
    let again = again.expect("replay");
    assert!(
        again.replayed && again.value == opened.value,
        "a retried create returns the first escrow"
    );
    let id = opened.value.id.clone();
    w.follow().await;
    assert_eq!(
        w.listing_status(&opened.value).await,
        ListingStatus::UnderOffer,
        "opening an escrow puts the listing under offer"
    );
    let interactions = w.store.interactions_page(None, 100).await;
    let offers: Vec<_> = interactions
        .expect("interactions")
        .into_iter()
        .filter(|i| i.kind == InteractionKind::Offer)
        .map(|i| (i.buyer, i.listing))
        .collect();
    assert_eq!(
        offers,
        [(user(&w.buyer), opened.value.terms.listing_id().clone())],
        "the buyer's offer is recorded for matching, once (not again on the replay)"
    );
    let funded = w.fund("fund-1", &id).await;
    assert_eq!(funded.state, EscrowState::Funded);
    let refund = escrows.fund(&w.m, &w.buyer, &key("fund-1"), &id).await;
    let refund = refund.expect("retry");
    assert_eq!((refund.replayed, refund.value), (true, funded));
    let k = key("rel-s");
    let seller_try = escrows.release(&w.m, &w.seller, &k, &id, "deposit").await;
    let refused = seller_try.expect_err("seller may not release");
    assert_eq!(refused.code(), "forbidden");
    let half = w.release("rel-1", &id, "deposit").await;
    assert_eq!(half.state, EscrowState::PartiallyReleased);
    let done = w.release("rel-2", &id, "closing").await;
    assert_eq!(done.state, EscrowState::Released);
    w.follow().await;
    assert_eq!(
        w.listing_status(&done).await,
        ListingStatus::Sold,
        "the last release marks the listing sold"
    );
    // The sale becomes a comparable deal for the valuation models, at the escrow's price,
    // once: the catch-up before training finds nothing left to record.
    let sold = done.terms.listing_id().to_string();
    let deals = w.store.comparables_page(None, 10).await.expect("deals");
    let deal = deals
        .iter()
        .find(|d| d.source == ComparableSource::Platform && d.source_ref == sold)
        .expect("the sale is a comparable deal");
    assert_eq!(deal.sale_price, done.terms.amount());
    let again = w.p.models().collect_sales(&w.m, &w.op).await;
    assert_eq!(again.expect("catch-up"), 0);
}

/// An escrow needs a published listing of its seller's, and a listing under offer takes no
/// second escrow.
pub async fn an_escrow_needs_a_published_listing_of_its_seller(fresh: FlowStore) {
    let w = World::new(fresh).await;
    let mut input = w.terms(1_000_00, &[("all", 1_000_00)], false).await;
    let first = w.open_on("open-a", input.clone()).await;
    assert_eq!(first.state, EscrowState::Created);
    // The listing is now under offer: a second escrow on it is refused.
    let escrows = w.p.escrows();
    let k = key("open-b");
    let second = escrows.create(&w.m, &w.buyer, &k, input.clone()).await;
    let second = second.expect_err("under offer");
    assert_eq!(second.code(), "illegal_transition");
    input.listing_id = ListingId::generate();
    let missing = escrows.create(&w.m, &w.buyer, &key("open-c"), input).await;
    let missing = missing.expect_err("no such listing");
    assert_eq!(missing.code(), "listing_not_found");
}

/// The whole flow: two payouts settle, the statements add up, the fee stays at the gateway,
/// and `ledger verify` is clean.
pub async fn create_fund_release_pay_out_and_verify(fresh: FlowStore) {
    let w = World::new(fresh).await;
    released_escrow(&w).await;
    let run = w.payouts().await;
    assert_eq!((run.started, run.settled, run.failed), (2, 2, 0), "{run:?}");
    let fee = 25_000; // 2.5% of ₹10,000
    let commission = 10_000; // 1%
    let seller_net = 10_00_000 - fee - commission;
    let (ledger, seller_acc) = (w.p.ledger(), w.seller_payable());
    let st = ledger.statement(&w.seller, &seller_acc).await;
    let moves: Vec<i64> = st
        .expect("seller statement")
        .rows
        .iter()
        .map(|r| r.balance_after.get())
        .collect();
    assert_eq!(
        moves,
        [seller_net * 4 / 10, seller_net, 0],
        "two releases in, one payout out"
    );
    let agent_acc = LedgerAccount::AgentPayable(user(&w.agent));
    let st = ledger.statement(&w.agent, &agent_acc).await;
    let st = st.expect("agent statement");
    assert_eq!((st.rows.len(), st.closing), (3, Paise::ZERO));
    let fees = ledger.statement(&w.op, &LedgerAccount::PlatformFeeRevenue);
    assert_eq!(fees.await.expect("fees").closing, Paise::new(fee));
    let clearing = LedgerAccount::GatewayClearing(w.p.gateway().name());
    let cash = ledger.statement(&w.op, &clearing).await.expect("clearing");
    assert_eq!(
        cash.closing,
        Paise::new(fee),
        "what stays at the gateway is the platform's fee"
    );
    let refused = ledger.statement(&w.buyer, &seller_acc).await;
    assert_eq!(refused.expect_err("not the buyer's").code(), "forbidden");

    let report = w.verify().await;
    assert!(report.is_clean(), "{:?}", report.violations);
    assert_eq!((report.entries, report.escrows, report.payouts), (7, 1, 2));
}

/// A declined funding writes nothing, and a key once used cannot serve another request.
pub async fn a_declined_funding_leaves_no_entries_and_keys_cannot_be_reused_for_another_request(
    fresh: FlowStore,
) {
    let w = World::new(fresh).await;
    let e = w.open("open-d", 5_00_401).await;
    let escrows = w.p.escrows();
    match escrows.fund(&w.m, &w.buyer, &key("fund-d"), &e.id).await {
        Err(MoneyError::Gateway(g)) => assert_eq!(g.code(), "payment_declined"),
        other => panic!("expected a decline, got {other:?}"),
    }
    let after = escrows.get(&w.buyer, &e.id).await.expect("get");
    assert_eq!(after.state, EscrowState::Created);
    let report = w.verify().await;
    assert_eq!((report.entries, report.is_clean()), (0, true));
    let other = w.terms(1_000_00, &[("all", 1_000_00)], false).await;
    let conflict = escrows.create(&w.m, &w.buyer, &key("open-d"), other).await;
    let conflict = conflict.expect_err("another request");
    assert_eq!(conflict.code(), "idempotency_conflict");
    let stranger = escrows.get(&w.agent, &e.id).await;
    assert_eq!(stranger.expect_err("not a party").code(), "not_found");
}

/// A gateway timeout is retried under the same key, a deferred payout waits for its backoff.
pub async fn gateway_timeouts_are_retried_under_the_same_key_with_backoff(fresh: FlowStore) {
    let w = World::new(fresh).await;
    let slow = w.open("o2", 7_00_408).await;
    let escrows = w.p.escrows();
    let funded = escrows.fund(&w.m, &w.buyer, &key("f2"), &slow.id).await;
    let timeout = funded.expect_err("the order call times out");
    assert_eq!(timeout.code(), "gateway_timeout");
    let funded = w.fund("f2", &slow.id).await;
    assert_eq!(
        funded.state,
        EscrowState::Funded,
        "the retry finds the order"
    );
    w.release("r2", &slow.id, "all").await;
    let first = w.payouts().await;
    let counts = (first.started, first.deferred, first.settled);
    assert_eq!(counts, (1, 1, 0), "{first:?}");
    let again = w.payouts().await;
    let due = again.deferred + again.settled;
    assert_eq!(due, 0, "not due before its backoff");
    w.clock.advance(Duration::minutes(2));
    let later = w.payouts().await;
    assert_eq!(later.settled, 1, "{later:?}");
    let payouts = w.p.payouts().of(&w.seller, &w.seller_payable()).await;
    let payouts = payouts.expect("list");
    let states: Vec<PayoutState> = payouts.iter().map(|p| p.state).collect();
    assert_eq!(states, [PayoutState::Settled]);
    assert_eq!(payouts[0].attempts, 1);
    w.assert_verified().await;
}

/// About ₹5,000 with a 2.5% fee and 1% commission, chosen so that the seller's net ends in
/// 401 paise (the sandbox's rejected payout) and nothing else simulates a failure.
fn amount_netting_a_rejected_payout() -> i64 {
    let plain = |p: i64| ![401, 408, 202].contains(&(p % 1000));
    (5_00_000..)
        .find(|a: &i64| {
            let fee = Paise::new(*a).checked_bps(250).expect("fee").get();
            let commission = Paise::new(*a).checked_bps(100).expect("commission").get();
            (a - fee - commission) % 1000 == 401 && plain(*a) && plain(commission)
        })
        .expect("such an amount")
}

/// A payout the gateway rejects puts its money back in the payable, retried after backoff.
pub async fn a_rejected_payout_puts_the_money_back_in_the_payable(fresh: FlowStore) {
    let w = World::new(fresh).await;
    let amount = amount_netting_a_rejected_payout();
    let input = w.terms(amount, &[("all", amount)], true).await;
    let e = w.open_on("o", input).await;
    let net = e.terms.milestones()[0].seller_net().get();
    assert_eq!(net % 1000, 401, "amount {amount} nets {net}");
    w.fund("f", &e.id).await;
    w.release("r", &e.id, "all").await;
    let run = w.payouts().await;
    assert_eq!((run.started, run.failed, run.settled), (2, 1, 1), "{run:?}");
    let st = w.p.ledger().statement(&w.seller, &w.seller_payable()).await;
    assert_eq!(
        st.expect("statement").closing,
        Paise::new(net),
        "the money is owed again, not lost"
    );
    let rerun = w.payouts().await;
    assert_eq!(
        rerun.started, 0,
        "no new payout until the failure's backoff has passed"
    );
    w.assert_verified().await;
}
