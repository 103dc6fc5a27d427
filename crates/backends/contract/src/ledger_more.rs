//! More [`LedgerStore`](msme_core::ledger::LedgerStore) cases: two-phase holds, concurrency
//! (one key, many requests; many keys reused at random).

use std::collections::HashSet;
use std::sync::Arc;

use msme_core::ledger::{
    EntryContext, Hold, HoldId, HoldState, IdempotentOutcome, LedgerAccount, Payout, PayoutId,
};
use msme_core::money::Paise;
use msme_core::ports::Store;
use msme_core::types::UserId;
use tokio::task::JoinSet;

use crate::fixtures::{assert_appended, at, event, head_seq};
use crate::ledger_fixtures::{
    applied, clearing, fund, idem, key, normal_balance, payable, transfer,
};

/// Reserves `amount` from `from` to transit as a stored pending hold.
async fn stored_hold(store: &Arc<dyn Store>, from: &LedgerAccount, amount: i64, k: &str) -> Hold {
    let b = store.balances(std::slice::from_ref(from)).await.expect("b");
    let transit = LedgerAccount::PayoutsInTransit;
    let id = HoldId::generate();
    let h = Hold::reserve(
        id,
        from.clone(),
        transit,
        Paise::new(amount),
        Some(at(9)),
        &b,
    )
    .expect("reserve");
    let outcome = store
        .create_hold(&h, idem(k, k), event("hold.reserved", h.id.as_str()))
        .await
        .expect("hold");
    assert_eq!(outcome, IdempotentOutcome::Applied);
    h
}

/// A pending hold reserves without posting; a hold cannot reserve more than is available;
/// posting part of it moves only that part and releases the rest, once.
pub async fn holds_reserve_and_post_part(store: Arc<dyn Store>) {
    let seller = payable(&UserId::generate());
    let transit = LedgerAccount::PayoutsInTransit;
    fund(&store, &seller, 1000).await;
    let h = stored_hold(&store, &seller, 600, "h1").await;
    assert_eq!(store.hold_by_id(&h.id).await.expect("get"), Some(h.clone()));
    let b = store
        .balances(std::slice::from_ref(&seller))
        .await
        .expect("b");
    let seen = (b.normal(&seller), b.available(&seller));
    assert_eq!(seen, (Paise::new(1000), Paise::new(400)));
    let mut too_big = h.clone();
    (too_big.id, too_big.amount) = (HoldId::generate(), Paise::new(401));
    let refused = store
        .create_hold(&too_big, idem("h2", "h2"), event("hold.reserved", "h"))
        .await
        .expect("refused");
    assert!(
        matches!(refused, IdempotentOutcome::Overdrawn { .. }),
        "{refused:?}"
    );
    let ctx = EntryContext {
        idempotency_key: key("h1.post"),
        at: at(4),
    };
    let (posted, entry) = h.post(Paise::new(250), &ctx).expect("post");
    let write = |k: &'static str| {
        let (store, posted, entry) = (store.clone(), posted.clone(), entry.clone());
        async move {
            let audit = event("hold.posted", posted.id.as_str());
            store
                .update_hold(&posted, 1, Some(&entry), idem(k, "p"), audit)
                .await
        }
    };
    assert_eq!(
        write("h1.post").await.expect("post"),
        IdempotentOutcome::Applied
    );
    let again = write("h1.post.again").await.expect("stale");
    assert_eq!(again, IdempotentOutcome::StaleVersion);
    let b = store
        .balances(&[seller.clone(), transit.clone()])
        .await
        .expect("b");
    let seen = (b.normal(&seller), b.available(&seller));
    assert_eq!(seen, (Paise::new(750), Paise::new(750)));
    assert_eq!(b.normal(&transit), Paise::new(250));
    let stored = store.hold_by_id(&h.id).await.expect("get").expect("stored");
    assert_eq!(stored.state, HoldState::Posted(Paise::new(250)));
}

/// A void releases the whole reservation; only pending holds are listed as pending.
pub async fn holds_void_and_list(store: Arc<dyn Store>) {
    let seller = payable(&UserId::generate());
    fund(&store, &seller, 1000).await;
    let kept = stored_hold(&store, &seller, 300, "h1").await;
    let h = stored_hold(&store, &seller, 400, "h2").await;
    let mut pending = store.holds(None, 10, true).await.expect("pending");
    pending.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(pending, [kept.clone(), h.clone()]);
    let voided = h.void().expect("void");
    store
        .update_hold(
            &voided,
            1,
            None,
            idem("h2.void", "v"),
            event("hold.voided", "h"),
        )
        .await
        .expect("void");
    let pending = store.holds(None, 10, true).await.expect("pending");
    assert_eq!(pending, std::slice::from_ref(&kept));
    assert_eq!(store.holds(None, 10, false).await.expect("all").len(), 2);
    let after = store.holds(Some(&kept.id), 10, false).await.expect("after");
    assert_eq!(after, std::slice::from_ref(&voided));
    let b = store
        .balances(std::slice::from_ref(&seller))
        .await
        .expect("b");
    assert_eq!(b.available(&seller), Paise::new(700));
}

/// Ten requests at once with one key and one request: exactly one applies, the rest replay.
pub async fn concurrent_requests_with_one_key_apply_once(store: Arc<dyn Store>) {
    let seller = payable(&UserId::generate());
    let before = head_seq(&store).await;
    let mut tasks = JoinSet::new();
    for _ in 0..10 {
        let (store, seller) = (store.clone(), seller.clone());
        tasks.spawn(async move {
            let e = transfer("one-key", &clearing(), &seller, 100);
            store
                .post_entries(&[e], idem("one-key", "x"), event("ledger.posted", "k"))
                .await
        });
    }
    let (applied, outcomes) = applied(tasks.join_all().await);
    assert_eq!(applied, 1, "{outcomes:?}");
    assert!(outcomes.iter().all(|o| matches!(
        o,
        IdempotentOutcome::Applied | IdempotentOutcome::Replayed { .. }
    )));
    assert_appended(&store, before, 1, "ten requests with one key").await;
    assert_eq!(normal_balance(&store, &seller).await, Paise::new(100));
}

/// Fifty posts at once, their keys drawn at random from twelve: each key acts exactly once,
/// and the balance is exactly the sum of the requests that applied.
pub async fn fifty_concurrent_posts_with_reused_keys_apply_each_key_once(store: Arc<dyn Store>) {
    let seller = payable(&UserId::generate());
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15 ^ u64::from(std::process::id());
    let mut tasks = JoinSet::new();
    for _ in 0..50 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let k = format!("reused-{}", seed % 12);
        let (store, seller) = (store.clone(), seller.clone());
        tasks.spawn(async move {
            // One request per key: the amount is a function of the key.
            let amount = 100 + k.len() as i64 + i64::from(k.as_bytes()[k.len() - 1]);
            let e = transfer(&k, &clearing(), &seller, amount);
            let out = store
                .post_entries(&[e], idem(&k, &k), event("ledger.posted", &k))
                .await;
            (k, amount, out.expect("post"))
        });
    }
    let results = tasks.join_all().await;
    let keys: HashSet<&String> = results.iter().map(|(k, _, _)| k).collect();
    let applied: Vec<_> = results
        .iter()
        .filter(|(_, _, o)| *o == IdempotentOutcome::Applied)
        .collect();
    assert_eq!(applied.len(), keys.len(), "each key applied exactly once");
    let expected: i64 = applied.iter().map(|(_, a, _)| a).sum();
    assert_eq!(normal_balance(&store, &seller).await, Paise::new(expected));
    let entries = store.entries_page(0, 1000).await.expect("entries");
    assert_eq!(entries.len(), keys.len());
    let seqs: Vec<i64> = entries.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=keys.len() as i64).collect::<Vec<_>>(), "gapless");
}

/// Twenty payouts of 100 race for a payable of 1 000: exactly ten start.
pub async fn concurrent_payouts_cannot_overdraw_a_payable(store: Arc<dyn Store>) {
    let seller = payable(&UserId::generate());
    fund(&store, &seller, 1000).await;
    let b = store
        .balances(std::slice::from_ref(&seller))
        .await
        .expect("b");
    let mut tasks = JoinSet::new();
    for i in 0..20 {
        let (store, seller, b) = (store.clone(), seller.clone(), b.clone());
        tasks.spawn(async move {
            let k = format!("race-{i}");
            let ctx = EntryContext {
                idempotency_key: key(&k),
                at: at(3),
            };
            let gw = msme_core::ledger::GatewayName::parse("sandbox").expect("gw");
            let (p, e) = Payout::start(PayoutId::generate(), seller, Paise::new(100), gw, &b, &ctx)
                .expect("start");
            store
                .create_payout(&p, &e, idem(&k, &k), event("payout.started", p.id.as_str()))
                .await
        });
    }
    let (started, outcomes) = applied(tasks.join_all().await);
    assert_eq!(started, 10, "{outcomes:?}");
    assert_eq!(normal_balance(&store, &seller).await, Paise::ZERO);
}
