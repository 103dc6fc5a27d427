//! Turning sqlx errors into the core's [`StoreError`].
//!
//! Messages from sqlx and PostgreSQL name hosts, users, tables and constraints, never a password:
//! the URL's password only travels inside `PgConnectOptions`, which is never formatted.

use msme_core::error::StoreError;

/// PostgreSQL's `unique_violation`.
const UNIQUE_VIOLATION: &str = "23505";

/// Maps an error from any query: lost connections become `Unavailable`, unique violations of
/// the account keys `Duplicate`, the rest `Backend` with the cause kept for the log.
pub(crate) fn store_error(e: sqlx::Error) -> StoreError {
    if is_connection_failure(&e) {
        return StoreError::Unavailable(Box::new(e));
    }
    if let Some(db) = e.as_database_error() {
        if db.code().as_deref() == Some(UNIQUE_VIOLATION) {
            match db.constraint() {
                Some("users_mobile_key") => return StoreError::Duplicate("mobile"),
                Some("users_email_key") => return StoreError::Duplicate("email"),
                Some("escrows_one_open_per_listing") => {
                    return StoreError::Duplicate("listing_escrow")
                }
                _ => {}
            }
        }
    }
    StoreError::Backend(Box::new(e))
}

/// Whether the failure is about reaching the server rather than about the query.
fn is_connection_failure(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|c| is_unavailable_code(&c)),
        _ => false,
    }
}

/// SQLSTATEs meaning the server cannot serve us now: connection exceptions (class 08), refused
/// credentials (class 28), a missing database, shutdown, recovery and connection limits.
fn is_unavailable_code(code: &str) -> bool {
    code.starts_with("08")
        || code.starts_with("28")
        || matches!(code, "3D000" | "53300" | "57P01" | "57P02" | "57P03")
}

/// The row a write was aimed at, or a `Backend` error naming what was missing: the callers
/// name rows they read just before, so a missing one means the data changed under them.
pub(crate) fn found<T>(row: Option<T>, what: &str) -> Result<T, StoreError> {
    row.ok_or_else(|| StoreError::backend(format!("no such {what}")))
}

/// A stored value the code cannot read back (a role it does not know, say).
pub(crate) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::backend(format!("stored {what} {value:?} is not valid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_and_pool_failures_are_unavailable() {
        let io = sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert!(matches!(store_error(io), StoreError::Unavailable(_)));
        assert!(matches!(
            store_error(sqlx::Error::PoolTimedOut),
            StoreError::Unavailable(_)
        ));
    }

    #[test]
    fn other_failures_are_backend_errors() {
        assert!(matches!(
            store_error(sqlx::Error::RowNotFound),
            StoreError::Backend(_)
        ));
    }

    #[test]
    fn server_side_connection_codes_are_unavailable() {
        for code in ["08006", "28P01", "57P01", "53300", "3D000"] {
            assert!(is_unavailable_code(code), "{code}");
        }
        assert!(!is_unavailable_code("23505"));
    }
}
