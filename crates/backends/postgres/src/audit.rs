//! The audit log: appending inside a caller's transaction, and reading it back.

use async_trait::async_trait;
use msme_core::audit::{AuditActor, AuditEntry, AuditEvent};
use msme_core::error::StoreError;
use msme_core::ports::{AuditStore, StoreResult};
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use crate::error::store_error;
use crate::rows::{col, limit};
use crate::PgStore;

/// Seals `event` as the next entry and appends it, inside the caller's transaction.
///
/// Locks the `audit_head` row until the transaction ends: a concurrent append waits here, so
/// entries get gapless `seq` numbers in commit order. Call it last in a transaction, after
/// the change it records, so the lock is held as briefly as possible and always taken after
/// any row locks of the change (one lock order, no deadlocks).
pub(crate) async fn append(
    conn: &mut PgConnection,
    event: AuditEvent,
) -> Result<AuditEntry, StoreError> {
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
        .fetch_one(&mut *conn)
        .await
        .map_err(store_error)?;
    let seq: i64 = col(&head, "seq")?;
    let prev_hash: String = col(&head, "hash")?;
    // The migration seeds the head with (0, GENESIS_HASH), so `prev_hash` is right for entry 1.
    let entry = AuditEntry::seal(event, seq + 1, &prev_hash);
    let e = &entry.event;
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, entity_type, entity_id, request_id,
                                details, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(entry.seq)
    .bind(e.at)
    .bind(e.actor.as_string())
    .bind(&e.action)
    .bind(&e.entity_type)
    .bind(&e.entity_id)
    .bind(&e.request_id)
    .bind(&e.details)
    .bind(&entry.prev_hash)
    .bind(&entry.hash)
    .execute(&mut *conn)
    .await
    .map_err(store_error)?;
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(entry.seq)
        .bind(&entry.hash)
        .execute(&mut *conn)
        .await
        .map_err(store_error)?;
    Ok(entry)
}

fn entry_from_row(row: &PgRow) -> Result<AuditEntry, StoreError> {
    let actor: String = col(row, "actor")?;
    Ok(AuditEntry {
        seq: col(row, "seq")?,
        event: AuditEvent {
            at: col(row, "at")?,
            actor: AuditActor::parse_stored(&actor),
            action: col(row, "action")?,
            entity_type: col(row, "entity_type")?,
            entity_id: col(row, "entity_id")?,
            request_id: col(row, "request_id")?,
            details: col(row, "details")?,
        },
        prev_hash: col(row, "prev_hash")?,
        hash: col(row, "hash")?,
    })
}

#[async_trait]
impl AuditStore for PgStore {
    #[tracing::instrument(skip_all)]
    async fn append_audit(&self, audit: AuditEvent) -> StoreResult<AuditEntry> {
        let mut tx = self.begin().await?;
        let entry = append(&mut tx, audit).await?;
        tx.commit().await.map_err(store_error)?;
        Ok(entry)
    }

    #[tracing::instrument(skip_all)]
    async fn audit_page(&self, after: i64, max: u32) -> StoreResult<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, entity_type, entity_id, request_id, details,
                    prev_hash, hash
             FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(limit(max))
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        rows.iter().map(entry_from_row).collect()
    }

    #[tracing::instrument(skip_all)]
    async fn audit_head(&self) -> StoreResult<Option<(i64, String)>> {
        let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)?;
        let seq: i64 = col(&row, "seq")?;
        if seq == 0 {
            return Ok(None);
        }
        Ok(Some((seq, col(&row, "hash")?)))
    }

    #[tracing::instrument(skip_all)]
    async fn consumer_cursor(&self, consumer: &str) -> StoreResult<i64> {
        let row = sqlx::query("SELECT seq FROM consumer_cursors WHERE consumer = $1")
            .bind(consumer)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)?;
        row.map_or(Ok(0), |r| col(&r, "seq"))
    }

    #[tracing::instrument(skip_all)]
    async fn set_consumer_cursor(&self, consumer: &str, seq: i64) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO consumer_cursors (consumer, seq, updated_at) VALUES ($1, $2, now())
             ON CONFLICT (consumer) DO UPDATE SET seq = EXCLUDED.seq, updated_at = now()",
        )
        .bind(consumer)
        .bind(seq)
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(())
    }
}
