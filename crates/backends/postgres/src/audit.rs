//! The audit log: appending inside a caller's transaction, and reading it back.

use async_trait::async_trait;
use msme_core::audit::{AuditActor, AuditEntry, AuditEvent};
use msme_core::error::StoreError;
use msme_core::ports::{AuditStore, StoreResult};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, Transaction};

use crate::error::store_error;
use crate::rows::from_columns;
use crate::rows::{col, Fetch, PgQuery};
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
    let (seq, prev_hash) = head_for_update(conn).await?;
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
    .run(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(entry.seq)
        .bind(&entry.hash)
        .run(&mut *conn)
        .await?;
    Ok(entry)
}

/// The head's `seq` and hash, locked until the caller's transaction ends (see [`append`]).
pub(crate) async fn head_for_update(conn: &mut PgConnection) -> StoreResult<(i64, String)> {
    sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
        .fetch_one_as(conn, |r| Ok((col(r, "seq")?, col(r, "hash")?)))
        .await
}

/// Appends `audit` and commits: the last step of every audited write.
pub(crate) async fn commit_audited(
    mut tx: Transaction<'static, Postgres>,
    audit: AuditEvent,
) -> StoreResult<()> {
    append(&mut tx, audit).await?;
    tx.commit().await.map_err(store_error)
}

/// Appends the audit entry and commits when the change changed something; otherwise rolls
/// back, so a change that did nothing leaves no audit entry. Returns `changed`.
async fn finish(
    tx: Transaction<'static, Postgres>,
    changed: bool,
    audit: AuditEvent,
) -> StoreResult<bool> {
    if changed {
        commit_audited(tx, audit).await?;
    } else {
        tx.rollback().await.map_err(store_error)?;
    }
    Ok(changed)
}

/// What an audited change answers, and whether that means it changed anything (and so is
/// recorded and committed).
pub(crate) trait Changed {
    fn changed(&self) -> bool;
}

/// A write that always changes something (or fails).
impl Changed for () {
    fn changed(&self) -> bool {
        true
    }
}

impl Changed for bool {
    fn changed(&self) -> bool {
        *self
    }
}

/// A number of rows changed.
impl Changed for u64 {
    fn changed(&self) -> bool {
        *self > 0
    }
}

impl PgStore {
    /// The one shape of an audited write: begins, runs `change`, and when it changed
    /// something appends `audit` and commits; otherwise rolls back and records nothing.
    pub(crate) async fn audited<T, F>(&self, audit: AuditEvent, change: F) -> StoreResult<T>
    where
        T: Changed,
        F: AsyncFnOnce(&mut PgConnection) -> StoreResult<T>,
    {
        let mut tx = self.begin().await?;
        let out = change(&mut tx).await?;
        finish(tx, out.changed(), audit).await?;
        Ok(out)
    }

    /// [`PgStore::audited`] for one statement: the number of rows it changed.
    pub(crate) async fn audited_run(
        &self,
        query: PgQuery<'_>,
        audit: AuditEvent,
    ) -> StoreResult<u64> {
        self.audited(audit, async |tx| query.run(tx).await).await
    }
}

fn entry_from_row(row: &PgRow) -> Result<AuditEntry, StoreError> {
    let actor: String = col(row, "actor")?;
    let event = from_columns!(row => AuditEvent {
        at, action, entity_type, entity_id, request_id, details;
        actor: AuditActor::parse_stored(&actor),
    });
    Ok(from_columns!(row => AuditEntry { seq, prev_hash, hash; event }))
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
        self.page(
            "SELECT seq, at, actor, action, entity_type, entity_id, request_id, details,
                    prev_hash, hash
             FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
            after,
            max,
            entry_from_row,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn audit_head(&self) -> StoreResult<Option<(i64, String)>> {
        let (seq, hash) = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one_as(&self.pool, |r| Ok((col::<i64>(r, "seq")?, col(r, "hash")?)))
            .await?;
        Ok((seq > 0).then_some((seq, hash)))
    }

    #[tracing::instrument(skip_all)]
    async fn consumer_cursor(&self, consumer: &str) -> StoreResult<i64> {
        let seq = self
            .find(
                "SELECT seq FROM consumer_cursors WHERE consumer = $1",
                consumer,
                |r| col(r, "seq"),
            )
            .await?;
        Ok(seq.unwrap_or(0))
    }

    #[tracing::instrument(skip_all)]
    async fn set_consumer_cursor(&self, consumer: &str, seq: i64) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO consumer_cursors (consumer, seq, updated_at) VALUES ($1, $2, now())
             ON CONFLICT (consumer) DO UPDATE SET seq = EXCLUDED.seq, updated_at = now()",
        )
        .bind(consumer)
        .bind(seq)
        .run(&self.pool)
        .await
        .map(drop)
    }
}
