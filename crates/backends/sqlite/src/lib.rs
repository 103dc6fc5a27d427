//! # msme-sqlite
//!
//! The embedded default storage backend of the MSME Exchange: one SQLite file, in WAL mode, with
//! its own versioned migrations. [`SqliteStore`] implements every port of
//! [`msme_core::ports::Store`].
//!
//! One writer connection behind a mutex takes every write, each in a `BEGIN IMMEDIATE`
//! transaction that also appends the audit entry; a few read-only connections serve reads
//! beside it. All SQLite calls run on tokio's blocking threads, never on the async ones.
//!
//! ```no_run
//! # async fn demo() -> Result<(), msme_core::error::StoreError> {
//! use msme_core::ports::StoreMeta;
//! let store = msme_sqlite::SqliteStore::open(std::path::Path::new("msme-data/msme.db")).await?;
//! store.health().await?;
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]

mod audit;
mod buyers;
mod comparables;
mod documents;
mod error;
mod events;
mod ledger;
mod listing_sql;
mod listings;
mod market_rows;
mod match_store;
mod model_registry;
mod otp;
mod profiles;
mod rows;
mod sandbox;
mod schema;
mod sessions;
mod statements;
mod users;
mod valuations;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use msme_core::error::StoreError;
use msme_core::ledger::IdempotentOutcome;
use msme_core::ports::StoreResult;
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::error::{task_failed, Step};

/// How many read-only connections run beside the writer.
const READERS: usize = 4;

/// The SQLite store. Cheap to clone; clones share the connections.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

/// Field order matters: readers drop first, so the writer closes last and, as the last
/// connection, checkpoints the WAL into the main file.
struct Inner {
    path: PathBuf,
    readers: Vec<Mutex<Connection>>,
    writer: Mutex<Connection>,
    next_reader: AtomicUsize,
    /// The audit head's `seq` as of the last commit of this process, for
    /// [`EventStore::event_signal`](msme_core::ports::EventStore::event_signal).
    events: tokio::sync::watch::Sender<u64>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.inner.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens the database at `path`, creating the file and its directory if missing, and
    /// applies the migrations it lacks.
    ///
    /// Fails with [`StoreError::SchemaTooNew`] when a newer program has migrated the file, and
    /// with [`StoreError::Unavailable`] when the file cannot be opened.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let path = path.to_path_buf();
        tokio::task::spawn_blocking(move || Self::open_blocking(path))
            .await
            .map_err(task_failed)?
    }

    fn open_blocking(path: PathBuf) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Unavailable(e.into()))?;
        }
        let mut writer = schema::open_writer(&path)?;
        let version = schema::migrate(&mut writer)?;
        let readers = (0..READERS)
            .map(|_| schema::open_reader(&path).map(Mutex::new))
            .collect::<Result<_, _>>()?;
        let head = events::head_seq(&writer).step("reading the audit head")?;
        tracing::debug!(path = %path.display(), version, "opened sqlite store");
        Ok(Self {
            inner: Arc::new(Inner {
                path,
                readers,
                writer: Mutex::new(writer),
                next_reader: AtomicUsize::new(0),
                events: tokio::sync::watch::Sender::new(head),
            }),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `f` on a reader connection, off the async threads.
    async fn read<T, F>(&self, step: &'static str, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || f(&inner.reader()).step(step))
            .await
            .map_err(task_failed)?
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction on the writer, off the async threads, and
    /// commits when it returns `Ok`; an `Err` rolls everything back.
    async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> StoreResult<T> + Send + 'static,
    {
        self.write_if(f, |_| true).await
    }

    /// Like [`SqliteStore::write`] for ledger writes: commits only when `f` answers
    /// `Applied`; a replay, conflict, stale version or overdraft rolls everything back.
    async fn write_guarded<F>(&self, f: F) -> StoreResult<IdempotentOutcome>
    where
        F: FnOnce(&Transaction<'_>) -> StoreResult<IdempotentOutcome> + Send + 'static,
    {
        self.write_if(f, |out| *out == IdempotentOutcome::Applied)
            .await
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction on the writer, off the async threads, and
    /// commits when it returns `Ok` and `commit` agrees; otherwise everything rolls back.
    async fn write_if<T, F>(&self, f: F, commit: fn(&T) -> bool) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> StoreResult<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = lock(&inner.writer);
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .step("beginning a write")?;
            let out = f(&tx)?;
            if commit(&out) {
                tx.commit().step("committing a write")?;
                inner.signal_events(&conn);
            }
            Ok(out)
        })
        .await
        .map_err(task_failed)?
    }
}

impl Inner {
    /// A free reader if there is one, else the next in turn.
    fn reader(&self) -> MutexGuard<'_, Connection> {
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        let n = self.readers.len();
        (0..n)
            .find_map(|i| self.readers[(start + i) % n].try_lock().ok())
            .unwrap_or_else(|| lock(&self.readers[start % n]))
    }

    /// Wakes the event stream's consumers when the commit just made on `writer` appended audit
    /// entries, and only then: lease and cursor writes append none, and must not wake the
    /// consumers that make them. The commit stands whatever happens here.
    fn signal_events(&self, writer: &Connection) {
        match events::head_seq(writer) {
            Ok(seq) => {
                self.events.send_if_modified(|known| {
                    let moved = seq > *known;
                    if moved {
                        *known = seq;
                    }
                    moved
                });
            }
            Err(e) => tracing::warn!(error = %e, "cannot read the audit head after a commit"),
        }
    }
}

/// Locks a connection. A panic while it was held cannot leave a transaction open (dropping a
/// `Transaction` rolls it back), so a poisoned lock is safe to take.
fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    conn.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests;
