//! [`LedgerStore`](msme_core::ledger::LedgerStore) cases for the rows that move money by
//! compare-and-set: escrows and payouts.

use std::sync::Arc;

use msme_core::ledger::{
    AccountBalance, Balances, EntryContext, EscrowCommand, GatewayName, IdempotentOutcome,
    LedgerAccount, Payout, PayoutId, PayoutState,
};
use msme_core::money::Paise;
use msme_core::ports::Store;
use msme_core::types::UserId;

use crate::fixtures::{at, event};
use crate::ledger_fixtures::{escrow, fund, idem, key, payable};

/// A listing has at most one open escrow: a second is refused (nothing written) until the
/// first has ended.
pub async fn a_listing_has_one_open_escrow_at_a_time(store: Arc<dyn Store>) {
    let first = escrow(&store).await;
    let opened = store
        .create_escrow(&first, idem("o1", "o1"), event("escrow.opened", "1"))
        .await
        .expect("create");
    assert_eq!(opened, IdempotentOutcome::Applied);
    let second = msme_core::ledger::Escrow::open(
        msme_core::ledger::EscrowId::generate(),
        first.terms.clone(),
        at(1),
    );
    let before = crate::fixtures::head_seq(&store).await;
    let refused = store
        .create_escrow(&second, idem("o2", "o2"), event("escrow.opened", "2"))
        .await;
    assert!(
        matches!(
            refused,
            Err(msme_core::error::StoreError::Duplicate("listing_escrow"))
        ),
        "{refused:?}"
    );
    crate::fixtures::assert_appended(&store, before, 0, "a refused escrow").await;
    assert_eq!(store.escrow_by_id(&second.id).await.expect("get"), None);
    assert_eq!(
        store.idempotency_record(&key("o2")).await.expect("key"),
        None
    );

    // Cancelled, the first lets the listing take another.
    let ctx = EntryContext {
        idempotency_key: key("cancel"),
        at: at(2),
    };
    let t = first.apply(&EscrowCommand::Cancel, &ctx).expect("cancel");
    let cancelled = store
        .update_escrow(
            &t.escrow,
            1,
            &t.entries,
            idem("cancel", "c"),
            event("escrow.cancelled", "1"),
        )
        .await
        .expect("update");
    assert_eq!(cancelled, IdempotentOutcome::Applied);
    let again = store
        .create_escrow(&second, idem("o3", "o3"), event("escrow.opened", "2"))
        .await
        .expect("create");
    assert_eq!(again, IdempotentOutcome::Applied);
}

/// Escrows round-trip; moves apply only on the expected version, with their entries.
pub async fn escrows_move_by_compare_and_set(store: Arc<dyn Store>) {
    let e = escrow(&store).await;
    let created = store
        .create_escrow(
            &e,
            idem("open", "open"),
            event("escrow.opened", e.id.as_str()),
        )
        .await
        .expect("create");
    assert_eq!(created, IdempotentOutcome::Applied);
    assert_eq!(
        store.escrow_by_id(&e.id).await.expect("get"),
        Some(e.clone())
    );
    let dup = store
        .create_escrow(
            &e,
            idem("open2", "open2"),
            event("escrow.opened", e.id.as_str()),
        )
        .await;
    assert!(matches!(
        dup,
        Err(msme_core::error::StoreError::Duplicate("escrow"))
    ));
    let ctx = EntryContext {
        idempotency_key: key("fund"),
        at: at(2),
    };
    let source = GatewayName::parse("sandbox").expect("name");
    let t = e
        .apply(&EscrowCommand::Fund { source }, &ctx)
        .expect("fund");
    let fund = |expected| {
        let audit = event("escrow.funded", "x");
        store.update_escrow(&t.escrow, expected, &t.entries, idem("fund", "f"), audit)
    };
    let stale = fund(7).await.expect("stale");
    assert_eq!(stale, IdempotentOutcome::StaleVersion);
    assert_eq!(
        store.idempotency_record(&key("fund")).await.expect("key"),
        None
    );
    let moved = fund(1).await.expect("update");
    assert_eq!(moved, IdempotentOutcome::Applied);
    assert_eq!(
        store.escrow_by_id(&e.id).await.expect("get"),
        Some(t.escrow.clone())
    );
    let b = store.balances(&[e.account()]).await.expect("balance");
    assert_eq!(b.normal(&e.account()), Paise::new(1_000_00));
    assert_eq!(
        store.escrows_page(None, 10).await.expect("page"),
        [t.escrow]
    );
    assert_eq!(
        store
            .escrow_by_id(&msme_core::ledger::EscrowId::generate())
            .await
            .expect("none"),
        None
    );
}

/// Starts a payout of 600 from a payable of 1 000, stored with its entry.
async fn started_payout(store: &Arc<dyn Store>, seller: &LedgerAccount) -> Payout {
    fund(store, seller, 1000).await;
    let b = store
        .balances(std::slice::from_ref(seller))
        .await
        .expect("balance");
    let ctx = EntryContext {
        idempotency_key: key("p1"),
        at: at(3),
    };
    let gw = GatewayName::parse("sandbox").expect("name");
    let id = PayoutId::generate();
    let (p, entry) =
        Payout::start(id, seller.clone(), Paise::new(600), gw, &b, &ctx).expect("start");
    let outcome = store
        .create_payout(
            &p,
            &entry,
            idem("p1", "p1"),
            event("payout.started", p.id.as_str()),
        )
        .await
        .expect("create");
    assert_eq!(outcome, IdempotentOutcome::Applied);
    p
}

/// A payout moves payable → transit with its entry and is due at once; a second one that no
/// longer fits the payable is refused, even when built from a balance read before the first.
pub async fn payouts_start_and_never_overdraw(store: Arc<dyn Store>) {
    let seller = payable(&UserId::generate());
    let p = started_payout(&store, &seller).await;
    assert_eq!(
        store.payout_by_id(&p.id).await.expect("get"),
        Some(p.clone())
    );
    let due = store.payouts_due(at(3), 10).await.expect("due");
    assert_eq!(due, std::slice::from_ref(&p));
    assert!(store
        .payouts_due(at(2), 10)
        .await
        .expect("not yet")
        .is_empty());
    // The balance as read before the first payout: 1 000 available.
    let before = AccountBalance {
        credits_posted: Paise::new(1000),
        ..AccountBalance::default()
    };
    let stale_view = Balances::from_stored([(seller.clone(), before)]);
    let ctx = EntryContext {
        idempotency_key: key("p2"),
        at: at(3),
    };
    let gw = GatewayName::parse("sandbox").expect("name");
    let (p2, e2) = Payout::start(
        PayoutId::generate(),
        seller.clone(),
        Paise::new(600),
        gw,
        &stale_view,
        &ctx,
    )
    .expect("start");
    let refused = store
        .create_payout(
            &p2,
            &e2,
            idem("p2", "p2"),
            event("payout.started", p2.id.as_str()),
        )
        .await
        .expect("refused");
    assert!(
        matches!(refused, IdempotentOutcome::Overdrawn { .. }),
        "{refused:?}"
    );
    assert_eq!(store.payout_by_id(&p2.id).await.expect("get"), None);
}

/// A payout is deferred, then settled, each only on the version it was read at.
pub async fn payouts_move_by_compare_and_set(store: Arc<dyn Store>) {
    let seller = payable(&UserId::generate());
    let p = started_payout(&store, &seller).await;
    let mut waiting = p.deferred("processing".into(), at(4)).expect("defer");
    waiting.gateway_ref = Some("pout_1".into());
    let deferred = store
        .update_payout(
            &waiting,
            1,
            None,
            idem("p1.v1", "d"),
            event("payout.deferred", "p"),
        )
        .await
        .expect("defer");
    assert_eq!(deferred, IdempotentOutcome::Applied);
    let ctx = EntryContext {
        idempotency_key: key("p1.v2"),
        at: at(5),
    };
    let (settled, e3) = waiting.settle(&ctx).expect("settle");
    let settle = |expected| {
        let audit = event("payout.settled", "p");
        store.update_payout(&settled, expected, Some(&e3), idem("p1.v2", "s"), audit)
    };
    let stale = settle(1).await.expect("stale");
    assert_eq!(stale, IdempotentOutcome::StaleVersion);
    let ok = settle(2).await.expect("settle");
    assert_eq!(ok, IdempotentOutcome::Applied);
    let back = store
        .payout_by_id(&p.id)
        .await
        .expect("get")
        .expect("stored");
    let state = (back.state, back.gateway_ref.as_deref(), back.attempts);
    assert_eq!(state, (PayoutState::Settled, Some("pout_1"), 1));
    let all = std::slice::from_ref(&back);
    assert_eq!(store.payouts_of(&seller).await.expect("of"), all);
    assert_eq!(store.payouts_page(None, 10).await.expect("page"), all);
    let b = store
        .balances(&[seller.clone(), LedgerAccount::PayoutsInTransit])
        .await
        .expect("b");
    assert_eq!(b.normal(&seller), Paise::new(400));
    assert_eq!(b.normal(&LedgerAccount::PayoutsInTransit), Paise::ZERO);
}
