//! The money flow through the library on a real SQLite store: open an escrow, fund it through
//! the sandbox, release it in two milestones, pay the seller and the agent, and check that the
//! statements add up and `ledger verify` is clean. Also: a declined funding writes nothing,
//! retries with one key return the first result, and a failed payout's money goes back.

use std::sync::Arc;

use chrono::Duration;
use msme_core::auth::{LoginId, NewAccount};
use msme_core::clock::ManualClock;
use msme_core::error::DomainError;
use msme_core::escrow_service::MoneyError;
use msme_core::ledger::{
    EscrowState, EscrowTermsInput, IdempotencyKey, LedgerAccount, MilestoneInput, PayoutState,
};
use msme_core::listing::{
    FinancialsInput, ListingAction, ListingInput, ListingStatus, ListingView,
};
use msme_core::model::ComparableSource;
use msme_core::money::Paise;
use msme_core::rbac::Actor;
use msme_core::types::{ListingId, Mobile, Password, Secret, UserId};
use msme_core::{Platform, RequestMeta};
use msme_sqlite::SqliteStore;

pub(crate) struct World {
    pub p: Platform,
    pub clock: Arc<ManualClock>,
    pub buyer: Actor,
    pub seller: Actor,
    pub agent: Actor,
    pub store: SqliteStore,
    pub dir: tempfile::TempDir,
}

async fn sign_up(p: &Platform, n: u32, role: &str) -> Actor {
    let mobile = format!("98765 4{n:04}");
    let account =
        NewAccount::parse("Asha Rao", &mobile, None, "chai-and-ledgers", role).expect("account");
    p.auth()
        .register(&RequestMeta::default(), account)
        .await
        .expect("register");
    let id = LoginId::Mobile(Mobile::parse(&mobile).expect("mobile"));
    let password = Password::parse("chai-and-ledgers").expect("password");
    let tokens = p
        .auth()
        .login(&RequestMeta::default(), &id, &password, None)
        .await
        .expect("login");
    p.auth()
        .authenticate(&tokens.access_token)
        .await
        .expect("actor")
}

pub(crate) async fn world() -> World {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("msme.db"))
        .await
        .expect("open");
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let p = Platform::builder(
        Arc::new(store.clone()),
        Secret::new("a secret of at least thirty-two bytes!"),
    )
    .clock(clock.clone())
    .gateway(Arc::new(msme_sandbox::SandboxGateway::new(
        Arc::new(store.clone()),
        clock.clone(),
    )))
    .hash_concurrency(2)
    .build()
    .expect("platform");
    let buyer = sign_up(&p, 1, "buyer").await;
    let seller = sign_up(&p, 2, "seller").await;
    let agent = sign_up(&p, 3, "agent").await;
    World {
        p,
        clock,
        buyer,
        seller,
        agent,
        store,
        dir,
    }
}

pub(crate) fn key(s: &str) -> IdempotencyKey {
    IdempotencyKey::parse(s).expect("key")
}

pub(crate) fn user(a: &Actor) -> UserId {
    a.user_id().expect("a user").clone()
}

/// A listing of the seller's, taken through review to `published`, as escrows need.
async fn published_listing(w: &World) -> ListingId {
    let m = RequestMeta::default();
    let input = ListingInput {
        title: "Precision CNC machining unit".into(),
        description: "Profitable CNC job shop serving auto OEMs in Pune for 18 years.".into(),
        industry: "machinery".into(),
        city: "Pune".into(),
        state: "Maharashtra".into(),
        year_established: 2008,
        employees: 42,
        deal_type: "full_sale".into(),
        asking_price_paise: 12_00_00_000_00,
        anonymous: false,
        financials: vec![FinancialsInput {
            fiscal_year: 2025,
            revenue_paise: 8_00_00_000_00,
            ebitda_paise: 1_20_00_000_00,
            net_profit_paise: 60_00_000_00,
            total_assets_paise: 5_00_00_000_00,
            total_liabilities_paise: 2_00_00_000_00,
            debt_paise: 1_00_00_000_00,
        }],
    };
    let listings = w.p.listings();
    let l = listings
        .create(&m, &w.seller, &input)
        .await
        .expect("listing");
    let op = Actor::operator();
    for (actor, action) in [
        (&w.seller, ListingAction::Submit),
        (&op, ListingAction::Approve),
        (&w.seller, ListingAction::Publish),
    ] {
        listings
            .transition(&m, actor, &l.id, action, None)
            .await
            .expect("workflow");
    }
    l.id
}

pub(crate) async fn terms(
    w: &World,
    amount: i64,
    milestones: &[(&str, i64)],
    agent: bool,
) -> EscrowTermsInput {
    EscrowTermsInput {
        listing_id: published_listing(w).await,
        buyer_id: user(&w.buyer),
        seller_id: user(&w.seller),
        amount_paise: amount,
        platform_fee_bps: if agent { 250 } else { 0 },
        agent_id: agent.then(|| user(&w.agent)),
        agent_commission_bps: if agent { 100 } else { 0 },
        milestones: milestones
            .iter()
            .map(|(n, a)| MilestoneInput {
                name: (*n).into(),
                amount_paise: *a,
            })
            .collect(),
    }
}

/// Opens, funds and releases a ₹10,000 escrow in two milestones, retrying some calls.
async fn released_escrow(w: &World) {
    let m = RequestMeta::default();
    let input = terms(
        w,
        10_00_000,
        &[("deposit", 4_00_000), ("closing", 6_00_000)],
        true,
    )
    .await;
    let opened =
        w.p.escrows()
            .create(&m, &w.buyer, &key("open-1"), input.clone())
            .await
            .expect("create");
    let again =
        w.p.escrows()
            .create(&m, &w.buyer, &key("open-1"), input)
            .await
            .expect("replay");
    assert!(
        again.replayed && again.value == opened.value,
        "a retried create returns the first escrow"
    );
    let id = opened.value.id.clone();
    follow(&w.p).await;
    let listing = input_listing_status(w, &opened.value).await;
    assert_eq!(
        listing,
        ListingStatus::UnderOffer,
        "opening an escrow puts the listing under offer"
    );
    let offers: Vec<_> =
        w.p.store()
            .interactions_page(None, 100)
            .await
            .expect("interactions")
            .into_iter()
            .filter(|i| i.kind == msme_core::matching::InteractionKind::Offer)
            .map(|i| (i.buyer, i.listing))
            .collect();
    assert_eq!(
        offers,
        [(user(&w.buyer), opened.value.terms.listing_id().clone())],
        "the buyer's offer is recorded for matchmaking, once (not again on the replay)"
    );
    let funded =
        w.p.escrows()
            .fund(&m, &w.buyer, &key("fund-1"), &id)
            .await
            .expect("fund");
    assert_eq!(funded.value.state, EscrowState::Funded);
    let refund =
        w.p.escrows()
            .fund(&m, &w.buyer, &key("fund-1"), &id)
            .await
            .expect("retry");
    assert_eq!(
        (refund.replayed, refund.value),
        (true, funded.value.clone())
    );
    let seller_try =
        w.p.escrows()
            .release(&m, &w.seller, &key("rel-s"), &id, "deposit")
            .await;
    assert_eq!(
        seller_try.expect_err("seller may not release").code(),
        "forbidden"
    );
    let half =
        w.p.escrows()
            .release(&m, &w.buyer, &key("rel-1"), &id, "deposit")
            .await
            .expect("release");
    assert_eq!(half.value.state, EscrowState::PartiallyReleased);
    let done =
        w.p.escrows()
            .release(&m, &w.buyer, &key("rel-2"), &id, "closing")
            .await
            .expect("release");
    assert_eq!(done.value.state, EscrowState::Released);
    follow(&w.p).await;
    let listing = input_listing_status(w, &done.value).await;
    assert_eq!(
        listing,
        ListingStatus::Sold,
        "the last release marks the listing sold"
    );
    // The sale becomes a comparable deal for the valuation models, at the escrow's price,
    // once: the catch-up before training finds nothing left to record.
    let sold = done.value.terms.listing_id().to_string();
    let store = w.p.store();
    let deals = store.comparables_page(None, 10).await.expect("deals");
    let deal = deals
        .iter()
        .find(|d| d.source == ComparableSource::Platform && d.source_ref == sold)
        .expect("the sale is a comparable deal");
    assert_eq!(deal.sale_price, done.value.terms.amount());
    let again = w.p.models().collect_sales(&m, &Actor::operator()).await;
    assert_eq!(again.expect("catch-up"), 0);
}

/// What the runtime's consumers do after escrow moves (a worker would): the listing follows,
/// the offer and the sale are recorded.
async fn follow(p: &msme_core::Platform) {
    use msme_core::runtime::{
        COMPARABLE_SALES_CONSUMER, LISTING_ESCROWS_CONSUMER, MATCHMAKER_CONSUMER,
    };
    let rt = p.runtime();
    for name in [
        LISTING_ESCROWS_CONSUMER,
        COMPARABLE_SALES_CONSUMER,
        MATCHMAKER_CONSUMER,
    ] {
        let done = rt.catch_up(name).await.expect("catch up");
        assert_eq!(done.dead_letters, 0, "{name}");
    }
}

async fn input_listing_status(w: &World, escrow: &msme_core::ledger::Escrow) -> ListingStatus {
    let view =
        w.p.listings()
            .get(&Actor::operator(), escrow.terms.listing_id())
            .await
            .expect("listing");
    match view {
        ListingView::Full(f) => f.listing.status,
        ListingView::Teaser(t) => t.status,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_escrow_needs_a_published_listing_of_its_seller() {
    let w = world().await;
    let m = RequestMeta::default();
    let mut input = terms(&w, 1_000_00, &[("all", 1_000_00)], false).await;
    let first =
        w.p.escrows()
            .create(&m, &w.buyer, &key("open-a"), input.clone())
            .await
            .expect("open");
    assert_eq!(first.value.state, EscrowState::Created);
    // The listing is now under offer: a second escrow on it is refused.
    let second =
        w.p.escrows()
            .create(&m, &w.buyer, &key("open-b"), input.clone())
            .await;
    assert_eq!(
        second.expect_err("under offer").code(),
        "illegal_transition"
    );
    input.listing_id = ListingId::generate();
    let missing =
        w.p.escrows()
            .create(&m, &w.buyer, &key("open-c"), input)
            .await;
    assert_eq!(
        missing.expect_err("no such listing").code(),
        "listing_not_found"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_fund_release_pay_out_and_verify() {
    let w = world().await;
    let (m, op) = (RequestMeta::default(), Actor::operator());
    released_escrow(&w).await;
    let run = w.p.payouts().run(&m, &op).await.expect("payouts");
    assert_eq!((run.started, run.settled, run.failed), (2, 2, 0), "{run:?}");
    let fee = 25_000; // 2.5% of ₹10,000
    let commission = 10_000; // 1%
    let seller_net = 10_00_000 - fee - commission;
    let seller_acc = LedgerAccount::SellerPayable(user(&w.seller));
    let st =
        w.p.ledger()
            .statement(&w.seller, &seller_acc)
            .await
            .expect("seller statement");
    let moves: Vec<i64> = st.rows.iter().map(|r| r.balance_after.get()).collect();
    assert_eq!(
        moves,
        [seller_net * 4 / 10, seller_net, 0],
        "two releases in, one payout out"
    );
    let agent_acc = LedgerAccount::AgentPayable(user(&w.agent));
    let st =
        w.p.ledger()
            .statement(&w.agent, &agent_acc)
            .await
            .expect("agent statement");
    assert_eq!((st.rows.len(), st.closing), (3, Paise::ZERO));
    let fees =
        w.p.ledger()
            .statement(&op, &LedgerAccount::PlatformFeeRevenue)
            .await
            .expect("fees");
    assert_eq!(fees.closing, Paise::new(fee));
    let clearing = LedgerAccount::GatewayClearing(w.p.gateway().name());
    let cash =
        w.p.ledger()
            .statement(&op, &clearing)
            .await
            .expect("clearing");
    assert_eq!(
        cash.closing,
        Paise::new(fee),
        "what stays at the gateway is the platform's fee"
    );
    let refused = w.p.ledger().statement(&w.buyer, &seller_acc).await;
    assert_eq!(refused.expect_err("not the buyer's").code(), "forbidden");

    let report = w.p.ledger().verify(&op).await.expect("verify");
    assert!(report.is_clean(), "{:?}", report.violations);
    assert_eq!((report.entries, report.escrows, report.payouts), (7, 1, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_funding_leaves_no_entries_and_keys_cannot_be_reused_for_another_request() {
    let w = world().await;
    let (m, op) = (RequestMeta::default(), Actor::operator());
    let input = terms(&w, 5_00_401, &[("all", 5_00_401)], false).await;
    let e =
        w.p.escrows()
            .create(&m, &w.buyer, &key("open-d"), input)
            .await
            .expect("create")
            .value;
    let declined =
        w.p.escrows()
            .fund(&m, &w.buyer, &key("fund-d"), &e.id)
            .await;
    match declined {
        Err(MoneyError::Gateway(g)) => assert_eq!(g.code(), "payment_declined"),
        other => panic!("expected a decline, got {other:?}"),
    }
    assert_eq!(
        w.p.escrows().get(&w.buyer, &e.id).await.expect("get").state,
        EscrowState::Created
    );
    let report = w.p.ledger().verify(&op).await.expect("verify");
    assert_eq!((report.entries, report.is_clean()), (0, true));
    let other = terms(&w, 1_000_00, &[("all", 1_000_00)], false).await;
    let conflict =
        w.p.escrows()
            .create(&m, &w.buyer, &key("open-d"), other)
            .await;
    assert_eq!(
        conflict.expect_err("another request").code(),
        "idempotency_conflict"
    );
    let stranger = w.p.escrows().get(&w.agent, &e.id).await;
    assert_eq!(stranger.expect_err("not a party").code(), "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_timeouts_are_retried_under_the_same_key_with_backoff() {
    let w = world().await;
    let (m, op) = (RequestMeta::default(), Actor::operator());
    let input = terms(&w, 7_00_408, &[("all", 7_00_408)], false).await;
    let slow =
        w.p.escrows()
            .create(&m, &w.buyer, &key("o2"), input)
            .await
            .expect("create")
            .value;
    let funded = w.p.escrows().fund(&m, &w.buyer, &key("f2"), &slow.id).await;
    assert_eq!(
        funded.expect_err("the order call times out").code(),
        "gateway_timeout"
    );
    let funded =
        w.p.escrows()
            .fund(&m, &w.buyer, &key("f2"), &slow.id)
            .await
            .expect("retry finds the order");
    assert_eq!(funded.value.state, EscrowState::Funded);
    w.p.escrows()
        .release(&m, &w.buyer, &key("r2"), &slow.id, "all")
        .await
        .expect("release");
    let first = w.p.payouts().run(&m, &op).await.expect("run");
    assert_eq!(
        (first.started, first.deferred, first.settled),
        (1, 1, 0),
        "{first:?}"
    );
    let again = w.p.payouts().run(&m, &op).await.expect("run");
    assert_eq!(
        again.deferred + again.settled,
        0,
        "not due before its backoff"
    );
    w.clock.advance(Duration::minutes(2));
    let later = w.p.payouts().run(&m, &op).await.expect("run");
    assert_eq!(later.settled, 1, "{later:?}");
    let payee = LedgerAccount::SellerPayable(user(&w.seller));
    let payouts = w.p.payouts().of(&w.seller, &payee).await.expect("list");
    assert_eq!(
        payouts.iter().map(|p| p.state).collect::<Vec<_>>(),
        [PayoutState::Settled]
    );
    assert_eq!(payouts[0].attempts, 1);
    let report = w.p.ledger().verify(&op).await.expect("verify");
    assert!(report.is_clean(), "{:?}", report.violations);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_payout_puts_the_money_back_in_the_payable() {
    let w = world().await;
    let (m, op) = (RequestMeta::default(), Actor::operator());
    // About ₹5,000 with a 2.5% fee and 1% commission, chosen so that the seller's net ends in
    // 401 paise (the sandbox's rejected payout) and nothing else simulates a failure.
    let plain = |p: i64| ![401, 408, 202].contains(&(p % 1000));
    let amount = (5_00_000..)
        .find(|a: &i64| {
            let fee = Paise::new(*a).checked_bps(250).expect("fee").get();
            let commission = Paise::new(*a).checked_bps(100).expect("commission").get();
            (a - fee - commission) % 1000 == 401 && plain(*a) && plain(commission)
        })
        .expect("such an amount");
    let input = terms(&w, amount, &[("all", amount)], true).await;
    let e =
        w.p.escrows()
            .create(&m, &w.buyer, &key("o"), input)
            .await
            .expect("create")
            .value;
    let net = e.terms.milestones()[0].seller_net().get();
    assert_eq!(net % 1000, 401, "amount {amount} nets {net}");
    w.p.escrows()
        .fund(&m, &w.buyer, &key("f"), &e.id)
        .await
        .expect("fund");
    w.p.escrows()
        .release(&m, &w.buyer, &key("r"), &e.id, "all")
        .await
        .expect("release");
    let run = w.p.payouts().run(&m, &op).await.expect("run");
    assert_eq!((run.started, run.failed, run.settled), (2, 1, 1), "{run:?}");
    let payee = LedgerAccount::SellerPayable(user(&w.seller));
    let st =
        w.p.ledger()
            .statement(&w.seller, &payee)
            .await
            .expect("statement");
    assert_eq!(
        st.closing,
        Paise::new(net),
        "the money is owed again, not lost"
    );
    let rerun = w.p.payouts().run(&m, &op).await.expect("run");
    assert_eq!(
        rerun.started, 0,
        "no new payout until the failure's backoff has passed"
    );
    let report = w.p.ledger().verify(&op).await.expect("verify");
    assert!(report.is_clean(), "{:?}", report.violations);
}
