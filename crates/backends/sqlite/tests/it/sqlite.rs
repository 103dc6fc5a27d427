//! Behaviour only the SQLite backend has: its file, its migrations, its settings.

use msme_contract::fixtures::{
    all_entries, event, session, stored_session, stored_user, token, user,
};
use msme_core::audit::{ChainVerdict, ChainVerifier};
use msme_core::error::StoreError;
use msme_core::ports::StoreMeta;
use msme_sqlite::SqliteStore;

use crate::support::{db_file, open};

#[tokio::test]
async fn open_creates_missing_directories_and_reports_its_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nested/data/msme.db");
    let store = SqliteStore::open(&path).await.expect("open");
    assert_eq!(store.path(), path);
    assert!(path.is_file());
    assert_eq!(store.backend_name(), "sqlite");
}

#[tokio::test]
async fn reopening_keeps_data_and_the_audit_chain() {
    let (_dir, path) = db_file();
    let store = open(&path).await;
    let u = stored_user(&store, 1).await;
    let head = store.audit_head().await.expect("head");
    let version = store.schema_version().await.expect("version");
    drop(store);
    let wal = path.with_file_name("msme.db-wal");
    assert!(!wal.exists(), "closing checkpoints the WAL into the file");
    let store = open(&path).await;
    assert_eq!(store.user_by_id(&u.id).await.expect("lookup"), Some(u));
    assert_eq!(store.audit_head().await.expect("head"), head);
    assert_eq!(store.schema_version().await.expect("version"), version);
    let next = store
        .append_audit(event("export", "audit"))
        .await
        .expect("append");
    assert_eq!(next.seq, 2, "numbering carries on after a reopen");
}

#[tokio::test]
async fn a_newer_schema_is_refused() {
    let (_dir, path) = db_file();
    let known = open(&path).await.schema_version().await.expect("version");
    let conn = rusqlite::Connection::open(&path).expect("raw open");
    conn.execute(
        "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, 0)",
        [known + 1],
    )
    .expect("pretend a newer program migrated");
    drop(conn);
    let err = SqliteStore::open(&path).await.expect_err("newer schema");
    match err {
        StoreError::SchemaTooNew { found, supported } => {
            assert_eq!((found, supported), (known + 1, known));
        }
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
}

#[tokio::test]
async fn the_file_is_in_wal_mode() {
    let (_dir, path) = db_file();
    let _store = open(&path).await;
    let conn = rusqlite::Connection::open(&path).expect("raw open");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("journal mode");
    assert_eq!(mode, "wal");
}

#[tokio::test]
async fn foreign_keys_are_enforced() {
    let (_dir, path) = db_file();
    let store = open(&path).await;
    let u = stored_user(&store, 1).await;
    let (s, first) = stored_session(&store, &u.id, 10).await;
    let (orphan, _) = session(&user(2).id, 20);
    let stray = token(&orphan.id, 20);
    let audit = event("session.refreshed", s.id.as_str());
    let result = store
        .rotate_refresh_token(&first.token_hash, &stray, audit)
        .await;
    assert!(result.is_err(), "a token for a missing session was stored");
    let kept = store
        .refresh_token(&first.token_hash)
        .await
        .expect("lookup");
    assert_eq!(kept.expect("kept").rotated_at, None, "rolled back whole");
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_an_error() {
    let (_dir, path) = db_file();
    std::fs::write(&path, b"this is not a sqlite database, just text.........").expect("write");
    assert!(SqliteStore::open(&path).await.is_err());
}

/// Two programs on one file (the server and an operator's CLI) append to one gapless chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_stores_on_one_file_keep_one_gapless_chain() {
    let (_dir, path) = db_file();
    let (a, b) = (open(&path).await, open(&path).await);
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..40 {
        let store = if n % 2 == 0 { a.clone() } else { b.clone() };
        tasks.spawn(async move { store.append_audit(event("export", "audit")).await });
    }
    for r in tasks.join_all().await {
        r.expect("append");
    }
    let entries = all_entries(&a).await;
    assert_eq!(entries.len(), 40);
    let mut verifier = ChainVerifier::default();
    assert!(entries.iter().all(|e| verifier.check(e)));
    let head = b.audit_head().await.expect("head");
    assert_eq!(verifier.finish(head), ChainVerdict::Intact { entries: 40 });
}

#[tokio::test]
async fn migration_11_carries_the_matchmakers_cursor_and_dead_letters_over_to_the_matcher() {
    let (_dir, path) = db_file();
    drop(open(&path).await);
    // The file as version 10 left it: the consumer still called `matchmaker`.
    let conn = rusqlite::Connection::open(&path).expect("raw open");
    conn.execute_batch(
        "DELETE FROM schema_migrations WHERE version >= 11;
         INSERT INTO consumer_cursors (consumer, seq, handled) VALUES ('matchmaker', 42, 40);
         INSERT INTO dead_letters (consumer, seq, action, error, attempts, at)
             VALUES ('matchmaker', 7, 'listing.updated', 'no such listing', 3, 0);",
    )
    .expect("pretend version 10");
    drop(conn);
    let store = open(&path).await;
    assert_eq!(store.consumer_cursor("matcher").await.expect("cursor"), 42);
    assert_eq!(store.consumer_cursor("matchmaker").await.expect("old"), 0);
    let letters = store
        .dead_letters(Some("matcher"), 10)
        .await
        .expect("dead letters");
    assert_eq!(letters.iter().map(|d| d.seq).collect::<Vec<_>>(), [7]);
}
