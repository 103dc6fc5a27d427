//! The audit trail ([`AuditStore`]) and [`StoreMeta`], and the append every write shares.

use async_trait::async_trait;
use msme_core::audit::{AuditActor, AuditEntry, AuditEvent, GENESIS_HASH};
use msme_core::ports::{AuditStore, StoreMeta, StoreResult};
use rusqlite::{params, OptionalExtension, Row, Transaction};

use crate::error::Step;
use crate::rows::{micros, time};
use crate::SqliteStore;

/// Seals `event` as the entry after the current head and appends it, inside the caller's
/// transaction, so the change and its entry commit together. The writer lock and `BEGIN
/// IMMEDIATE` make appends one at a time, which keeps `seq` gapless and in commit order.
pub(crate) fn append(tx: &Transaction<'_>, event: AuditEvent) -> StoreResult<AuditEntry> {
    let head: Option<(i64, String)> = tx
        .query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()
        .step("reading the audit head")?;
    let (seq, prev) = head.unwrap_or_else(|| (0, GENESIS_HASH.to_string()));
    let entry = AuditEntry::seal(event, seq + 1, &prev);
    let e = &entry.event;
    tx.prepare_cached(
        "INSERT INTO audit_log (seq, at, actor, action, entity_type, entity_id, request_id, \
         details, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )
    .and_then(|mut st| {
        st.execute(params![
            entry.seq,
            micros(e.at),
            e.actor.as_string(),
            e.action,
            e.entity_type,
            e.entity_id,
            e.request_id,
            e.details,
            entry.prev_hash,
            entry.hash
        ])
    })
    .step("appending an audit entry")?;
    tx.execute(
        "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?1, ?2) \
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        params![entry.seq, entry.hash],
    )
    .step("moving the audit head")?;
    Ok(entry)
}

const ENTRY_COLUMNS: &str =
    "seq, at, actor, action, entity_type, entity_id, request_id, details, prev_hash, hash";

fn entry(row: &Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: row.get(0)?,
        event: AuditEvent {
            at: time(row, 1)?,
            actor: AuditActor::parse_stored(&row.get::<_, String>(2)?),
            action: row.get(3)?,
            entity_type: row.get(4)?,
            entity_id: row.get(5)?,
            request_id: row.get(6)?,
            details: row.get(7)?,
        },
        prev_hash: row.get(8)?,
        hash: row.get(9)?,
    })
}

#[async_trait]
impl AuditStore for SqliteStore {
    #[tracing::instrument(skip_all)]
    async fn append_audit(&self, audit: AuditEvent) -> StoreResult<AuditEntry> {
        self.write(move |tx| append(tx, audit)).await
    }

    #[tracing::instrument(skip_all)]
    async fn audit_page(&self, after: i64, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        self.read_all(
            "reading the audit log",
            format!("SELECT {ENTRY_COLUMNS} FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2"),
            (after, limit),
            entry,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn audit_head(&self) -> StoreResult<Option<(i64, String)>> {
        self.read_optional(
            "reading the audit head",
            "SELECT seq, hash FROM audit_head WHERE id = 1",
            (),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn consumer_cursor(&self, consumer: &str) -> StoreResult<i64> {
        let seq = self
            .read_optional(
                "reading a consumer cursor",
                "SELECT seq FROM consumer_cursors WHERE consumer = ?1",
                [consumer.to_string()],
                |r| r.get(0),
            )
            .await?;
        Ok(seq.unwrap_or_default())
    }

    #[tracing::instrument(skip_all)]
    async fn set_consumer_cursor(&self, consumer: &str, seq: i64) -> StoreResult<()> {
        let now = micros(chrono::Utc::now());
        // The lease stays as it is: a worker holding it finds the cursor moved when it next
        // advances, and starts again from here.
        self.execute(
            "moving a consumer cursor",
            "INSERT INTO consumer_cursors (consumer, seq, updated_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq, \
             updated_at = excluded.updated_at",
            (consumer.to_string(), seq, now),
        )
        .await
        .map(drop)
    }
}

#[async_trait]
impl StoreMeta for SqliteStore {
    fn backend_name(&self) -> &'static str {
        "sqlite"
    }

    #[tracing::instrument(skip_all)]
    async fn health(&self) -> StoreResult<()> {
        self.read_one("checking health", "SELECT 1", (), |_| Ok(()))
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn schema_version(&self) -> StoreResult<i64> {
        self.read_one(
            "reading the schema version",
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            (),
            |r| r.get(0),
        )
        .await
    }
}
