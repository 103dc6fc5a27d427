//! The event signal on SQLite: moved by the commits of this process that append audit entries,
//! and by no others (a consumer's own lease and cursor writes must not wake it).

use msme_contract::fixtures::{at, event, user};
use msme_core::ports::{Advance, EventStore, Lease, StoreMeta};
use msme_core::ports::{AuditStore, OutboxStore, UserStore};
use msme_sqlite::SqliteStore;

use crate::support::db_file;

fn lease(now: i64) -> Lease<'static> {
    Lease {
        consumer: "search",
        worker: "w1",
        now: at(now),
        until: at(now + 30),
    }
}

#[tokio::test]
async fn only_commits_that_append_audit_entries_move_the_signal() {
    let (_dir, path) = db_file();
    let store = SqliteStore::open(&path).await.expect("open");
    let mut rx = store.event_signal();
    assert_eq!(*rx.borrow_and_update(), 0);

    store.lease_consumer(lease(0)).await.expect("lease");
    let advance = Advance {
        from: 0,
        to: 0,
        events: 0,
        dead: &[],
    };
    assert!(store
        .advance_consumer(lease(1), advance)
        .await
        .expect("advance"));
    store
        .set_consumer_cursor("search", 0)
        .await
        .expect("cursor");
    store
        .release_consumer("search", "w1")
        .await
        .expect("release");
    store.redact_outbox(at(0)).await.expect("redact");
    assert!(
        !rx.has_changed().expect("open"),
        "writes without audit entries leave the signal alone"
    );

    store
        .append_audit(event("export", "audit"))
        .await
        .expect("append");
    assert!(
        rx.has_changed().expect("open"),
        "signalled before the write returns"
    );
    assert_eq!(*rx.borrow_and_update(), 1, "the value is the audit head");

    let u = user(1);
    store
        .create_user(&u, event("user.registered", u.id.as_str()))
        .await
        .expect("create");
    store
        .create_user(&u, event("user.registered", u.id.as_str()))
        .await
        .expect_err("duplicate");
    assert_eq!(
        *rx.borrow_and_update(),
        2,
        "a rolled-back write signals nothing"
    );
    assert!(!rx.has_changed().expect("open"));

    let other = store.clone().event_signal();
    assert_eq!(*other.borrow(), 2, "clones share the signal");
    drop((rx, other, store));
    let reopened = SqliteStore::open(&path).await.expect("reopen");
    assert_eq!(reopened.backend_name(), "sqlite");
    assert_eq!(
        *reopened.event_signal().borrow(),
        2,
        "starts at the stored head"
    );
}
