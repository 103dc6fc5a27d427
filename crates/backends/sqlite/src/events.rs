//! The event stream's bookkeeping ([`EventStore`]): consumer leases, cursors and dead letters,
//! and the signal that wakes consumers after a commit of this process.

use async_trait::async_trait;
use msme_core::ports::{Advance, ConsumerState, DeadLetter, EventStore, Lease, StoreResult};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::Step;
use crate::rows::{micros, time, time_opt};
use crate::statements::execute;
use crate::SqliteStore;

/// The `seq` of the last audit entry, 0 before the first.
pub(crate) fn head_seq(conn: &Connection) -> rusqlite::Result<u64> {
    let seq: Option<i64> = conn
        .prepare_cached("SELECT seq FROM audit_head WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(seq.map_or(0, |s| u64::try_from(s).unwrap_or(0)))
}

/// The columns [`consumer_state`] reads, in order.
const STATE_COLUMNS: &str = "c.consumer, c.seq, c.lease_owner, c.lease_until, c.handled, \
    (SELECT COUNT(*) FROM dead_letters d WHERE d.consumer = c.consumer), c.updated_at";

fn consumer_state(row: &Row<'_>) -> rusqlite::Result<ConsumerState> {
    Ok(ConsumerState {
        consumer: row.get(0)?,
        cursor: row.get(1)?,
        lease_owner: row.get(2)?,
        lease_until: time_opt(row, 3)?,
        handled: row.get(4)?,
        dead_letters: row.get(5)?,
        updated_at: time_opt(row, 6)?,
    })
}

/// The columns [`dead_letter`] reads, in order.
const DEAD_LETTER_COLUMNS: &str = "consumer, seq, action, error, attempts, at";

fn dead_letter(row: &Row<'_>) -> rusqlite::Result<DeadLetter> {
    Ok(DeadLetter {
        consumer: row.get(0)?,
        seq: row.get(1)?,
        action: row.get(2)?,
        error: row.get(3)?,
        attempts: row.get(4)?,
        at: time(row, 5)?,
    })
}

#[async_trait]
impl EventStore for SqliteStore {
    #[tracing::instrument(skip_all, fields(consumer = lease.consumer, worker = lease.worker))]
    async fn lease_consumer(&self, lease: Lease<'_>) -> StoreResult<Option<i64>> {
        let (consumer, worker) = (lease.consumer.to_string(), lease.worker.to_string());
        let (now, until) = (micros(lease.now), micros(lease.until));
        self.write(move |tx| {
            execute(
                tx,
                "creating a consumer",
                "INSERT INTO consumer_cursors (consumer, seq, updated_at) VALUES (?1, 0, ?2) \
                 ON CONFLICT (consumer) DO NOTHING",
                params![consumer, now],
            )?;
            tx.prepare_cached(
                "UPDATE consumer_cursors SET lease_owner = ?2, lease_until = ?3, updated_at = ?4 \
                 WHERE consumer = ?1 AND (lease_owner IS NULL OR lease_owner = ?2 \
                 OR lease_until IS NULL OR lease_until <= ?4) RETURNING seq",
            )
            .and_then(|mut st| {
                st.query_row(params![consumer, worker, until, now], |r| r.get(0))
                    .optional()
            })
            .step("taking a consumer lease")
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(consumer = lease.consumer, worker = lease.worker))]
    async fn advance_consumer(&self, lease: Lease<'_>, advance: Advance<'_>) -> StoreResult<bool> {
        let (consumer, worker) = (lease.consumer.to_string(), lease.worker.to_string());
        let (now, until) = (micros(lease.now), micros(lease.until));
        let (from, to, events) = (advance.from, advance.to, advance.events);
        let dead = advance.dead.to_vec();
        self.write(move |tx| {
            let moved = execute(
                tx,
                "moving a leased cursor",
                "UPDATE consumer_cursors SET seq = ?4, lease_until = ?5, \
                 handled = handled + ?6, updated_at = ?7 \
                 WHERE consumer = ?1 AND lease_owner = ?2 AND seq = ?3",
                params![consumer, worker, from, to, until, events, now],
            )?;
            if moved == 0 {
                return Ok(false);
            }
            let mut st = tx
                .prepare_cached(
                    "INSERT INTO dead_letters (consumer, seq, action, error, attempts, at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (consumer, seq) DO UPDATE SET \
                     action = excluded.action, error = excluded.error, \
                     attempts = excluded.attempts, at = excluded.at",
                )
                .step("preparing a dead letter")?;
            // The letters are the leased consumer's, whatever name they carry.
            for d in &dead {
                st.execute(params![
                    consumer,
                    d.seq,
                    d.action,
                    d.error,
                    d.attempts,
                    micros(d.at)
                ])
                .step("recording a dead letter")?;
            }
            Ok(true)
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(consumer = consumer, worker = worker))]
    async fn release_consumer(&self, consumer: &str, worker: &str) -> StoreResult<()> {
        self.execute(
            "releasing a consumer lease",
            "UPDATE consumer_cursors SET lease_owner = NULL, lease_until = NULL \
             WHERE consumer = ?1 AND lease_owner = ?2",
            (consumer.to_string(), worker.to_string()),
        )
        .await
        .map(drop)
    }

    #[tracing::instrument(skip_all)]
    async fn consumer_states(&self) -> StoreResult<Vec<ConsumerState>> {
        self.read_all(
            "listing consumers",
            format!("SELECT {STATE_COLUMNS} FROM consumer_cursors c ORDER BY c.consumer"),
            (),
            consumer_state,
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(consumer = ?consumer))]
    async fn dead_letters(
        &self,
        consumer: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<DeadLetter>> {
        self.read_all(
            "listing dead letters",
            format!(
                "SELECT {DEAD_LETTER_COLUMNS} FROM dead_letters \
                 WHERE ?1 IS NULL OR consumer = ?1 ORDER BY at DESC, seq DESC LIMIT ?2"
            ),
            (consumer.map(str::to_string), limit),
            dead_letter,
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(consumer = consumer, seq = seq))]
    async fn remove_dead_letter(&self, consumer: &str, seq: i64) -> StoreResult<bool> {
        let n = self
            .execute(
                "removing a dead letter",
                "DELETE FROM dead_letters WHERE consumer = ?1 AND seq = ?2",
                (consumer.to_string(), seq),
            )
            .await?;
        Ok(n == 1)
    }

    fn event_signal(&self) -> tokio::sync::watch::Receiver<u64> {
        self.inner.events.subscribe()
    }
}
