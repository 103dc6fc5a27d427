//! Cases for [`LedgerStore`](msme_core::ledger::LedgerStore): entries, derived balances, the
//! overdraft guard, idempotency, escrows and payouts by compare-and-set. Holds, concurrency and
//! the sandbox's books are in [`crate::ledger_more`].

use std::sync::Arc;

use msme_core::ledger::{
    EntryContext, EscrowCommand, GatewayName, IdempotentOutcome, LedgerAccount, Payout, PayoutId,
    PayoutState,
};
use msme_core::money::Paise;
use msme_core::ports::Store;
use msme_core::types::UserId;

use crate::fixtures::{assert_appended, at, event, head_seq};
use crate::ledger_fixtures::{clearing, escrow, fund, idem, key, payable, transfer};

/// Entries come back in commit order, exactly; balances, statements and the derived table
/// follow; one audit entry per write.
pub async fn posted_entries_round_trip_with_balances(store: Arc<dyn Store>) {
    let seller = payable(&UserId::generate());
    let before = head_seq(&store).await;
    let first = transfer("k1", &clearing(), &seller, 700);
    let second = transfer("k2", &clearing(), &seller, 300);
    for (e, k) in [(&first, "k1"), (&second, "k2")] {
        let outcome = store
            .post_entries(
                std::slice::from_ref(e),
                idem(k, k),
                event("ledger.posted", k),
            )
            .await
            .expect("post");
        assert_eq!(outcome, IdempotentOutcome::Applied);
    }
    assert_appended(&store, before, 2, "post_entries").await;
    let page = store.entries_page(0, 10).await.expect("entries");
    let seqs: Vec<i64> = page.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [1, 2]);
    let back: Vec<_> = page
        .into_iter()
        .map(|e| e.checked().expect("balanced"))
        .collect();
    assert_eq!(back, [first, second]);
    assert_eq!(store.entries_page(1, 10).await.expect("after").len(), 1);
    let b = store
        .balances(&[seller.clone(), clearing()])
        .await
        .expect("balances");
    assert_eq!(b.normal(&seller), Paise::new(1000));
    assert_eq!(b.normal(&clearing()), Paise::new(1000));
    assert_eq!(b.total_net(), 0);
    let lines = store
        .statement_lines(&seller, 0, 10)
        .await
        .expect("statement");
    let amounts: Vec<i64> = lines.iter().map(|l| l.amount.get()).collect();
    assert_eq!(amounts, [700, 300]);
    assert_eq!(lines[0].at, at(1), "times keep microseconds");
    let stored = store.stored_balances(None, 10).await.expect("stored");
    assert_eq!(stored.len(), 2);
    let never = payable(&UserId::generate());
    let zero = store
        .balances(std::slice::from_ref(&never))
        .await
        .expect("zero");
    assert_eq!(zero.normal(&never), Paise::ZERO);
}

/// The same key and request again: the first response, nothing written.
pub async fn same_key_same_request_replays_without_writing(store: Arc<dyn Store>) {
    let seller = payable(&UserId::generate());
    let e = transfer("k", &clearing(), &seller, 500);
    let first = store
        .post_entries(
            std::slice::from_ref(&e),
            idem("k", "a"),
            event("ledger.posted", "k"),
        )
        .await
        .expect("post");
    assert_eq!(first, IdempotentOutcome::Applied);
    let before = head_seq(&store).await;
    let again = transfer("k", &clearing(), &seller, 500);
    let replay = store
        .post_entries(&[again], idem("k", "a"), event("ledger.posted", "k"))
        .await
        .expect("replay");
    let response_json = idem("k", "a").response_json;
    assert_eq!(replay, IdempotentOutcome::Replayed { response_json });
    assert_appended(&store, before, 0, "a replay").await;
    assert_eq!(store.entries_page(0, 10).await.expect("entries").len(), 1);
    let b = store
        .balances(std::slice::from_ref(&seller))
        .await
        .expect("balance");
    assert_eq!(b.normal(&seller), Paise::new(500));
    let record = store.idempotency_record(&key("k")).await.expect("record");
    assert_eq!(
        record.expect("stored").fingerprint,
        idem("k", "a").fingerprint
    );
    assert_eq!(
        store.idempotency_record(&key("nope")).await.expect("none"),
        None
    );
}

/// The same key with a different request: a conflict, nothing written.
pub async fn same_key_different_request_conflicts(store: Arc<dyn Store>) {
    let seller = payable(&UserId::generate());
    let e = transfer("k", &clearing(), &seller, 500);
    store
        .post_entries(&[e], idem("k", "a"), event("ledger.posted", "k"))
        .await
        .expect("post");
    let before = head_seq(&store).await;
    let other = transfer("k", &clearing(), &seller, 900);
    let outcome = store
        .post_entries(&[other], idem("k", "b"), event("ledger.posted", "k"))
        .await
        .expect("conflict");
    assert_eq!(outcome, IdempotentOutcome::Conflict);
    assert_appended(&store, before, 0, "a conflict").await;
    let b = store
        .balances(std::slice::from_ref(&seller))
        .await
        .expect("balance");
    assert_eq!(b.normal(&seller), Paise::new(500));
}

/// Taking more than a guarded account holds is refused inside the transaction, key included:
/// the same key may then be used for a request that fits.
pub async fn overdrawing_a_guarded_account_is_refused(store: Arc<dyn Store>) {
    let seller = payable(&UserId::generate());
    fund(&store, &seller, 1000).await;
    let before = head_seq(&store).await;
    let out = transfer("spend", &seller, &LedgerAccount::PayoutsInTransit, 1001);
    let outcome = store
        .post_entries(
            &[out],
            idem("spend", "1001"),
            event("ledger.posted", "spend"),
        )
        .await
        .expect("refused");
    assert_eq!(
        outcome,
        IdempotentOutcome::Overdrawn {
            account: seller.clone(),
            available: Paise::new(1000),
            needed: Paise::new(1001),
        }
    );
    assert_appended(&store, before, 0, "a refused overdraft").await;
    assert_eq!(
        store.idempotency_record(&key("spend")).await.expect("key"),
        None
    );
    let fits = transfer("spend", &seller, &LedgerAccount::PayoutsInTransit, 1000);
    let outcome = store
        .post_entries(
            &[fits],
            idem("spend", "1000"),
            event("ledger.posted", "spend"),
        )
        .await
        .expect("fits");
    assert_eq!(outcome, IdempotentOutcome::Applied);
    let b = store
        .balances(std::slice::from_ref(&seller))
        .await
        .expect("balance");
    assert_eq!(b.normal(&seller), Paise::ZERO);
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
    let stale = store
        .update_escrow(
            &t.escrow,
            7,
            &t.entries,
            idem("fund", "f"),
            event("escrow.funded", "x"),
        )
        .await
        .expect("stale");
    assert_eq!(stale, IdempotentOutcome::StaleVersion);
    assert_eq!(
        store.idempotency_record(&key("fund")).await.expect("key"),
        None
    );
    let moved = store
        .update_escrow(
            &t.escrow,
            1,
            &t.entries,
            idem("fund", "f"),
            event("escrow.funded", "x"),
        )
        .await
        .expect("update");
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

/// A payout moves payable → transit with its entry, then settles by compare-and-set; it cannot
/// start for more than the payable holds.
pub async fn payouts_start_move_and_never_overdraw(store: Arc<dyn Store>) {
    let seller = payable(&UserId::generate());
    fund(&store, &seller, 1000).await;
    let b = store
        .balances(std::slice::from_ref(&seller))
        .await
        .expect("balance");
    let ctx = EntryContext {
        idempotency_key: key("p1"),
        at: at(3),
    };
    let gw = GatewayName::parse("sandbox").expect("name");
    let (p, entry) = Payout::start(
        PayoutId::generate(),
        seller.clone(),
        Paise::new(600),
        gw.clone(),
        &b,
        &ctx,
    )
    .expect("start");
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
    assert_eq!(
        store.payout_by_id(&p.id).await.expect("get"),
        Some(p.clone())
    );
    assert_eq!(
        store.payouts_due(at(3), 10).await.expect("due"),
        [p.clone()]
    );
    assert!(store
        .payouts_due(at(2), 10)
        .await
        .expect("not yet")
        .is_empty());
    // A second payout of 600 no longer fits (400 left), though `b` was read before the first.
    let ctx2 = EntryContext {
        idempotency_key: key("p2"),
        at: at(3),
    };
    let (p2, e2) = Payout::start(
        PayoutId::generate(),
        seller.clone(),
        Paise::new(600),
        gw,
        &b,
        &ctx2,
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
    let ctx3 = EntryContext {
        idempotency_key: key("p1.v2"),
        at: at(5),
    };
    let (settled, e3) = waiting.settle(&ctx3).expect("settle");
    let stale = store
        .update_payout(
            &settled,
            1,
            Some(&e3),
            idem("p1.v2", "s"),
            event("payout.settled", "p"),
        )
        .await
        .expect("stale");
    assert_eq!(stale, IdempotentOutcome::StaleVersion);
    let ok = store
        .update_payout(
            &settled,
            2,
            Some(&e3),
            idem("p1.v2", "s"),
            event("payout.settled", "p"),
        )
        .await
        .expect("settle");
    assert_eq!(ok, IdempotentOutcome::Applied);
    let back = store
        .payout_by_id(&p.id)
        .await
        .expect("get")
        .expect("stored");
    assert_eq!(
        (back.state, back.gateway_ref.as_deref()),
        (PayoutState::Settled, Some("pout_1"))
    );
    assert_eq!(store.payouts_of(&seller).await.expect("of"), [back.clone()]);
    assert_eq!(store.payouts_page(None, 10).await.expect("page"), [back]);
    let b = store
        .balances(&[seller.clone(), LedgerAccount::PayoutsInTransit])
        .await
        .expect("b");
    assert_eq!(b.normal(&seller), Paise::new(400));
    assert_eq!(b.normal(&LedgerAccount::PayoutsInTransit), Paise::ZERO);
}
