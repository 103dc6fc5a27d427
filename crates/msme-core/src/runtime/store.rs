//! The event stream's bookkeeping: which worker holds each consumer, where its cursor stands,
//! the events it gave up on, and a signal that wakes consumers when events are committed.
//!
//! The stream itself is the audit log ([`super::AuditStore::audit_page`]): every change commits
//! its entry in the same transaction, numbered gaplessly in commit order.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::audit::AuditStore;
use crate::error::StoreResult;

/// One consumer's place in the stream, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerState {
    pub consumer: String,
    /// The `seq` of the last event handled (0 before the first).
    pub cursor: i64,
    /// The worker holding the lease, while it holds it.
    pub lease_owner: Option<String>,
    pub lease_until: Option<DateTime<Utc>>,
    /// Events handled (and skipped as not wanted) since the consumer was created.
    pub handled: i64,
    /// Dead letters waiting for an operator.
    pub dead_letters: i64,
    pub updated_at: Option<DateTime<Utc>>,
}

/// An event a consumer's handler kept failing on: recorded, then stepped over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeadLetter {
    pub consumer: String,
    pub seq: i64,
    /// The event's action, e.g. `listing.publish`.
    pub action: String,
    /// The handler's last error.
    pub error: String,
    pub attempts: i32,
    pub at: DateTime<Utc>,
}

/// What a worker asks when it takes or renews a consumer's lease.
#[derive(Clone, Copy, Debug)]
pub struct Lease<'a> {
    pub consumer: &'a str,
    pub worker: &'a str,
    pub now: DateTime<Utc>,
    /// The lease lasts until then unless renewed.
    pub until: DateTime<Utc>,
}

/// A batch handled: the cursor moves from `from` to `to`, with the dead letters it left.
#[derive(Clone, Debug)]
pub struct Advance<'a> {
    pub from: i64,
    pub to: i64,
    /// Events in the batch, wanted or not.
    pub events: i64,
    pub dead: &'a [DeadLetter],
}

/// Leases, cursors and dead letters of the event stream's consumers.
#[async_trait]
pub trait EventStore: Send + Sync {
    /// Takes the lease of `lease.consumer` for `lease.worker` (creating the consumer at cursor 0
    /// when new) if it is free, expired at `lease.now`, or already this worker's, and answers
    /// the cursor. `None` when another worker holds it.
    async fn lease_consumer(&self, lease: Lease<'_>) -> StoreResult<Option<i64>>;
    /// Moves the cursor and renews the lease, records the batch's dead letters and counts its
    /// events, in one transaction, only while `lease.worker` holds the lease and the cursor is
    /// still at `advance.from`. False (nothing written) otherwise: the lease was lost, or an
    /// operator moved the cursor.
    async fn advance_consumer(&self, lease: Lease<'_>, advance: Advance<'_>) -> StoreResult<bool>;
    /// Gives the lease up, if `worker` holds it.
    async fn release_consumer(&self, consumer: &str, worker: &str) -> StoreResult<()>;
    /// Every consumer the store knows, by name.
    async fn consumer_states(&self) -> StoreResult<Vec<ConsumerState>>;
    /// Dead letters, newest first, of one consumer or all.
    async fn dead_letters(
        &self,
        consumer: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<DeadLetter>>;
    /// Removes a dead letter (after it was handled by hand, or replayed); false if none.
    async fn remove_dead_letter(&self, consumer: &str, seq: i64) -> StoreResult<bool>;
    /// A signal whose value changes after a commit that may have appended events: every commit
    /// of this process, and on PostgreSQL every commit of any process (`LISTEN/NOTIFY`).
    /// Consumers also poll, so a missed signal only delays them.
    fn event_signal(&self) -> tokio::sync::watch::Receiver<u64>;
}

port_bundle!(
    /// What the runtime reads and writes: the stream (the audit log) and its consumers'
    /// bookkeeping. Part of every `ports::Store`.
    pub trait EventLog: AuditStore, EventStore);
