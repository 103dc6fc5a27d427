//! Cases for [`EventStore`](msme_core::ports::EventStore): leases, compare-and-set cursors,
//! dead letters and the event signal.

use std::sync::Arc;
use std::time::Duration;

use msme_core::ports::{Advance, ConsumerState, DeadLetter, Lease, Store};
use tokio::task::JoinSet;

use crate::fixtures::{at, event};

const CONSUMER: &str = "search";

/// `worker`'s lease of [`CONSUMER`] asked at `at(now)`, lasting 30 seconds.
fn lease(worker: &str, now: i64) -> Lease<'_> {
    Lease {
        consumer: CONSUMER,
        worker,
        now: at(now),
        until: at(now + 30),
    }
}

fn dead(seq: i64, secs: i64) -> DeadLetter {
    DeadLetter {
        consumer: CONSUMER.to_string(),
        seq,
        action: "listing.publish".to_string(),
        error: format!("index refused event {seq}: \"disk full\" ✓"),
        attempts: 5,
        at: at(secs),
    }
}

async fn state(store: &Arc<dyn Store>, consumer: &str) -> ConsumerState {
    let states = store.consumer_states().await.expect("consumer states");
    states
        .into_iter()
        .find(|s| s.consumer == consumer)
        .expect("consumer is known")
}

/// A new consumer starts at 0; while A's lease lives B is refused, once it expired B takes it;
/// a holder renews its own lease.
pub async fn leases_are_exclusive_until_they_expire(store: Arc<dyn Store>) {
    assert!(store.consumer_states().await.expect("states").is_empty());
    assert_eq!(
        store.lease_consumer(lease("a", 0)).await.expect("a"),
        Some(0)
    );
    let s = state(&store, CONSUMER).await;
    assert_eq!(
        (s.cursor, s.lease_owner.as_deref(), s.lease_until),
        (0, Some("a"), Some(at(30)))
    );
    assert_eq!((s.handled, s.dead_letters), (0, 0));
    assert_eq!(store.lease_consumer(lease("b", 10)).await.expect("b"), None);
    assert_eq!(store.lease_consumer(lease("b", 29)).await.expect("b"), None);
    assert_eq!(
        state(&store, CONSUMER).await.lease_owner.as_deref(),
        Some("a")
    );
    assert_eq!(
        store.lease_consumer(lease("a", 20)).await.expect("renew"),
        Some(0)
    );
    assert_eq!(state(&store, CONSUMER).await.lease_until, Some(at(50)));
    assert_eq!(store.lease_consumer(lease("b", 49)).await.expect("b"), None);
    assert_eq!(
        store.lease_consumer(lease("b", 50)).await.expect("expired"),
        Some(0),
        "a lease is over at its `until`"
    );
    let s = state(&store, CONSUMER).await;
    assert_eq!(
        (s.lease_owner.as_deref(), s.lease_until),
        (Some("b"), Some(at(80)))
    );
    assert_eq!(store.lease_consumer(lease("a", 60)).await.expect("a"), None);
    assert_eq!(store.consumer_states().await.expect("states").len(), 1);
}

/// Of many workers asking at once for a free lease, exactly one gets it.
pub async fn one_of_many_concurrent_leases_wins(store: Arc<dyn Store>) {
    let mut tasks = JoinSet::new();
    for n in 0..12 {
        let store = store.clone();
        tasks.spawn(async move {
            let worker = format!("w{n}");
            let got = store.lease_consumer(lease(&worker, 0)).await;
            (worker, got.expect("lease"))
        });
    }
    let winners: Vec<String> = tasks
        .join_all()
        .await
        .into_iter()
        .filter_map(|(worker, got)| got.map(|_| worker))
        .collect();
    assert_eq!(winners.len(), 1, "winners: {winners:?}");
    let s = state(&store, CONSUMER).await;
    assert_eq!(s.lease_owner.as_ref(), winners.first());
}

/// The cursor moves only for the lease holder and from where it stands; a refused advance
/// writes nothing. An applied one renews the lease, counts the events and records the dead
/// letters, which list newest first, count per consumer and are removed once.
pub async fn advance_is_compare_and_set_and_records_dead_letters(store: Arc<dyn Store>) {
    store.lease_consumer(lease("a", 0)).await.expect("lease");
    let letters = [dead(3, 100), dead(5, 102), dead(4, 101)];
    let batch = |from| Advance {
        from,
        to: 6,
        events: 6,
        dead: &letters,
    };
    let before = state(&store, CONSUMER).await;
    assert!(!store
        .advance_consumer(lease("a", 5), batch(2))
        .await
        .expect("wrong from"));
    assert!(!store
        .advance_consumer(lease("b", 5), batch(0))
        .await
        .expect("not the holder"));
    assert_eq!(
        state(&store, CONSUMER).await,
        before,
        "refusals write nothing"
    );
    assert!(store.dead_letters(None, 10).await.expect("none").is_empty());

    assert!(store
        .advance_consumer(lease("a", 5), batch(0))
        .await
        .expect("advance"));
    let s = state(&store, CONSUMER).await;
    assert_eq!(
        (s.cursor, s.handled, s.dead_letters, s.lease_until),
        (6, 6, 3, Some(at(35)))
    );
    assert_eq!(s.lease_owner.as_deref(), Some("a"));
    assert_eq!(store.consumer_cursor(CONSUMER).await.expect("cursor"), 6);
    let listed = store
        .dead_letters(Some(CONSUMER), 10)
        .await
        .expect("listed");
    assert_eq!(listed, [dead(5, 102), dead(4, 101), dead(3, 100)]);
    assert_eq!(
        store.dead_letters(None, 2).await.expect("all")[..],
        listed[..2]
    );
    assert!(store
        .dead_letters(Some("webhooks"), 10)
        .await
        .expect("other")
        .is_empty());

    let again = [DeadLetter {
        attempts: 7,
        ..dead(7, 103)
    }];
    let next = Advance {
        from: 6,
        to: 9,
        events: 3,
        dead: &again,
    };
    assert!(store
        .advance_consumer(lease("a", 6), next)
        .await
        .expect("advance"));
    let s = state(&store, CONSUMER).await;
    assert_eq!((s.cursor, s.handled, s.dead_letters), (9, 9, 4));
    assert_eq!(
        store.dead_letters(None, 1).await.expect("newest")[..],
        again[..]
    );

    assert!(store.remove_dead_letter(CONSUMER, 4).await.expect("remove"));
    assert!(!store.remove_dead_letter(CONSUMER, 4).await.expect("twice"));
    assert!(!store
        .remove_dead_letter("webhooks", 5)
        .await
        .expect("other"));
    assert_eq!(state(&store, CONSUMER).await.dead_letters, 3);
    let seqs: Vec<i64> = store
        .dead_letters(Some(CONSUMER), 10)
        .await
        .expect("listed")
        .iter()
        .map(|d| d.seq)
        .collect();
    assert_eq!(seqs, [7, 5, 3]);
}

/// A released lease can be taken by another worker at once; releasing someone else's does
/// nothing.
pub async fn release_frees_the_lease_at_once(store: Arc<dyn Store>) {
    store.lease_consumer(lease("a", 0)).await.expect("lease");
    store
        .release_consumer(CONSUMER, "b")
        .await
        .expect("not b's");
    assert_eq!(store.lease_consumer(lease("b", 1)).await.expect("b"), None);
    store
        .release_consumer(CONSUMER, "a")
        .await
        .expect("release");
    let s = state(&store, CONSUMER).await;
    assert_eq!((s.lease_owner, s.lease_until), (None, None));
    assert_eq!(
        store.lease_consumer(lease("b", 2)).await.expect("b"),
        Some(0)
    );
    assert_eq!(
        state(&store, CONSUMER).await.lease_owner.as_deref(),
        Some("b")
    );
}

/// An operator moving the cursor keeps the lease, and the holder's next advance from where it
/// was is refused: it re-reads from the new cursor.
pub async fn set_consumer_cursor_keeps_the_lease(store: Arc<dyn Store>) {
    store.lease_consumer(lease("a", 0)).await.expect("lease");
    store.set_consumer_cursor(CONSUMER, 40).await.expect("set");
    let s = state(&store, CONSUMER).await;
    assert_eq!(
        (s.cursor, s.lease_owner.as_deref(), s.lease_until),
        (40, Some("a"), Some(at(30)))
    );
    let stale = Advance {
        from: 0,
        to: 3,
        events: 3,
        dead: &[],
    };
    assert!(!store
        .advance_consumer(lease("a", 1), stale)
        .await
        .expect("stale"));
    assert_eq!(
        store.lease_consumer(lease("a", 2)).await.expect("a"),
        Some(40)
    );
    let fresh = Advance {
        from: 40,
        to: 41,
        events: 1,
        dead: &[],
    };
    assert!(store
        .advance_consumer(lease("a", 3), fresh)
        .await
        .expect("fresh"));
    assert_eq!(store.consumer_cursor(CONSUMER).await.expect("cursor"), 41);
    // A consumer first named by an operator can be leased from there.
    store.set_consumer_cursor("webhooks", 7).await.expect("set");
    let webhooks = Lease {
        consumer: "webhooks",
        ..lease("b", 0)
    };
    assert_eq!(store.lease_consumer(webhooks).await.expect("b"), Some(7));
}

/// The signal's value changes after each commit that appends an audit entry, within 5 s.
pub async fn event_signal_changes_after_an_audited_commit(store: Arc<dyn Store>) {
    let mut rx = store.event_signal();
    for n in 0..3 {
        rx.borrow_and_update();
        store
            .append_audit(event("audit.export", &format!("e{n}")))
            .await
            .expect("append");
        tokio::time::timeout(Duration::from_secs(5), rx.changed())
            .await
            .unwrap_or_else(|_| panic!("no signal within 5 s after append {n}"))
            .expect("the store keeps the signal open");
    }
}
