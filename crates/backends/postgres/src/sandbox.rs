//! The sandbox gateway's books: [`SandboxStore`]. Not audited: see the port's docs.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::error::StoreResult;
use msme_core::money::Paise;
use msme_sandbox::{SandboxRecord, SandboxStore};
use sqlx::postgres::PgRow;

use crate::rows::{col, Fetch};
use crate::PgStore;

fn record(row: &PgRow) -> StoreResult<SandboxRecord> {
    Ok(SandboxRecord {
        kind: col(row, "kind")?,
        id: col(row, "id")?,
        idempotency_key: col(row, "idempotency_key")?,
        amount: Paise::new(col(row, "amount")?),
        status: col(row, "status")?,
        reference: col(row, "reference")?,
        ready_at: col(row, "ready_at")?,
        created_at: col(row, "created_at")?,
        updated_at: col(row, "updated_at")?,
    })
}

#[async_trait]
impl SandboxStore for PgStore {
    #[tracing::instrument(skip_all)]
    async fn sandbox_insert(&self, r: &SandboxRecord) -> StoreResult<(SandboxRecord, bool)> {
        let created = sqlx::query(
            "INSERT INTO sandbox_objects (kind, id, idempotency_key, amount, status, reference,
                                          ready_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
        )
        .bind(&r.kind)
        .bind(&r.id)
        .bind(&r.idempotency_key)
        .bind(r.amount.get())
        .bind(&r.status)
        .bind(&r.reference)
        .bind(r.ready_at)
        .bind(r.created_at)
        .bind(r.updated_at)
        .run(&self.pool)
        .await?
            == 1;
        let stored =
            sqlx::query("SELECT * FROM sandbox_objects WHERE kind = $1 AND idempotency_key = $2")
                .bind(&r.kind)
                .bind(&r.idempotency_key)
                .fetch_one_as(&self.pool, record)
                .await?;
        Ok((stored, created))
    }

    #[tracing::instrument(skip_all)]
    async fn sandbox_get(&self, kind: &str, id: &str) -> StoreResult<Option<SandboxRecord>> {
        sqlx::query("SELECT * FROM sandbox_objects WHERE kind = $1 AND id = $2")
            .bind(kind)
            .bind(id)
            .fetch_optional_as(&self.pool, record)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn sandbox_set_status(
        &self,
        kind: &str,
        id: &str,
        status: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let n = sqlx::query(
            "UPDATE sandbox_objects SET status = $3, updated_at = $4 WHERE kind = $1 AND id = $2",
        )
        .bind(kind)
        .bind(id)
        .bind(status)
        .bind(at)
        .run(&self.pool)
        .await?;
        Ok(n == 1)
    }
}
