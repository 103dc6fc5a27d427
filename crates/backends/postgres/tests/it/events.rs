//! The event signal on PostgreSQL: `LISTEN/NOTIFY` carries commits of every process, and the
//! listener comes and goes with its receivers without holding up the pool.

use std::time::Duration;

use crate::support::{fresh_db, numbered_event as event};
use msme_core::ports::{AuditStore, EventStore, Lease};
use tokio::sync::watch;
use tokio::time::timeout;

const WAIT: Duration = Duration::from_secs(5);

async fn changes(rx: &mut watch::Receiver<u64>, within: Duration) -> bool {
    match timeout(within, rx.changed()).await {
        Ok(open) => {
            open.expect("the store keeps the signal open");
            true
        }
        Err(_) => false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commits_of_another_process_wake_the_signal_and_leases_do_not() {
    let Some(db) = fresh_db().await else { return };
    let (ours, theirs) = (db.store().await, db.store().await);
    let mut rx = ours.event_signal();
    assert!(
        changes(&mut rx, WAIT).await,
        "bumped once LISTEN is in place"
    );
    rx.borrow_and_update();

    let now = chrono::Utc::now();
    let lease = Lease {
        consumer: "search",
        worker: "w1",
        now,
        until: now + chrono::Duration::seconds(30),
    };
    theirs.lease_consumer(lease).await.expect("lease");
    theirs
        .set_consumer_cursor("search", 3)
        .await
        .expect("cursor");
    assert!(
        !changes(&mut rx, Duration::from_millis(500)).await,
        "writes without audit entries notify nobody"
    );

    theirs.append_audit(event(1)).await.expect("append");
    assert!(changes(&mut rx, WAIT).await, "a commit of another store");
    ours.append_audit(event(2)).await.expect("append");
    assert!(changes(&mut rx, WAIT).await, "a commit of this store");

    // With every receiver gone the listener stops; a new receiver starts it again.
    drop(rx);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut again = ours.event_signal();
    assert!(changes(&mut again, WAIT).await, "listening again");
    again.borrow_and_update();
    theirs.append_audit(event(3)).await.expect("append");
    assert!(changes(&mut again, WAIT).await, "after the restart");

    timeout(WAIT, ours.close())
        .await
        .expect("a live listener does not hold up closing the pool");
    db.drop_after(theirs).await;
}
