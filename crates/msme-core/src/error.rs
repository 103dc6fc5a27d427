//! Errors: one enum per domain area, each with a stable machine-readable code and a kind that
//! the HTTP server maps to a status in one place.

use std::error::Error as StdError;

/// A boxed cause from a backend, kept for logs, never shown to clients.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// How a failure is presented to a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request itself is wrong (400 / 422).
    InvalidInput,
    /// No or bad credentials (401).
    Unauthenticated,
    /// Authenticated, but not allowed (403).
    Forbidden,
    /// The thing does not exist, or the caller may not know it exists (404).
    NotFound,
    /// The request conflicts with current state (409).
    Conflict,
    /// Too many attempts; retry later (429).
    RateLimited,
    /// A dependency is down (503).
    Unavailable,
    /// A bug or an unexpected failure (500); details go to the log only.
    Internal,
}

/// Every domain error says what kind of failure it is and gives a stable code.
pub trait DomainError: StdError {
    fn code(&self) -> &'static str;
    fn kind(&self) -> ErrorKind;
    /// For rate limits: seconds until a retry may succeed.
    fn retry_after_secs(&self) -> Option<u64> {
        None
    }
    /// For validation errors: the request field at fault.
    fn field(&self) -> Option<&str> {
        None
    }
}

/// Implements [`DomainError`] for an error enum. The variants after `via` wrap an error that
/// answers for itself (a `ValidationError`, `Forbidden`, `StoreError`, another area's error):
/// their code, kind and field are the inner error's. Every other variant is given its code and
/// kind under `codes`, and, under `fields`, the request field at fault where there is one.
macro_rules! impl_domain_error {
    ($ty:ident {
        via: $($via:ident),+;
        codes: { $($pat:pat => $code:literal, $kind:ident;)* }
        $(fields: { $($fpat:pat => $field:literal;)+ })?
    }) => {
        impl $crate::error::DomainError for $ty {
            fn code(&self) -> &'static str {
                match self {
                    $(Self::$via(e) => $crate::error::DomainError::code(e),)+
                    $($pat => $code,)*
                }
            }
            fn kind(&self) -> $crate::error::ErrorKind {
                match self {
                    $(Self::$via(e) => $crate::error::DomainError::kind(e),)+
                    $($pat => $crate::error::ErrorKind::$kind,)*
                }
            }
            fn field(&self) -> Option<&str> {
                match self {
                    $(Self::$via(e) => $crate::error::DomainError::field(e),)+
                    $($($fpat => Some($field),)+)?
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        }
    };
}
pub(crate) use impl_domain_error;

/// A value from outside failed to parse; says which field and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct ValidationError {
    pub field: String,
    pub reason: String,
}

impl ValidationError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl DomainError for ValidationError {
    fn code(&self) -> &'static str {
        "validation_failed"
    }
    fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidInput
    }
    fn field(&self) -> Option<&str> {
        Some(&self.field)
    }
}

/// Trims free text and checks it: at most `max` characters, and no control characters other
/// than line breaks and tabs (NUL, for one, cannot be stored by PostgreSQL).
pub fn check_free_text(field: &str, raw: &str, max: usize) -> Result<String, ValidationError> {
    let s = raw.trim();
    if s.chars().count() > max {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(ValidationError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(s.to_string())
}

/// What every storage port method answers.
pub type StoreResult<T> = Result<T, StoreError>;

/// Failures of a storage backend.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was broken; names what is taken (`"mobile"`, `"email"`).
    #[error("{0} is already in use")]
    Duplicate(&'static str),
    /// The database was written by a newer program.
    #[error("the database schema is at version {found}, newer than this program supports ({supported}); upgrade msme")]
    SchemaTooNew { found: i64, supported: i64 },
    /// The database cannot be reached.
    #[error("the database is unavailable")]
    Unavailable(#[source] BoxError),
    /// Any other backend failure.
    #[error("storage failure")]
    Backend(#[source] BoxError),
}

impl StoreError {
    pub fn backend(e: impl Into<BoxError>) -> Self {
        Self::Backend(e.into())
    }
}

impl DomainError for StoreError {
    fn code(&self) -> &'static str {
        match self {
            StoreError::Duplicate(_) => "already_exists",
            StoreError::SchemaTooNew { .. } => "schema_too_new",
            StoreError::Unavailable(_) => "database_unavailable",
            StoreError::Backend(_) => "internal",
        }
    }
    fn kind(&self) -> ErrorKind {
        match self {
            StoreError::Duplicate(_) => ErrorKind::Conflict,
            StoreError::SchemaTooNew { .. } | StoreError::Backend(_) => ErrorKind::Internal,
            StoreError::Unavailable(_) => ErrorKind::Unavailable,
        }
    }
}

/// Writes the error and every cause below it on one line, for logs and the CLI.
pub fn chain(e: &(dyn StdError + 'static)) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cur = c.source();
    }
    out
}
