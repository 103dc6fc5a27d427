//! Cases for [`LedgerStore`](msme_core::ledger::LedgerStore): entries, derived balances, the
//! overdraft guard, idempotency, escrows and payouts by compare-and-set. Holds, concurrency and
//! the sandbox's books are in [`crate::ledger_more`]; escrows and payouts in
//! [`crate::ledger_rows`].

use std::sync::Arc;

use msme_core::ledger::{IdempotentOutcome, LedgerAccount};
use msme_core::money::Paise;
use msme_core::ports::Store;
use msme_core::types::UserId;

use crate::fixtures::{assert_appended, at, event, head_seq};
use crate::ledger_fixtures::{clearing, fund, idem, key, normal_balance, payable, transfer};

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
    assert_eq!(normal_balance(&store, &never).await, Paise::ZERO);
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
    assert_eq!(normal_balance(&store, &seller).await, Paise::new(500));
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
    assert_eq!(normal_balance(&store, &seller).await, Paise::new(500));
}

/// Taking more than a guarded account holds is refused inside the transaction, key included:
/// the same key may then be used for a request that fits.
pub async fn overdrawing_a_guarded_account_is_refused(store: Arc<dyn Store>) {
    let seller = payable(&UserId::generate());
    fund(&store, &seller, 1000).await;
    let before = head_seq(&store).await;
    let spend = |amount: i64| {
        let out = transfer("spend", &seller, &LedgerAccount::PayoutsInTransit, amount);
        let (idem, audit) = (
            idem("spend", &amount.to_string()),
            event("ledger.posted", "spend"),
        );
        let store = store.clone();
        async move { store.post_entries(&[out], idem, audit).await }
    };
    let outcome = spend(1001).await.expect("refused");
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
    let outcome = spend(1000).await.expect("fits");
    assert_eq!(outcome, IdempotentOutcome::Applied);
    assert_eq!(normal_balance(&store, &seller).await, Paise::ZERO);
}
