//! Cases for the runtime ([`msme_core::runtime`]) on a real store: what an embedder's consumer
//! sees, retries and dead letters, and two workers on one store.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use msme_core::clock::SystemClock;
use msme_core::events::Event;
use msme_core::ports::{EventLog, Store};
use msme_core::runtime::{Consumer, HandlerError, Runtime, RuntimeOptions};

use crate::fixtures::event;

/// Fast pacing, so the cases take milliseconds.
fn options() -> RuntimeOptions {
    RuntimeOptions {
        batch: 100,
        poll: Duration::from_millis(20),
        lease: Duration::from_secs(30),
        attempts: 3,
        backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
    }
}

fn runtime(store: &Arc<dyn Store>, consumer: Arc<dyn Consumer>) -> Runtime {
    let log: Arc<dyn EventLog> = store.clone();
    Runtime::new(log, Arc::new(SystemClock))
        .options(options())
        .with(consumer)
}

/// Records what it was handed; fails on `bad.event` while `broken`, and answers `Retry` for
/// its first `unavailable` calls.
#[derive(Default)]
struct Recorder {
    seen: Mutex<Vec<i64>>,
    broken: AtomicBool,
    bad_attempts: AtomicU32,
    unavailable: AtomicU32,
}

#[async_trait::async_trait]
impl Consumer for Recorder {
    fn name(&self) -> &str {
        "embedder"
    }

    fn wants(&self, e: &Event) -> bool {
        e.action != "skipped.event"
    }

    async fn handle(&self, events: &[Event]) -> Result<(), HandlerError> {
        if self
            .unavailable
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return Err(HandlerError::Retry("the index is restarting".into()));
        }
        if self.broken.load(Ordering::SeqCst) && events.iter().any(|e| e.action == "bad.event") {
            self.bad_attempts.fetch_add(1, Ordering::SeqCst);
            return Err(HandlerError::Failed("cannot handle a bad event".into()));
        }
        let mut seen = self.seen.lock().unwrap();
        seen.extend(events.iter().map(|e| e.seq));
        Ok(())
    }
}

async fn append(store: &Arc<dyn Store>, actions: impl IntoIterator<Item = &str>) {
    for (i, action) in actions.into_iter().enumerate() {
        store
            .append_audit(event(action, &format!("e{i}")))
            .await
            .expect("append");
    }
}

/// Runs `rt` until `done` holds (checked every 10 ms, at most 30 s), then stops it.
async fn run_until(rt: &Runtime, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    rt.run(async {
        while !done() {
            assert!(Instant::now() < deadline, "the runtime never got there");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
}

pub async fn an_embedders_consumer_sees_every_wanted_event_once_in_order(store: Arc<dyn Store>) {
    let actions: Vec<&str> = (0..250)
        .map(|i| match i % 5 {
            0 => "skipped.event",
            _ => "listing.updated",
        })
        .collect();
    append(&store, actions).await;
    let rec = Arc::new(Recorder::default());
    let rt = runtime(&store, rec.clone());
    run_until(&rt, || rec.seen.lock().unwrap().len() == 200).await;
    let seen = rec.seen.lock().unwrap().clone();
    let wanted: Vec<i64> = (1..=250).filter(|s| (s - 1) % 5 != 0).collect();
    assert_eq!(seen, wanted, "in order, unwanted ones passed over");

    // The cursor stands at the head: a second run hands nothing over again; new events go on.
    let status = rt.status().await.expect("status");
    let s = status
        .iter()
        .find(|s| s.state.consumer == "embedder")
        .unwrap();
    assert_eq!((s.state.cursor, s.lag, s.leased), (250, 0, false), "{s:?}");
    assert_eq!(s.state.handled, 250);
    append(&store, ["listing.updated"]).await;
    run_until(&rt, || rec.seen.lock().unwrap().len() == 201).await;
    assert_eq!(rec.seen.lock().unwrap()[200], 251);
}

pub async fn a_handler_failing_three_times_dead_letters_its_event_and_the_rest_go_on(
    store: Arc<dyn Store>,
) {
    let mut actions = vec!["listing.updated"; 30];
    actions[11] = "bad.event";
    append(&store, actions).await;
    let rec = Arc::new(Recorder::default());
    rec.broken.store(true, Ordering::SeqCst);
    let rt = runtime(&store, rec.clone());
    run_until(&rt, || rec.seen.lock().unwrap().len() == 29).await;
    let seen = rec.seen.lock().unwrap().clone();
    assert!(!seen.contains(&12), "the bad event was not handled");
    assert_eq!(seen.len(), 29, "every other event was, once: {seen:?}");
    // Three tries of the batch, then three of the event alone.
    assert_eq!(rec.bad_attempts.load(Ordering::SeqCst), 6);
    let letters = rt
        .dead_letters(Some("embedder"), 10)
        .await
        .expect("letters");
    assert_eq!(letters.len(), 1, "{letters:?}");
    assert_eq!(
        (letters[0].seq, letters[0].action.as_str()),
        (12, "bad.event")
    );
    assert_eq!(letters[0].attempts, 3);
    assert!(letters[0].error.contains("cannot handle"), "{letters:?}");

    // Still broken: a retry fails and keeps the letter. Fixed: it goes through and is removed.
    assert!(rt.retry_dead_letter("embedder", 12).await.is_err());
    assert_eq!(rt.dead_letters(None, 10).await.unwrap().len(), 1);
    rec.broken.store(false, Ordering::SeqCst);
    rt.retry_dead_letter("embedder", 12).await.expect("retried");
    assert!(rec.seen.lock().unwrap().contains(&12));
    assert!(rt.dead_letters(None, 10).await.unwrap().is_empty());
    let again = rt.retry_dead_letter("embedder", 12).await.unwrap_err();
    assert_eq!(
        msme_core::DomainError::code(&again),
        "dead_letter_not_found"
    );
}

pub async fn a_dependency_down_is_retried_without_dead_letters(store: Arc<dyn Store>) {
    append(&store, ["listing.updated"; 5]).await;
    let rec = Arc::new(Recorder::default());
    rec.unavailable.store(7, Ordering::SeqCst);
    let rt = runtime(&store, rec.clone());
    run_until(&rt, || rec.seen.lock().unwrap().len() == 5).await;
    assert_eq!(*rec.seen.lock().unwrap(), [1, 2, 3, 4, 5]);
    assert!(rt.dead_letters(None, 10).await.unwrap().is_empty());
}

pub async fn two_workers_on_one_store_never_handle_an_event_twice(store: Arc<dyn Store>) {
    let recorders: Vec<Arc<Recorder>> = (0..3).map(|_| Arc::new(Recorder::default())).collect();
    let runtimes: Vec<Runtime> = recorders
        .iter()
        .map(|r| runtime(&store, r.clone()))
        .collect();
    assert_ne!(runtimes[0].worker_id(), runtimes[1].worker_id());
    let total = || -> usize { recorders.iter().map(|r| r.seen.lock().unwrap().len()).sum() };
    let writer = async {
        for _ in 0..10 {
            append(&store, ["listing.updated"; 30]).await;
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    // A third worker (an operator's command) catches up by hand meanwhile.
    let by_hand = async {
        for _ in 0..5 {
            runtimes[2].catch_up("embedder").await.expect("catch up");
            tokio::time::sleep(Duration::from_millis(15)).await;
        }
    };
    tokio::join!(
        run_until(&runtimes[0], || total() == 300),
        run_until(&runtimes[1], || total() == 300),
        writer,
        by_hand
    );
    let all: Vec<i64> = recorders
        .iter()
        .flat_map(|r| r.seen.lock().unwrap().clone())
        .collect();
    let distinct: BTreeSet<i64> = all.iter().copied().collect();
    assert_eq!(all.len(), 300, "no event twice");
    assert_eq!(distinct, (1..=300).collect(), "none skipped");
}
