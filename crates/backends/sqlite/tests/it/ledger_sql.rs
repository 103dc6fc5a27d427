//! The database itself refuses what the ledger forbids, even to raw SQL that bypasses the
//! store: unbalanced entries, postings without their entry, edits and deletions.

use std::path::Path;

use msme_contract::ledger_fixtures::{clearing, fund, payable};
use msme_core::ports::Store;
use msme_core::types::UserId;
use msme_sqlite::SqliteStore;
use rusqlite::{params, Connection};

use crate::support::db_file;

async fn store_with_one_entry(path: &Path) -> String {
    let store: std::sync::Arc<dyn Store> =
        std::sync::Arc::new(SqliteStore::open(path).await.expect("open"));
    fund(&store, &payable(&UserId::generate()), 500).await;
    let page = store.entries_page(0, 1).await.expect("entries");
    page[0].header.id.to_string()
}

fn raw(path: &Path) -> Connection {
    let conn = Connection::open(path).expect("raw open");
    conn.pragma_update(None, "foreign_keys", "ON").expect("fk");
    conn
}

/// Postings, then their header, in one transaction, as the store writes them.
fn commit_entry(conn: &mut Connection, id: &str, legs: &[(&str, i64)]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    let account = clearing().to_string();
    for (n, (side, amount)) in legs.iter().enumerate() {
        tx.execute(
            "INSERT INTO ledger_postings (entry_id, n, account, side, amount) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, n as i64, account, side, amount],
        )?;
    }
    tx.execute(
        "INSERT INTO ledger_entries (id, kind, idempotency_key, at, memo, posting_count) \
         VALUES (?1, 'funding', 'raw', 0, '', ?2)",
        params![id, legs.len() as i64],
    )?;
    tx.commit()
}

fn entry_count(conn: &Connection) -> i64 {
    conn.query_row("SELECT COUNT(*) FROM ledger_entries", [], |r| r.get(0))
        .expect("count")
}

#[tokio::test]
async fn an_unbalanced_entry_cannot_be_committed() {
    let (_dir, path) = db_file();
    store_with_one_entry(&path).await;
    let mut conn = raw(&path);
    let err = commit_entry(&mut conn, "e-unbalanced", &[("debit", 100), ("credit", 90)]);
    assert!(err
        .expect_err("refused")
        .to_string()
        .contains("unbalanced entry"));
    let err = commit_entry(&mut conn, "e-one-leg", &[("debit", 100)]);
    assert!(err.is_err(), "a one-posting entry was committed");
    commit_entry(&mut conn, "e-balanced", &[("debit", 100), ("credit", 100)])
        .expect("balanced entry commits");
    assert_eq!(entry_count(&conn), 2);
}

#[tokio::test]
async fn postings_without_their_entry_fail_at_commit() {
    let (_dir, path) = db_file();
    store_with_one_entry(&path).await;
    let mut conn = raw(&path);
    let tx = conn.transaction().expect("begin");
    tx.execute(
        "INSERT INTO ledger_postings (entry_id, n, account, side, amount) VALUES ('orphan', 0, 'transit:payouts', 'credit', 7)",
        [],
    )
    .expect("deferred until commit");
    assert!(
        tx.commit().is_err(),
        "a posting without an entry was committed"
    );
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM ledger_postings", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 2);
}

#[tokio::test]
async fn entries_and_postings_cannot_be_edited_extended_or_deleted() {
    let (_dir, path) = db_file();
    let id = store_with_one_entry(&path).await;
    let conn = raw(&path);
    let refused = [
        "UPDATE ledger_postings SET amount = amount + 1",
        "DELETE FROM ledger_postings",
        "UPDATE ledger_entries SET memo = 'edited'",
        "DELETE FROM ledger_entries",
    ];
    for sql in refused {
        let err = conn.execute(sql, []).expect_err(sql);
        assert!(err.to_string().contains("immutable"), "{sql}: {err}");
    }
    let extra = conn.execute(
        "INSERT INTO ledger_postings (entry_id, n, account, side, amount) VALUES (?1, 9, 'transit:payouts', 'debit', 1)",
        [&id],
    );
    assert!(extra.is_err(), "a posting was added to a made entry");
    let zero = conn.execute(
        "INSERT INTO ledger_postings (entry_id, n, account, side, amount) VALUES ('z', 0, 'transit:payouts', 'debit', 0)",
        [],
    );
    assert!(zero.is_err(), "a zero posting was accepted");
    assert_eq!(entry_count(&conn), 1);
}
