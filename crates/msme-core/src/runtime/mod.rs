//! The runtime: consumers of the event stream, each with its own durable cursor.
//!
//! Whatever must follow a change (the search index, saved matches, payouts, SMS delivery,
//! training jobs, an embedder's own reactions) is a [`Consumer`]. The [`Runtime`] feeds each
//! one the events after its cursor, in order and in batches, and moves the cursor only after
//! the handler succeeded: delivery is at least once, so handlers are idempotent.
//!
//! - **One worker per consumer at a time.** A worker holds a consumer's lease (renewed while it
//!   works) before reading; several workers on one database share the consumers and never run
//!   one consumer's batch twice. A lost lease (a worker stalled past it) stops the advance.
//! - **Woken on commit, polling as a fallback**: the store's [`EventStore::event_signal`]
//!   (this process; PostgreSQL `LISTEN/NOTIFY` across processes) and every
//!   [`RuntimeOptions::poll`].
//! - **Retries and dead letters.** A failing batch is retried with backoff; one that keeps
//!   failing is handled event by event, and an event failing [`RuntimeOptions::attempts`] times
//!   is recorded as a dead letter and stepped over, so the rest go on. A handler answering
//!   [`HandlerError::Retry`] (a database down) is retried without limit and never dead-lettered.
//!
//! The runtime starts no task: [`Runtime::run`] is one future that drives every consumer, for
//! the caller (`msme serve`, `msme worker`, an embedder) to await.

mod follow;
mod store;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

// The built-in consumers' names, under which each keeps its cursor and lease.
/// The search index following listings and KYC decisions.
pub const INDEXER_CONSUMER: &str = "search-indexer";
/// Buyers' saved matches following listings, valuations and preferences.
pub const MATCHER_CONSUMER: &str = "matcher";
/// The payout pass's consumer.
pub const PAYOUTS_CONSUMER: &str = "payouts";
/// SMS delivery from the outbox.
pub const SMS_CONSUMER: &str = "sms";
/// Model training jobs.
pub const TRAINER_CONSUMER: &str = "trainer";
/// Listings following their escrows.
pub const LISTING_ESCROWS_CONSUMER: &str = "listing-escrows";
/// Sales becoming comparable deals for the valuation models.
pub const COMPARABLE_SALES_CONSUMER: &str = "comparable-sales";

use crate::audit::AuditEntry;
use crate::clock::Clock;
use crate::error::StoreError;
use crate::events::Event;
pub use store::{Advance, ConsumerState, DeadLetter, EventLog, EventStore, Lease};

/// Why a handler did not finish a batch.
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// Something outside the event is down (the database, the index): try again later, without
    /// limit; never a dead letter.
    #[error("{0} (will retry)")]
    Retry(String),
    /// The handler failed on these events; after [`RuntimeOptions::attempts`] tries the event
    /// is a dead letter.
    #[error("{0}")]
    Failed(String),
}

impl HandlerError {
    /// `Retry` for an unreachable database, `Failed` for any other storage error.
    pub fn from_store(e: &StoreError) -> Self {
        let text = crate::error::chain(e);
        match e {
            StoreError::Unavailable(_) => HandlerError::Retry(text),
            _ => HandlerError::Failed(text),
        }
    }
}

/// Something that reacts to events. Its effects must be idempotent: after a crash the events
/// since its last advance are handed to it again.
#[async_trait]
pub trait Consumer: Send + Sync {
    /// The name its cursor and lease are kept under; never change it once deployed.
    fn name(&self) -> &str;
    /// Whether it reacts to this event; events it does not want move its cursor unhandled.
    fn wants(&self, event: &Event) -> bool;
    /// Handles events it wants, in stream order. Called with none on a [`Consumer::tick`].
    async fn handle(&self, events: &[Event]) -> Result<(), HandlerError>;
    /// How often to call [`Consumer::handle`] even when no event came (retries, polling a
    /// provider); `None` for never.
    fn tick(&self) -> Option<Duration> {
        None
    }
}

/// Something this process keeps in memory and writes in batches (buyers' views): the runtime
/// calls [`Flusher::flush`] every [`Flusher::every`] and once more when it stops. Unlike a
/// consumer it holds no lease: every process flushes its own.
#[async_trait]
pub trait Flusher: Send + Sync {
    fn name(&self) -> &str;
    /// How long what it holds may wait: what a crash can lose.
    fn every(&self) -> Duration;
    /// Writes what it holds; answers how much was written.
    async fn flush(&self) -> Result<u64, HandlerError>;
}

/// How the runtime paces its consumers.
#[derive(Clone, Debug)]
pub struct RuntimeOptions {
    /// Events read per batch.
    pub batch: u32,
    /// The longest a consumer waits for the next look at the stream without a signal.
    pub poll: Duration,
    /// How long a lease lasts without renewal.
    pub lease: Duration,
    /// Tries of one event before it becomes a dead letter.
    pub attempts: u32,
    /// The first retry's wait; each retry doubles it, up to [`RuntimeOptions::max_backoff`].
    pub backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for RuntimeOptions {
    fn default() -> Self {
        Self {
            batch: 500,
            poll: Duration::from_millis(250),
            lease: Duration::from_secs(30),
            attempts: 3,
            backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(10),
        }
    }
}

impl RuntimeOptions {
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(16));
        self.backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

/// A consumer's place in the stream, for `msme worker status`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerStatus {
    pub state: ConsumerState,
    /// Events committed after its cursor.
    pub lag: i64,
    /// Whether a worker holds its lease now.
    pub leased: bool,
}

/// What [`Runtime::catch_up`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CatchUp {
    /// Events read (wanted or not).
    pub events: u64,
    pub dead_letters: u64,
    /// Where the consumer's cursor stands now.
    pub cursor: i64,
    /// True when another worker holds the consumer: it is catching up there, not here.
    pub held_elsewhere: bool,
}

/// Runs consumers over the event stream. Cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    log: Arc<dyn EventLog>,
    clock: Arc<dyn Clock>,
    consumers: Vec<Arc<dyn Consumer>>,
    flushers: Vec<Arc<dyn Flusher>>,
    options: RuntimeOptions,
    worker: String,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.consumers.iter().map(|c| c.name()).collect();
        f.debug_struct("Runtime")
            .field("worker", &self.worker)
            .field("consumers", &names)
            .finish_non_exhaustive()
    }
}

impl Runtime {
    /// A runtime with no consumers yet, under a fresh worker id.
    pub fn new(log: Arc<dyn EventLog>, clock: Arc<dyn Clock>) -> Self {
        let host = hostname().unwrap_or_else(|| "unknown-host".into());
        let short = uuid::Uuid::new_v4().simple().to_string();
        Self {
            log,
            clock,
            consumers: Vec::new(),
            flushers: Vec::new(),
            options: RuntimeOptions::default(),
            worker: format!("{host}:{}:{}", std::process::id(), &short[..8]),
        }
    }

    /// Adds a consumer (an embedder's own, beside the platform's).
    pub fn with(mut self, consumer: Arc<dyn Consumer>) -> Self {
        self.consumers.push(consumer);
        self
    }

    /// Adds a flusher (the platform's view flusher, or an embedder's own).
    pub fn with_flusher(mut self, flusher: Arc<dyn Flusher>) -> Self {
        self.flushers.push(flusher);
        self
    }

    /// Keeps only the consumers `keep` accepts (e.g. `msme worker --consumer`).
    pub fn only(mut self, keep: impl Fn(&str) -> bool) -> Self {
        self.consumers.retain(|c| keep(c.name()));
        self
    }

    pub fn options(mut self, options: RuntimeOptions) -> Self {
        self.options = options;
        self
    }

    /// This worker's id, as stored on the leases it holds.
    pub fn worker_id(&self) -> &str {
        &self.worker
    }

    /// The consumers' names, in the order they were added.
    pub fn consumer_names(&self) -> Vec<String> {
        self.consumers
            .iter()
            .map(|c| c.name().to_string())
            .collect()
    }

    /// Drives every consumer until `shutdown` completes, then gives their leases up.
    pub async fn run(&self, shutdown: impl std::future::Future<Output = ()>) {
        self.drive(true, shutdown).await
    }

    /// Drives only the flushers until `shutdown` completes, then flushes once more: for a
    /// process that leaves the consumers to workers elsewhere (`msme serve --no-worker`) but
    /// holds what only it can write.
    pub async fn run_flushers(&self, shutdown: impl std::future::Future<Output = ()>) {
        self.drive(false, shutdown).await
    }

    async fn drive(&self, consumers: bool, shutdown: impl std::future::Future<Output = ()>) {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let consumers: &[Arc<dyn Consumer>] = if consumers { &self.consumers } else { &[] };
        let loops = consumers
            .iter()
            .map(|c| {
                futures_util::future::Either::Left(follow::follow(
                    self,
                    c.as_ref(),
                    stopped.clone(),
                ))
            })
            .chain(self.flushers.iter().map(|f| {
                futures_util::future::Either::Right(flush_every(f.as_ref(), stopped.clone()))
            }));
        let all = futures_util::future::join_all(loops);
        tokio::pin!(all);
        tokio::select! {
            _ = &mut all => {}
            _ = shutdown => {
                let _ = stop.send(true);
                all.await;
            }
        }
    }

    /// Brings one consumer up to the head of the stream now, if its lease can be had (an
    /// operator's command, a process opening a data directory).
    pub async fn catch_up(&self, consumer: &str) -> Result<CatchUp, RuntimeError> {
        let c = self
            .consumers
            .iter()
            .find(|c| c.name() == consumer)
            .ok_or_else(|| RuntimeError::UnknownConsumer(consumer.to_string()))?;
        follow::catch_up(self, c.as_ref()).await
    }

    /// Every consumer's place, lag and lease, by name.
    pub async fn status(&self) -> Result<Vec<ConsumerStatus>, StoreError> {
        let head = self.log.audit_head().await?.map_or(0, |(seq, _)| seq);
        let now = self.clock.now();
        let states = self.log.consumer_states().await?;
        Ok(states
            .into_iter()
            .map(|state| ConsumerStatus {
                lag: (head - state.cursor).max(0),
                leased: state.lease_owner.is_some() && state.lease_until.is_some_and(|u| u > now),
                state,
            })
            .collect())
    }

    /// Dead letters, newest first, of one consumer or all.
    pub async fn dead_letters(
        &self,
        consumer: Option<&str>,
        limit: u32,
    ) -> Result<Vec<DeadLetter>, StoreError> {
        self.log.dead_letters(consumer, limit.clamp(1, 1000)).await
    }

    /// Hands a dead letter's event to its consumer again; on success the letter is removed.
    pub async fn retry_dead_letter(&self, consumer: &str, seq: i64) -> Result<(), RuntimeError> {
        let c = self
            .consumers
            .iter()
            .find(|c| c.name() == consumer)
            .ok_or_else(|| RuntimeError::UnknownConsumer(consumer.to_string()))?;
        let letters = self.log.dead_letters(Some(consumer), 1000).await?;
        if !letters.iter().any(|l| l.seq == seq) {
            return Err(RuntimeError::NoDeadLetter { seq });
        }
        let entry: Vec<AuditEntry> = self.log.audit_page(seq - 1, 1).await?;
        let events: Vec<Event> = entry.iter().map(Event::from_entry).collect();
        c.handle(&events).await.map_err(RuntimeError::Handler)?;
        self.log.remove_dead_letter(consumer, seq).await?;
        Ok(())
    }
}

/// This machine's name, as the kernel has it (Linux), else `$HOSTNAME`.
fn hostname() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty() && !h.contains(':'))
}

/// Whether `worker` (an id [`Runtime::new`] made) names a process of this machine that has
/// exited: its lease can be given up for it at once instead of waiting for it to expire (a
/// crashed `msme serve` restarted). Only where that can be known (Linux's `/proc`); a reused
/// pid counts as alive, which only means waiting.
fn is_dead_local_worker(worker: &str, me: &str) -> bool {
    let (Some(host), Some(mine)) = (hostname(), me.split(':').next()) else {
        return false;
    };
    let mut parts = worker.split(':');
    let (Some(theirs), Some(pid)) = (parts.next(), parts.next()) else {
        return false;
    };
    let proc_fs = std::path::Path::new("/proc/self").exists();
    theirs == host
        && mine == host
        && proc_fs
        && worker != me
        && pid.parse::<u32>().is_ok_and(|pid| {
            pid != std::process::id()
                && !std::path::Path::new("/proc").join(pid.to_string()).exists()
        })
}

/// What went wrong running consumers by hand.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("there is no consumer `{0}` in this process")]
    UnknownConsumer(String),
    #[error("there is no dead letter at event {seq} for that consumer")]
    NoDeadLetter { seq: i64 },
    #[error("the handler failed: {0}")]
    Handler(HandlerError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl crate::error::DomainError for RuntimeError {
    fn code(&self) -> &'static str {
        match self {
            RuntimeError::UnknownConsumer(_) => "unknown_consumer",
            RuntimeError::NoDeadLetter { .. } => "dead_letter_not_found",
            RuntimeError::Handler(_) => "handler_failed",
            RuntimeError::Store(e) => e.code(),
        }
    }
    fn kind(&self) -> crate::error::ErrorKind {
        use crate::error::ErrorKind;
        match self {
            RuntimeError::UnknownConsumer(_) | RuntimeError::NoDeadLetter { .. } => {
                ErrorKind::NotFound
            }
            RuntimeError::Handler(_) => ErrorKind::Unavailable,
            RuntimeError::Store(e) => e.kind(),
        }
    }
}

/// A flusher's loop: flush every [`Flusher::every`], and once more when told to stop.
async fn flush_every(f: &dyn Flusher, mut stopped: tokio::sync::watch::Receiver<bool>) {
    loop {
        let stop = *stopped.borrow();
        if !stop {
            tokio::select! {
                _ = tokio::time::sleep(f.every()) => {}
                _ = stopped.changed() => {}
            }
        }
        if let Err(e) = f.flush().await {
            tracing::warn!(flusher = f.name(), error = %e, "flush failed");
        }
        if stop || *stopped.borrow() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn only_an_exited_process_of_this_machine_loses_its_lease_early() {
        let Some(host) = hostname() else { return };
        let me = format!("{host}:{}:aaaaaaaa", std::process::id());
        let mut child = std::process::Command::new("true").spawn().expect("spawn");
        let exited = child.id();
        child.wait().expect("wait");
        if !std::path::Path::new("/proc/self").exists() {
            assert!(!is_dead_local_worker(&format!("{host}:{exited}:b"), &me));
            return;
        }
        assert!(is_dead_local_worker(
            &format!("{host}:{exited}:bbbbbbbb"),
            &me
        ));
        assert!(!is_dead_local_worker(
            &format!("{host}:{}:cccccccc", std::process::id()),
            &me
        ));
        assert!(!is_dead_local_worker(
            &format!("elsewhere:{exited}:bbbbbbbb"),
            &me
        ));
        assert!(!is_dead_local_worker("not a worker id", &me));
        let parent = std::os::unix::process::parent_id();
        assert!(!is_dead_local_worker(
            &format!("{host}:{parent}:dddddddd"),
            &me
        ));
    }
}
