//! The SMS outbox: [`OutboxStore`], and queueing a message inside another change.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::error::StoreError;
use msme_core::ports::{
    NewOutboxMessage, OutboxMessage, OutboxStatus, OutboxStore, StoreResult, REDACTED_BODY,
};
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use crate::error::found;
use crate::rows::from_columns;
use crate::rows::{col, limit, Fetch};
use crate::PgStore;

/// Queues a message inside the caller's transaction; returns its id.
pub(crate) async fn enqueue(conn: &mut PgConnection, m: &NewOutboxMessage) -> StoreResult<i64> {
    sqlx::query(
        "INSERT INTO outbox (channel, recipient, body, created_at, redact_after)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(&m.channel)
    .bind(&m.recipient)
    .bind(&m.body)
    .bind(m.created_at)
    .bind(m.redact_after)
    .fetch_one_as(conn, |r| col(r, "id"))
    .await
}

/// `SELECT <every outbox column> FROM outbox <tail>`, as one `&'static str`.
macro_rules! select_outbox {
    ($tail:literal) => {
        concat!(
            "SELECT id, channel, recipient, body, created_at, status, attempts, provider,
                    provider_ref, last_error, sent_at, redact_after
             FROM outbox ",
            $tail
        )
    };
}

fn message_from_row(row: &PgRow) -> Result<OutboxMessage, StoreError> {
    let status: String = col(row, "status")?;
    Ok(from_columns!(row => OutboxMessage {
        id, channel, recipient, body, created_at, attempts, provider, provider_ref, last_error,
        sent_at, redact_after;
        status: OutboxStatus::parse_stored(&status)?,
    }))
}

#[async_trait]
impl OutboxStore for PgStore {
    #[tracing::instrument(skip_all)]
    async fn outbox_page(&self, after: Option<i64>, max: u32) -> StoreResult<Vec<OutboxMessage>> {
        self.page(
            select_outbox!("WHERE id > $1 ORDER BY id LIMIT $2"),
            after.unwrap_or(0),
            max,
            message_from_row,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn mark_outbox_sent(
        &self,
        id: i64,
        provider: &str,
        provider_ref: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let updated = sqlx::query(
            "UPDATE outbox SET status = $2, provider = $3, provider_ref = $4, sent_at = $5,
                 last_attempt_at = $5, attempts = attempts + 1, last_error = NULL,
                 body = CASE WHEN redact_after IS NULL THEN body ELSE $6 END
             WHERE id = $1",
        )
        .bind(id)
        .bind(OutboxStatus::Sent.as_str())
        .bind(provider)
        .bind(provider_ref)
        .bind(at)
        .bind(REDACTED_BODY)
        .run(&self.pool)
        .await?;
        found((updated == 1).then_some(()), "outbox message")
    }

    #[tracing::instrument(skip_all)]
    async fn mark_outbox_failed(&self, id: i64, error: &str, at: DateTime<Utc>) -> StoreResult<()> {
        let updated = sqlx::query(
            "UPDATE outbox SET status = $2, last_error = $3, last_attempt_at = $4,
                 attempts = attempts + 1
             WHERE id = $1",
        )
        .bind(id)
        .bind(OutboxStatus::Failed.as_str())
        .bind(error)
        .bind(at)
        .run(&self.pool)
        .await?;
        found((updated == 1).then_some(()), "outbox message")
    }

    #[tracing::instrument(skip_all)]
    async fn queued_outbox(&self, now: DateTime<Utc>, max: u32) -> StoreResult<Vec<OutboxMessage>> {
        // `queued` is never tried: a delivery attempt leaves it `sent` or `failed`.
        sqlx::query(select_outbox!(
            "WHERE status = $1 AND (redact_after IS NULL OR redact_after > $2)
             ORDER BY id LIMIT $3"
        ))
        .bind(OutboxStatus::Queued.as_str())
        .bind(now)
        .bind(limit(max))
        .fetch_all_as(&self.pool, message_from_row)
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn redact_outbox(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        sqlx::query(
            "UPDATE outbox SET body = $2
             WHERE redact_after IS NOT NULL AND redact_after <= $1 AND body <> $2",
        )
        .bind(now)
        .bind(REDACTED_BODY)
        .run(&self.pool)
        .await
    }
}
