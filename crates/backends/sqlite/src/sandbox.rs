//! The sandbox gateway's books: [`SandboxStore`]. Not audited: see the port's docs.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::error::StoreResult;
use msme_core::money::Paise;
use msme_sandbox::{SandboxRecord, SandboxStore};
use rusqlite::{params, Row};

use crate::error::Step;
use crate::rows::{micros, time};
use crate::SqliteStore;

const COLUMNS: &str =
    "kind, id, idempotency_key, amount, status, reference, ready_at, created_at, updated_at";

fn record(row: &Row<'_>) -> rusqlite::Result<SandboxRecord> {
    Ok(SandboxRecord {
        kind: row.get(0)?,
        id: row.get(1)?,
        idempotency_key: row.get(2)?,
        amount: Paise::new(row.get(3)?),
        status: row.get(4)?,
        reference: row.get(5)?,
        ready_at: time(row, 6)?,
        created_at: time(row, 7)?,
        updated_at: time(row, 8)?,
    })
}

#[async_trait]
impl SandboxStore for SqliteStore {
    #[tracing::instrument(skip_all)]
    async fn sandbox_insert(&self, r: &SandboxRecord) -> StoreResult<(SandboxRecord, bool)> {
        let r = r.clone();
        self.write(move |tx| {
            let sql = format!(
                "INSERT INTO sandbox_objects ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
                 ON CONFLICT DO NOTHING"
            );
            let created = tx
                .execute(
                    &sql,
                    params![
                        r.kind, r.id, r.idempotency_key, r.amount.get(), r.status, r.reference,
                        micros(r.ready_at), micros(r.created_at), micros(r.updated_at)
                    ],
                )
                .step("storing a sandbox object")?
                == 1;
            let sql = format!(
                "SELECT {COLUMNS} FROM sandbox_objects WHERE kind = ?1 AND idempotency_key = ?2"
            );
            let stored = tx
                .query_row(&sql, params![r.kind, r.idempotency_key], record)
                .step("reading a sandbox object")?;
            Ok((stored, created))
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn sandbox_get(&self, kind: &str, id: &str) -> StoreResult<Option<SandboxRecord>> {
        self.read_optional(
            "reading a sandbox object",
            format!("SELECT {COLUMNS} FROM sandbox_objects WHERE kind = ?1 AND id = ?2"),
            (kind.to_string(), id.to_string()),
            record,
        )
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
        let n = self
            .execute(
                "moving a sandbox object",
                "UPDATE sandbox_objects SET status = ?3, updated_at = ?4 \
                 WHERE kind = ?1 AND id = ?2",
                (
                    kind.to_string(),
                    id.to_string(),
                    status.to_string(),
                    micros(at),
                ),
            )
            .await?;
        Ok(n == 1)
    }
}
