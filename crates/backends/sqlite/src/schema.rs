//! Opening connections with the settings every one needs, and applying migrations.

use std::path::Path;
use std::time::Duration;

use msme_core::error::StoreError;
use rusqlite::{params, Connection, OpenFlags, TransactionBehavior};

use crate::error::Step;

/// Migrations in order: `(version, sql)`. A version, once released, never changes.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_initial.sql")),
    (2, include_str!("../migrations/0002_outbox_redaction.sql")),
    (3, include_str!("../migrations/0003_marketplace.sql")),
    (4, include_str!("../migrations/0004_ledger.sql")),
    (5, include_str!("../migrations/0005_valuations.sql")),
    (6, include_str!("../migrations/0006_matching.sql")),
    (7, include_str!("../migrations/0007_models.sql")),
    (8, include_str!("../migrations/0008_payments.sql")),
    (9, include_str!("../migrations/0009_runtime.sql")),
    (
        10,
        include_str!("../migrations/0010_one_open_escrow_per_listing.sql"),
    ),
    (11, include_str!("../migrations/0011_matcher_consumer.sql")),
];

/// The newest schema version this code knows.
pub(crate) const LATEST: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// How long a statement waits for another process's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens the connection that writes, creating the file if needed, in WAL mode.
pub(crate) fn open_writer(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(|e| StoreError::Unavailable(e.into()))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .step("setting busy_timeout")?;
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "wal", |row| row.get(0))
        .step("switching to WAL")?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::backend(crate::error::Inconsistent(format!(
            "journal_mode is {mode}, not wal"
        ))));
    }
    // FULL: a committed transaction survives power loss, not only a crash of the program.
    conn.pragma_update(None, "synchronous", "FULL")
        .step("setting synchronous")?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .step("enabling foreign keys")?;
    Ok(conn)
}

/// Opens a connection that only reads; WAL lets it run beside the writer.
pub(crate) fn open_reader(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn =
        Connection::open_with_flags(path, flags).map_err(|e| StoreError::Unavailable(e.into()))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .step("setting busy_timeout")?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .step("enabling foreign keys")?;
    Ok(conn)
}

/// Applies the migrations the database lacks, each in its own transaction, and refuses a
/// database written by newer code. Returns the version the database is now at.
pub(crate) fn migrate(conn: &mut Connection) -> Result<i64, StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             applied_at INTEGER NOT NULL
         ) STRICT",
    )
    .step("creating schema_migrations")?;
    refuse_newer(version_in(conn)?)?;
    for &(version, sql) in MIGRATIONS {
        apply(conn, version, sql)?;
    }
    version_in(conn)
}

/// Applies one migration unless the database already has it.
fn apply(conn: &mut Connection, version: i64, sql: &str) -> Result<(), StoreError> {
    // IMMEDIATE: when two processes open the same new file, each migration runs once.
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .step("starting a migration")?;
    let current = version_in(&tx)?;
    refuse_newer(current)?;
    if current >= version {
        return Ok(());
    }
    tx.execute_batch(sql).step("applying a migration")?;
    let now = chrono::Utc::now().timestamp_micros();
    tx.execute(
        "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
        params![version, now],
    )
    .step("recording a migration")?;
    tx.commit().step("committing a migration")?;
    tracing::info!(version, "applied sqlite migration");
    Ok(())
}

fn refuse_newer(found: i64) -> Result<(), StoreError> {
    if found > LATEST {
        return Err(StoreError::SchemaTooNew {
            found,
            supported: LATEST,
        });
    }
    Ok(())
}

/// The highest migration recorded, 0 for a new database.
pub(crate) fn version_in(conn: &Connection) -> Result<i64, StoreError> {
    conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |row| row.get(0),
    )
    .step("reading the schema version")
}
