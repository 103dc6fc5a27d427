//! Checks of connection settings, which only this crate can see.

use rusqlite::Connection;

use crate::SqliteStore;

fn pragma(conn: &Connection, name: &str) -> String {
    conn.query_row(&format!("PRAGMA {name}"), [], |r| {
        r.get::<_, rusqlite::types::Value>(0)
    })
    .map(|v| match v {
        rusqlite::types::Value::Integer(i) => i.to_string(),
        rusqlite::types::Value::Text(s) => s,
        other => format!("{other:?}"),
    })
    .expect("pragma")
}

/// A store on a file in a fresh directory, which it lives in while the directory does.
async fn fresh() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("msme.db")).await;
    (dir, store.expect("open"))
}

#[tokio::test]
async fn writer_runs_wal_with_foreign_keys_full_sync_and_busy_timeout() {
    let (_dir, store) = fresh().await;
    let writer = crate::lock(&store.inner.writer);
    assert_eq!(pragma(&writer, "journal_mode"), "wal");
    assert_eq!(pragma(&writer, "foreign_keys"), "1");
    assert_eq!(pragma(&writer, "synchronous"), "2", "2 is FULL");
    assert_eq!(pragma(&writer, "busy_timeout"), "10000");
}

#[tokio::test]
async fn readers_are_read_only_and_see_the_wal() {
    let (_dir, store) = fresh().await;
    assert_eq!(store.inner.readers.len(), super::READERS);
    for reader in &store.inner.readers {
        let reader = crate::lock(reader);
        assert_eq!(pragma(&reader, "journal_mode"), "wal");
        assert_eq!(pragma(&reader, "foreign_keys"), "1");
        assert!(
            reader.execute("DELETE FROM users", []).is_err(),
            "reader wrote"
        );
    }
}
