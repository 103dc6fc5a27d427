//! What only the PostgreSQL backend has: migrations on open, the schema version guard, the
//! pool's recovery from lost connections, and its errors. The shared behaviour is in the
//! contract suite (`contract.rs`).

use std::sync::Arc;

use crate::support::{fresh_db, numbered_event as event, server_url, TestDb};
use msme_core::audit::{ChainVerdict, ChainVerifier};
use msme_core::error::{chain, StoreError};
use msme_core::ports::{AuditStore, OtpStore, OutboxStore, StoreMeta, UserStore};
use msme_core::types::UserId;
use msme_postgres::{PgStore, SUPPORTED_VERSION};
use sqlx::Row;
use tokio::task::JoinSet;

async fn migration_rows(db: &TestDb) -> Vec<i64> {
    let mut conn = db.direct().await;
    sqlx::query("SELECT version FROM schema_migrations ORDER BY version")
        .fetch_all(&mut conn)
        .await
        .expect("schema_migrations")
        .iter()
        .map(|r| r.get("version"))
        .collect()
}

#[tokio::test]
async fn migrations_apply_once_and_keep_data_across_connects() {
    let Some(db) = fresh_db().await else { return };
    let first = db.store().await;
    let entry = first.append_audit(event(1)).await.expect("append");
    first.close().await;
    let second = db.store().await;
    assert_eq!(
        second.schema_version().await.expect("version"),
        SUPPORTED_VERSION
    );
    assert_eq!(
        migration_rows(&db).await,
        msme_postgres::migration_versions()
    );
    let head = second.audit_head().await.expect("head");
    assert_eq!(
        head,
        Some((1, entry.hash)),
        "data survives a second connect"
    );
    db.drop_after(second).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simultaneous_first_connects_migrate_once() {
    let Some(url) = server_url() else { return };
    let db = Arc::new(TestDb::create(&url).await);
    let mut opening = JoinSet::new();
    for _ in 0..4 {
        let db = db.clone();
        opening.spawn(async move { db.store().await.close().await });
    }
    opening.join_all().await;
    assert_eq!(
        migration_rows(&db).await,
        msme_postgres::migration_versions()
    );
    Arc::into_inner(db).expect("sole owner").drop_now().await;
}

#[tokio::test]
async fn a_newer_schema_is_refused() {
    let Some(db) = fresh_db().await else { return };
    db.store().await.close().await;
    let mut conn = db.direct().await;
    sqlx::query("INSERT INTO schema_migrations (version) VALUES ($1)")
        .bind(SUPPORTED_VERSION + 1)
        .execute(&mut conn)
        .await
        .expect("pretend a newer program migrated");
    drop(conn);
    let refused = PgStore::connect_with(db.options.clone(), 2).await;
    match refused {
        Err(StoreError::SchemaTooNew { found, supported }) => {
            assert_eq!(
                (found, supported),
                (SUPPORTED_VERSION + 1, SUPPORTED_VERSION)
            );
        }
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
    db.drop_now().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pool_recovers_after_its_connections_are_killed() {
    let Some(db) = fresh_db().await else { return };
    let store = db.store().await;
    // Open several connections, so more than one dead connection waits in the pool.
    let mut busy = JoinSet::new();
    for _ in 0..4 {
        let pool = store.pool().clone();
        busy.spawn(async move { sqlx::query("SELECT pg_sleep(0.05)").execute(&pool).await });
    }
    for r in busy.join_all().await {
        r.expect("query");
    }
    let killed: i64 = sqlx::query(
        "SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid()",
    )
    .bind(&db.name)
    .fetch_one(&mut db.admin().await)
    .await
    .expect("terminate")
    .get("n");
    assert!(killed >= 2, "only {killed} connections were killed");
    for n in 0..3 {
        store
            .health()
            .await
            .expect("health after the connections died");
        store
            .append_audit(event(n))
            .await
            .expect("write after the connections died");
    }
    assert!(store
        .user_by_id(&UserId::generate())
        .await
        .expect("read")
        .is_none());
    db.drop_after(store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_stores_on_one_database_keep_one_gapless_chain() {
    let Some(db) = fresh_db().await else { return };
    // Two pools stand for two server processes sharing the database.
    let stores = [db.store().await, db.store().await];
    let mut appends = JoinSet::new();
    for n in 0..40 {
        let store = stores[n % 2].clone();
        appends.spawn(async move { store.append_audit(event(n as i64)).await });
    }
    for r in appends.join_all().await {
        r.expect("append");
    }
    let entries = stores[0].audit_page(0, 100).await.expect("page");
    assert_eq!(
        entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (1..=40).collect::<Vec<_>>()
    );
    let mut verifier = ChainVerifier::default();
    assert!(entries.iter().all(|e| verifier.check(e)));
    let head = stores[1].audit_head().await.expect("head");
    assert_eq!(verifier.finish(head), ChainVerdict::Intact { entries: 40 });
    for s in &stores {
        s.close().await;
    }
    db.drop_now().await;
}

#[tokio::test]
async fn a_broken_table_is_an_error_not_a_missing_account() {
    let Some(db) = fresh_db().await else { return };
    let store = db.store().await;
    sqlx::raw_sql("ALTER TABLE users RENAME TO users_gone")
        .execute(&mut db.direct().await)
        .await
        .expect("break the schema");
    let lookup = store.user_by_id(&UserId::generate()).await;
    assert!(matches!(lookup, Err(StoreError::Backend(_))), "{lookup:?}");
    db.drop_after(store).await;
}

#[tokio::test]
async fn counters_and_delivery_marks_on_missing_rows_are_errors() {
    let Some(db) = fresh_db().await else { return };
    let store = db.store().await;
    let nobody = UserId::generate();
    let now = chrono::Utc::now();
    let failed = store.record_failed_login(&nobody, now, event(0)).await;
    assert!(matches!(failed, Err(StoreError::Backend(_))), "{failed:?}");
    let lock = store.lock_user(&nobody, now, event(1)).await;
    assert!(matches!(lock, Err(StoreError::Backend(_))), "{lock:?}");
    let otp = store.record_otp_attempt("no-such-code").await;
    assert!(matches!(otp, Err(StoreError::Backend(_))), "{otp:?}");
    let sent = store.mark_outbox_sent(42, "msg91", "ref", now).await;
    assert!(matches!(sent, Err(StoreError::Backend(_))), "{sent:?}");
    let head = store.audit_head().await.expect("head");
    assert_eq!(head, None, "a refused lock is not audited");
    db.drop_after(store).await;
}

#[tokio::test]
async fn the_store_never_prints_its_password() {
    let Some(db) = fresh_db().await else { return };
    // The local server may not ask for it (trust), but the options carry it all the same.
    let options = db.options.clone().password("hunter2-secret");
    let store = PgStore::connect_with(options, 2).await.expect("connect");
    let shown = format!("{store:?}");
    assert!(!shown.contains("hunter2"), "the password leaked: {shown}");
    db.drop_after(store).await;
}

#[tokio::test]
async fn a_closed_port_is_unavailable_and_the_password_is_not_told() {
    // Needs no server: a port that was just free has nobody listening.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let url = format!("postgres://msme:hunter2-secret@127.0.0.1:{port}/msme");
    let err = PgStore::connect(&url).await.expect_err("nobody listens");
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
    let told = format!("{} {err:?}", chain(&err));
    assert!(!told.contains("hunter2"), "the password leaked: {told}");
}

#[tokio::test]
async fn a_malformed_url_is_refused_without_repeating_it() {
    let err = PgStore::connect("postgres://msme:hunter2-secret@db:notaport/msme")
        .await
        .expect_err("bad port");
    assert!(matches!(err, StoreError::Backend(_)), "{err:?}");
    let told = format!("{} {err:?}", chain(&err));
    assert!(!told.contains("hunter2"), "the password leaked: {told}");
}
