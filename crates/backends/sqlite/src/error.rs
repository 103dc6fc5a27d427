//! Turning SQLite failures into [`StoreError`]s that say what was being done.

use msme_core::error::StoreError;
use rusqlite::ffi;

/// A SQLite failure and the step it happened in. Carries no parameters, so no secrets.
#[derive(Debug, thiserror::Error)]
#[error("sqlite: {step}")]
pub(crate) struct StepFailed {
    step: &'static str,
    #[source]
    source: rusqlite::Error,
}

/// A step that found the database in a state it should never be in.
#[derive(Debug, thiserror::Error)]
#[error("sqlite: {0}")]
pub(crate) struct Inconsistent(pub(crate) String);

/// Fails unless an update found the row it was aimed at.
pub(crate) fn found<T>(row: Option<T>, what: &str) -> Result<T, StoreError> {
    row.ok_or_else(|| StoreError::backend(Inconsistent(format!("no such {what}"))))
}

/// Adds the step to a rusqlite result.
pub(crate) trait Step<T> {
    fn step(self, step: &'static str) -> Result<T, StoreError>;
}

impl<T> Step<T> for rusqlite::Result<T> {
    fn step(self, step: &'static str) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::backend(StepFailed { step, source }))
    }
}

/// Like [`Step`], but a broken uniqueness rule on an account becomes `Duplicate`.
pub(crate) fn unique_or(step: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |source| match taken_field(&source) {
        Some(field) => StoreError::Duplicate(field),
        None => StoreError::backend(StepFailed { step, source }),
    }
}

/// Which account field a UNIQUE violation is about, from SQLite's message
/// (`UNIQUE constraint failed: users.mobile`).
fn taken_field(e: &rusqlite::Error) -> Option<&'static str> {
    let rusqlite::Error::SqliteFailure(code, Some(message)) = e else {
        return None;
    };
    if code.extended_code != ffi::SQLITE_CONSTRAINT_UNIQUE {
        return None;
    }
    ["mobile", "email"]
        .into_iter()
        .find(|field| message.ends_with(&format!("users.{field}")))
}

/// A blocking task that did not finish (it panicked or the runtime is shutting down).
pub(crate) fn task_failed(e: tokio::task::JoinError) -> StoreError {
    StoreError::backend(e)
}
