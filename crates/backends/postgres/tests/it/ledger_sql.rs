//! The database itself refuses what the ledger forbids, even to raw SQL that bypasses the
//! store: unbalanced entries (checked at COMMIT by deferred constraint triggers), edits,
//! deletions and truncation.

use std::sync::Arc;

use crate::support::fresh_db;
use msme_contract::ledger_fixtures::{fund, payable};
use msme_core::ports::Store;
use msme_core::types::UserId;
use sqlx::{Connection, PgConnection};

/// A header and its postings in one transaction; `Err` carries the database's message.
async fn commit_entry(
    conn: &mut PgConnection,
    id: &str,
    legs: &[(&str, i64)],
) -> Result<(), String> {
    let mut tx = conn.begin().await.expect("begin");
    sqlx::query(
        "INSERT INTO ledger_entries (seq, id, kind, idempotency_key, at, memo, posting_count)
         VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM ledger_entries), $1, 'funding', 'raw', now(), '', $2)",
    )
    .bind(id)
    .bind(legs.len() as i32)
    .execute(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    for (n, (side, amount)) in legs.iter().enumerate() {
        sqlx::query(
            "INSERT INTO ledger_postings (entry_id, n, account, side, amount)
             VALUES ($1, $2, 'clearing:sandbox', $3, $4)",
        )
        .bind(id)
        .bind(n as i32)
        .bind(*side)
        .bind(*amount)
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(|e| e.to_string())
}

async fn entry_count(conn: &mut PgConnection) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM ledger_entries")
        .fetch_one(conn)
        .await
        .expect("count")
}

#[tokio::test]
async fn an_unbalanced_entry_is_refused_at_commit() {
    let Some(db) = fresh_db().await else { return };
    let store: Arc<dyn Store> = Arc::new(db.store().await);
    fund(&store, &payable(&UserId::generate()), 500).await;
    let mut conn = db.direct().await;
    let err = commit_entry(&mut conn, "e-unbalanced", &[("debit", 100), ("credit", 90)]).await;
    assert!(err.expect_err("refused").contains("unbalanced entry"));
    let short = commit_entry(&mut conn, "e-short", &[("debit", 100), ("credit", 100)]);
    short.await.expect("a balanced entry commits");
    let missing = commit_entry(&mut conn, "e-missing", &[]).await;
    assert!(missing.is_err(), "an entry without postings was committed");
    assert_eq!(entry_count(&mut conn).await, 2);
    db.drop_now().await;
}

#[tokio::test]
async fn entries_and_postings_cannot_be_edited_deleted_or_truncated() {
    let Some(db) = fresh_db().await else { return };
    let store: Arc<dyn Store> = Arc::new(db.store().await);
    fund(&store, &payable(&UserId::generate()), 500).await;
    let mut conn = db.direct().await;
    for sql in [
        "UPDATE ledger_postings SET amount = amount + 1",
        "DELETE FROM ledger_postings",
        "UPDATE ledger_entries SET memo = 'edited'",
        "DELETE FROM ledger_entries",
        "TRUNCATE ledger_postings",
    ] {
        let err = sqlx::query(sql).execute(&mut conn).await.expect_err(sql);
        assert!(err.to_string().contains("immutable"), "{sql}: {err}");
    }
    let extra = sqlx::query(
        "INSERT INTO ledger_postings (entry_id, n, account, side, amount)
         SELECT id, 9, 'transit:payouts', 'debit', 1 FROM ledger_entries",
    )
    .execute(&mut conn)
    .await;
    assert!(
        extra.is_err(),
        "a posting added to a made entry unbalanced it and committed"
    );
    assert_eq!(entry_count(&mut conn).await, 1);
    db.drop_now().await;
}
