//! Versioned schema migrations: `.sql` files embedded in the binary, applied in order on open.
//!
//! Each migration runs in its own transaction together with its row in `schema_migrations`, so
//! it is applied whole or not at all. A session-level advisory lock serialises runners across
//! processes: two servers starting at once do not both apply version 1.

use msme_core::error::StoreError;
use sqlx::{Connection, PgConnection, Row};

use crate::error::store_error;

/// One schema version and the SQL that brings the previous version to it.
struct Migration {
    version: i64,
    sql: &'static str,
}

impl Migration {
    const fn new(version: i64, sql: &'static str) -> Self {
        Migration { version, sql }
    }
}

/// Every migration this code knows, in version order, starting at 1. Numbers are handed out
/// per feature branch, so a gap can stand until the branch that owns the number is merged.
const MIGRATIONS: &[Migration] = &[
    Migration::new(1, include_str!("../migrations/0001_initial.sql")),
    Migration::new(2, include_str!("../migrations/0002_outbox_redaction.sql")),
    Migration::new(3, include_str!("../migrations/0003_marketplace.sql")),
    Migration::new(4, include_str!("../migrations/0004_ledger.sql")),
    Migration::new(5, include_str!("../migrations/0005_valuations.sql")),
    Migration::new(
        6,
        include_str!("../migrations/0006_search_and_matching.sql"),
    ),
    Migration::new(7, include_str!("../migrations/0007_models.sql")),
    Migration::new(8, include_str!("../migrations/0008_payments.sql")),
    Migration::new(9, include_str!("../migrations/0009_runtime.sql")),
    Migration::new(
        10,
        include_str!("../migrations/0010_one_open_escrow_per_listing.sql"),
    ),
    Migration::new(11, include_str!("../migrations/0011_matcher_consumer.sql")),
    Migration::new(12, include_str!("../migrations/0012_search_analysis.sql")),
];

/// The newest schema version this code knows.
pub const SUPPORTED_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// Every migration version this code applies, in order. Numbers are handed out per feature
/// branch, so a build may skip some (those of branches not merged into it).
pub fn migration_versions() -> Vec<i64> {
    MIGRATIONS.iter().map(|m| m.version).collect()
}

/// Key of the advisory lock held while migrating ("msmemigr" in ASCII). Advisory locks are per
/// database, so runners on different databases of one server do not wait for each other.
const MIGRATION_LOCK: i64 = 0x6d73_6d65_6d69_6772;

/// Brings the database to [`SUPPORTED_VERSION`]; refuses a database at a newer version.
pub(crate) async fn run(conn: &mut PgConnection) -> Result<i64, StoreError> {
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *conn)
        .await
        .map_err(store_error)?;
    let outcome = migrate_locked(conn).await;
    // If the unlock fails the connection is broken, and a broken session's locks go with it.
    let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *conn)
        .await
        .map_err(store_error);
    let version = outcome?;
    unlocked?;
    Ok(version)
}

async fn migrate_locked(conn: &mut PgConnection) -> Result<i64, StoreError> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    BIGINT PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )
    .execute(&mut *conn)
    .await
    .map_err(store_error)?;
    let found = current_version(conn).await?;
    if found > SUPPORTED_VERSION {
        return Err(StoreError::SchemaTooNew {
            found,
            supported: SUPPORTED_VERSION,
        });
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > found) {
        apply(conn, m).await?;
        tracing::info!(version = m.version, "applied PostgreSQL migration");
    }
    Ok(SUPPORTED_VERSION)
}

/// The highest version recorded in `schema_migrations`, 0 for a fresh database.
pub(crate) async fn current_version(conn: &mut PgConnection) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
        .fetch_one(&mut *conn)
        .await
        .map_err(store_error)?;
    row.try_get("v").map_err(store_error)
}

async fn apply(conn: &mut PgConnection, m: &Migration) -> Result<(), StoreError> {
    let mut tx = conn.begin().await.map_err(store_error)?;
    sqlx::raw_sql(m.sql)
        .execute(&mut *tx)
        .await
        .map_err(store_error)?;
    sqlx::query("INSERT INTO schema_migrations (version) VALUES ($1)")
        .bind(m.version)
        .execute(&mut *tx)
        .await
        .map_err(store_error)?;
    tx.commit().await.map_err(store_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Numbers are handed out per feature branch, so a branch may skip the numbers of others
    /// (they fill in when merged); they must still start at one and only go up.
    #[test]
    fn versions_start_at_one_and_only_go_up() {
        assert_eq!(MIGRATIONS[0].version, 1);
        for pair in MIGRATIONS.windows(2) {
            assert!(pair[0].version < pair[1].version);
        }
    }
}
