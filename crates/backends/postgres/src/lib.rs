//! PostgreSQL storage backend for the MSME Exchange, through sqlx.
//!
//! [`PgStore`] implements every storage port of `msme-core` on a connection pool. Opening it
//! applies the embedded migrations (see `migrations/`), and refuses a database whose schema is
//! newer than this code. Every state-changing method commits its change and its audit entry in
//! one transaction; appends serialise on the single `audit_head` row, which keeps the audit
//! `seq` gapless and in commit order.
//!
//! ```no_run
//! # async fn demo() -> Result<(), msme_core::error::StoreError> {
//! use msme_core::ports::StoreMeta;
//! let store = msme_postgres::PgStore::connect("postgres://msme@localhost/msme").await?;
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
mod kyc;
mod ledger;
mod listings;
mod match_store;
mod meta;
mod migrate;
mod model_registry;
mod otp;
mod outbox;
mod profiles;
mod rows;
mod sandbox;
mod search;
mod sessions;
mod signal;
mod users;
mod valuations;

#[cfg(feature = "testing")]
pub mod testing;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use msme_core::error::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::Connection;

pub use migrate::{migration_versions, SUPPORTED_VERSION};
pub use search::PgSearchIndex;

/// How long a caller waits for a pooled connection (or for a new one to open) before the
/// store answers `Unavailable`.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections kept by [`PgStore::connect`].
const DEFAULT_MAX_CONNECTIONS: u32 = 10;

/// The PostgreSQL store: a pool of connections to one migrated database. Cheap to clone.
///
/// Its `Debug` shows the pool's size and settings, never the connect options (whose own
/// `Debug` would print the password).
#[derive(Clone, Debug)]
pub struct PgStore {
    pool: PgPool,
    /// Shared by clones, so that one listener serves them all.
    signal: Arc<signal::EventSignal>,
}

impl PgStore {
    /// Connects to the database named by a `postgres://` URL, applies pending migrations and
    /// checks the schema version. Fails with `Unavailable` when the server cannot be reached,
    /// `SchemaTooNew` when the database was migrated by newer code.
    #[tracing::instrument(skip_all)]
    pub async fn connect(url: &str) -> Result<PgStore, StoreError> {
        // The parse error says what is wrong with the URL without repeating it (or its password).
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Backend(format!("invalid PostgreSQL URL: {e}").into()))?;
        Self::connect_with(options, DEFAULT_MAX_CONNECTIONS).await
    }

    /// Like [`PgStore::connect`], from parsed options and with a chosen pool size.
    #[tracing::instrument(skip_all)]
    pub async fn connect_with(
        options: PgConnectOptions,
        max_connections: u32,
    ) -> Result<PgStore, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(ACQUIRE_TIMEOUT)
            // Pings a pooled connection before handing it out, so connections that died with a
            // server restart are replaced instead of failing the next query.
            .test_before_acquire(true)
            .connect_with(options)
            .await
            .map_err(error::store_error)?;
        // Migrate on a connection taken out of the pool: should this future be dropped halfway,
        // the connection closes with it and its advisory lock goes too, instead of returning
        // to the pool still holding the lock.
        let mut conn = pool.acquire().await.map_err(error::store_error)?.detach();
        migrate::run(&mut conn).await?;
        let _ = conn.close().await;
        Ok(PgStore {
            pool,
            signal: signal::EventSignal::new(),
        })
    }

    /// The underlying pool, for tools that need SQL of their own (benchmarks, tests).
    /// Do not format its `connect_options()`: they hold the password.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Closes every connection; later calls fail with `Unavailable`.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, StoreError> {
        self.pool.begin().await.map_err(error::store_error)
    }

    /// A read-only transaction that sees one snapshot, for reads of several statements (a
    /// listing and its financials) that must not see a write land in between.
    async fn snapshot(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, StoreError> {
        self.pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
            .map_err(error::store_error)
    }
}
