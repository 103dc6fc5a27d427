//! The event stream's bookkeeping ([`EventStore`]): consumer leases, cursors and dead letters,
//! and the signal (`LISTEN/NOTIFY`, see [`crate::signal`]) that wakes consumers.

use async_trait::async_trait;
use msme_core::error::StoreError;
use msme_core::ports::{Advance, ConsumerState, DeadLetter, EventStore, Lease, StoreResult};
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use crate::error::store_error;
use crate::rows::from_columns;
use crate::rows::{col, Fetch};
use crate::PgStore;

fn state_from_row(row: &PgRow) -> Result<ConsumerState, StoreError> {
    Ok(from_columns!(row => ConsumerState {
        consumer, lease_owner, lease_until, handled, dead_letters, updated_at;
        cursor: col(row, "seq")?,
    }))
}

fn dead_letter_from_row(row: &PgRow) -> Result<DeadLetter, StoreError> {
    Ok(from_columns!(row => DeadLetter {
        consumer, seq, action, error, attempts, at
    }))
}

/// Records `dead` as letters of `consumer`, replacing earlier ones for the same events.
async fn record_dead_letters(
    conn: &mut PgConnection,
    consumer: &str,
    dead: &[DeadLetter],
) -> StoreResult<()> {
    // The letters are the leased consumer's, whatever name they carry.
    for d in dead {
        sqlx::query(
            "INSERT INTO dead_letters (consumer, seq, action, error, attempts, at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (consumer, seq) DO UPDATE SET action = EXCLUDED.action,
                 error = EXCLUDED.error, attempts = EXCLUDED.attempts, at = EXCLUDED.at",
        )
        .bind(consumer)
        .bind(d.seq)
        .bind(&d.action)
        .bind(&d.error)
        .bind(d.attempts)
        .bind(d.at)
        .run(&mut *conn)
        .await?;
    }
    Ok(())
}

#[async_trait]
impl EventStore for PgStore {
    #[tracing::instrument(skip_all, fields(consumer = lease.consumer, worker = lease.worker))]
    async fn lease_consumer(&self, lease: Lease<'_>) -> StoreResult<Option<i64>> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO consumer_cursors (consumer, seq, updated_at) VALUES ($1, 0, $2)
             ON CONFLICT (consumer) DO NOTHING",
        )
        .bind(lease.consumer)
        .bind(lease.now)
        .run(&mut *tx)
        .await?;
        // Under READ COMMITTED a competing lease waits for the row, then re-checks the
        // condition against the winner's values, so only one worker holds it.
        let seq = sqlx::query(
            "UPDATE consumer_cursors SET lease_owner = $2, lease_until = $3, updated_at = $4
             WHERE consumer = $1 AND (lease_owner IS NULL OR lease_owner = $2
                 OR lease_until IS NULL OR lease_until <= $4)
             RETURNING seq",
        )
        .bind(lease.consumer)
        .bind(lease.worker)
        .bind(lease.until)
        .bind(lease.now)
        .fetch_optional_as(&mut *tx, |r| col(r, "seq"))
        .await?;
        tx.commit().await.map_err(store_error)?;
        Ok(seq)
    }

    #[tracing::instrument(skip_all, fields(consumer = lease.consumer, worker = lease.worker))]
    async fn advance_consumer(&self, lease: Lease<'_>, advance: Advance<'_>) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let moved = sqlx::query(
            "UPDATE consumer_cursors SET seq = $4, lease_until = $5, handled = handled + $6,
                 updated_at = $7
             WHERE consumer = $1 AND lease_owner = $2 AND seq = $3",
        )
        .bind(lease.consumer)
        .bind(lease.worker)
        .bind(advance.from)
        .bind(advance.to)
        .bind(lease.until)
        .bind(advance.events)
        .bind(lease.now)
        .run(&mut *tx)
        .await?;
        if moved == 0 {
            // Dropping the transaction rolls it back: nothing was written.
            return Ok(false);
        }
        record_dead_letters(&mut tx, lease.consumer, advance.dead).await?;
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }

    #[tracing::instrument(skip_all, fields(consumer = consumer, worker = worker))]
    async fn release_consumer(&self, consumer: &str, worker: &str) -> StoreResult<()> {
        sqlx::query(
            "UPDATE consumer_cursors SET lease_owner = NULL, lease_until = NULL
             WHERE consumer = $1 AND lease_owner = $2",
        )
        .bind(consumer)
        .bind(worker)
        .run(&self.pool)
        .await
        .map(drop)
    }

    #[tracing::instrument(skip_all)]
    async fn consumer_states(&self) -> StoreResult<Vec<ConsumerState>> {
        sqlx::query(
            "SELECT c.consumer, c.seq, c.lease_owner, c.lease_until, c.handled, c.updated_at,
                    (SELECT COUNT(*) FROM dead_letters d WHERE d.consumer = c.consumer)
                        AS dead_letters
             FROM consumer_cursors c ORDER BY c.consumer",
        )
        .fetch_all_as(&self.pool, state_from_row)
        .await
    }

    #[tracing::instrument(skip_all, fields(consumer = ?consumer))]
    async fn dead_letters(&self, consumer: Option<&str>, max: u32) -> StoreResult<Vec<DeadLetter>> {
        self.page(
            "SELECT consumer, seq, action, error, attempts, at FROM dead_letters
             WHERE $1::text IS NULL OR consumer = $1
             ORDER BY at DESC, seq DESC LIMIT $2",
            consumer,
            max,
            dead_letter_from_row,
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(consumer = consumer, seq = seq))]
    async fn remove_dead_letter(&self, consumer: &str, seq: i64) -> StoreResult<bool> {
        let removed = sqlx::query("DELETE FROM dead_letters WHERE consumer = $1 AND seq = $2")
            .bind(consumer)
            .bind(seq)
            .run(&self.pool)
            .await?;
        Ok(removed == 1)
    }

    fn event_signal(&self) -> tokio::sync::watch::Receiver<u64> {
        self.signal.subscribe(&self.pool)
    }
}
