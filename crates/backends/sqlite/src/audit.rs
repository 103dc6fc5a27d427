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
        self.read("reading the audit log", move |c| {
            let sql = format!(
                "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2"
            );
            let mut st = c.prepare_cached(&sql)?;
            let rows = st.query_map(params![after, limit], entry)?;
            rows.collect()
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn audit_head(&self) -> StoreResult<Option<(i64, String)>> {
        self.read("reading the audit head", |c| {
            c.query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn consumer_cursor(&self, consumer: &str) -> StoreResult<i64> {
        let consumer = consumer.to_string();
        self.read("reading a consumer cursor", move |c| {
            c.query_row(
                "SELECT seq FROM consumer_cursors WHERE consumer = ?1",
                [consumer],
                |r| r.get(0),
            )
            .optional()
            .map(Option::unwrap_or_default)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn set_consumer_cursor(&self, consumer: &str, seq: i64) -> StoreResult<()> {
        let consumer = consumer.to_string();
        let now = micros(chrono::Utc::now());
        // The lease stays as it is: a worker holding it finds the cursor moved when it next
        // advances, and starts again from here.
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO consumer_cursors (consumer, seq, updated_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq, \
                 updated_at = excluded.updated_at",
                params![consumer, seq, now],
            )
            .step("moving a consumer cursor")?;
            Ok(())
        })
        .await
    }
}

#[async_trait]
impl StoreMeta for SqliteStore {
    fn backend_name(&self) -> &'static str {
        "sqlite"
    }

    #[tracing::instrument(skip_all)]
    async fn health(&self) -> StoreResult<()> {
        self.read("checking health", |c| {
            c.query_row("SELECT 1", [], |_| Ok(()))
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn schema_version(&self) -> StoreResult<i64> {
        self.read("reading the schema version", |c| {
            c.query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                [],
                |r| r.get(0),
            )
        })
        .await
    }
}
