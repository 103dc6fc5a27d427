//! [`LedgerStore`](msme_core::ledger::LedgerStore) cases for payments (stored with the funding
//! of their escrow, one escrow per gateway payment) and for each party's escrows.

use std::sync::Arc;

use msme_core::error::StoreError;
use msme_core::ledger::{
    EntryContext, Escrow, EscrowCommand, EscrowId, EscrowTerms, EscrowTermsInput, GatewayName,
    IdempotentOutcome, MilestoneInput, Payment, PaymentId,
};
use msme_core::money::Paise;
use msme_core::ports::Store;
use msme_core::types::{ListingId, UserId};

use crate::fixtures::{assert_appended, at, event, head_seq, stored_user};
use crate::ledger_fixtures::{idem, key};

fn sandbox() -> GatewayName {
    GatewayName::parse("sandbox").expect("name")
}

/// An open escrow of ₹500.00 in one milestone.
fn open(buyer: &UserId, seller: &UserId, agent: Option<&UserId>) -> Escrow {
    let input = EscrowTermsInput {
        listing_id: ListingId::generate(),
        buyer_id: buyer.clone(),
        seller_id: seller.clone(),
        amount_paise: 500_00,
        platform_fee_bps: 100,
        agent_id: agent.cloned(),
        agent_commission_bps: if agent.is_some() { 100 } else { 0 },
        milestones: vec![MilestoneInput {
            name: "all".into(),
            amount_paise: 500_00,
        }],
    };
    Escrow::open(
        EscrowId::generate(),
        EscrowTerms::parse(input).expect("terms"),
        at(0),
    )
}

async fn create(store: &Arc<dyn Store>, e: &Escrow) {
    let k = format!("open-{}", e.id);
    let outcome = store
        .create_escrow(e, idem(&k, &k), event("escrow.opened", e.id.as_str()))
        .await
        .expect("create");
    assert_eq!(outcome, IdempotentOutcome::Applied);
}

fn payment_of(e: &Escrow, gateway_ref: &str) -> Payment {
    Payment {
        id: PaymentId::generate(),
        escrow_id: e.id.clone(),
        source: sandbox(),
        gateway_ref: gateway_ref.into(),
        order_id: Some(format!("order_of_{gateway_ref}")),
        amount: e.terms.amount(),
        created_at: at(5),
    }
}

async fn fund(
    store: &Arc<dyn Store>,
    e: &Escrow,
    expected: i64,
    p: &Payment,
) -> Result<IdempotentOutcome, StoreError> {
    let k = format!("fund-{}", e.id);
    let ctx = EntryContext {
        idempotency_key: key(&k),
        at: at(5),
    };
    let t = e
        .apply(&EscrowCommand::Fund { source: sandbox() }, &ctx)
        .expect("fund");
    let audit = event("escrow.funded", e.id.as_str());
    store
        .record_funding(&t.escrow, expected, &t.entries, p, idem(&k, &k), audit)
        .await
}

/// A funding stores its payment in the same write; the payment reads back by id, by its
/// gateway reference, by escrow and in pages. A second escrow funded by the same gateway
/// payment is refused and writes nothing; a stale funding writes no payment either.
pub async fn fundings_store_their_payment_once(store: Arc<dyn Store>) {
    let (buyer, seller) = (
        stored_user(&store, 201).await,
        stored_user(&store, 202).await,
    );
    let (a, b) = (
        open(&buyer.id, &seller.id, None),
        open(&buyer.id, &seller.id, None),
    );
    create(&store, &a).await;
    create(&store, &b).await;
    let pa = payment_of(&a, "pay_0001");
    let stale = fund(&store, &a, 9, &pa).await.expect("stale");
    assert_eq!(stale, IdempotentOutcome::StaleVersion);
    assert_eq!(store.payment_by_id(&pa.id).await.expect("get"), None);
    let before = head_seq(&store).await;
    assert_eq!(
        fund(&store, &a, 1, &pa).await.expect("fund"),
        IdempotentOutcome::Applied
    );
    assert_appended(&store, before, 1, "record_funding").await;
    assert_eq!(
        store.payment_by_id(&pa.id).await.expect("get"),
        Some(pa.clone())
    );
    let by_ref = store
        .payment_by_ref(&sandbox(), "pay_0001")
        .await
        .expect("ref");
    assert_eq!(by_ref, Some(pa.clone()));
    let other = GatewayName::parse("bank_transfer").expect("name");
    assert_eq!(
        store.payment_by_ref(&other, "pay_0001").await.expect("ref"),
        None
    );
    assert_eq!(
        store.payments_of_escrow(&a.id).await.expect("of"),
        std::slice::from_ref(&pa)
    );

    let before = head_seq(&store).await;
    let again = fund(&store, &b, 1, &payment_of(&b, "pay_0001")).await;
    assert!(
        matches!(again, Err(StoreError::Duplicate("payment"))),
        "{again:?}"
    );
    assert_appended(&store, before, 0, "a refused funding").await;
    assert_eq!(
        store
            .escrow_by_id(&b.id)
            .await
            .expect("b")
            .map(|e| e.version),
        Some(1)
    );
    let b_key = key(&format!("fund-{}", b.id));
    assert_eq!(store.idempotency_record(&b_key).await.expect("key"), None);
    let held = store.balances(&[b.account()]).await.expect("balance");
    assert_eq!(held.normal(&b.account()), Paise::ZERO);

    let pb = payment_of(&b, "pay_0002");
    assert_eq!(
        fund(&store, &b, 1, &pb).await.expect("fund"),
        IdempotentOutcome::Applied
    );
    let all = store.payments_page(None, 10).await.expect("page");
    let mut expected = vec![pa.clone(), pb.clone()];
    expected.sort_by(|x, y| x.id.cmp(&y.id));
    assert_eq!(all, expected);
    let rest = store
        .payments_page(Some(&expected[0].id), 10)
        .await
        .expect("page");
    assert_eq!(rest, expected[1..]);
}

/// Each party (buyer, seller, agent) sees its own escrows, in id order, in pages.
pub async fn escrows_of_lists_each_partys_escrows(store: Arc<dyn Store>) {
    let buyer = stored_user(&store, 211).await.id;
    let seller = stored_user(&store, 212).await.id;
    let agent = stored_user(&store, 213).await.id;
    let other = stored_user(&store, 214).await.id;
    let with_agent = open(&buyer, &seller, Some(&agent));
    let plain = open(&buyer, &other, None);
    let theirs = open(&other, &seller, None);
    for e in [&with_agent, &plain, &theirs] {
        create(&store, e).await;
    }
    let ids = |es: Vec<Escrow>| es.into_iter().map(|e| e.id).collect::<Vec<_>>();
    let sorted = |mut v: Vec<EscrowId>| {
        v.sort();
        v
    };
    let of = |u: UserId| {
        let store = store.clone();
        async move { store.escrows_of(&u, None, 10).await.expect("escrows_of") }
    };
    assert_eq!(
        ids(of(buyer.clone()).await),
        sorted(vec![with_agent.id.clone(), plain.id.clone()])
    );
    assert_eq!(
        ids(of(seller.clone()).await),
        sorted(vec![with_agent.id.clone(), theirs.id.clone()])
    );
    assert_eq!(ids(of(agent.clone()).await), vec![with_agent.id.clone()]);
    assert_eq!(ids(of(UserId::generate()).await), Vec::<EscrowId>::new());
    let first = store.escrows_of(&buyer, None, 1).await.expect("page");
    let next = store
        .escrows_of(&buyer, Some(&first[0].id), 1)
        .await
        .expect("page");
    let done = store
        .escrows_of(&buyer, Some(&next[0].id), 1)
        .await
        .expect("page");
    assert_eq!(first.len() + next.len(), 2);
    assert!(first[0].id < next[0].id && done.is_empty());
}
