//! Failures of matching, preferences and saved searches.

use crate::error::{DomainError, ErrorKind, StoreError, ValidationError};
use crate::listing::ListingError;
use crate::rbac::Forbidden;
use crate::search::SearchError;

#[derive(Debug, thiserror::Error)]
pub enum MatchError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// No such buyer, listing or saved search, or not one the caller may see.
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error(transparent)]
    Listing(#[from] ListingError),
}

impl DomainError for MatchError {
    fn code(&self) -> &'static str {
        match self {
            MatchError::Invalid(e) => e.code(),
            MatchError::NotFound("buyer") => "buyer_not_found",
            MatchError::NotFound("listing") => "listing_not_found",
            MatchError::NotFound("agent") => "agent_not_found",
            MatchError::NotFound("saved search") => "saved_search_not_found",
            MatchError::NotFound(_) => "not_found",
            MatchError::Forbidden(e) => e.code(),
            MatchError::Store(e) => e.code(),
            MatchError::Search(e) => e.code(),
            MatchError::Listing(e) => e.code(),
        }
    }
    fn kind(&self) -> ErrorKind {
        match self {
            MatchError::Invalid(_) => ErrorKind::InvalidInput,
            MatchError::NotFound(_) => ErrorKind::NotFound,
            MatchError::Forbidden(e) => e.kind(),
            MatchError::Store(e) => e.kind(),
            MatchError::Search(e) => e.kind(),
            MatchError::Listing(e) => e.kind(),
        }
    }
    fn field(&self) -> Option<&str> {
        match self {
            MatchError::Invalid(e) => Some(&e.field),
            MatchError::Search(e) => e.field(),
            MatchError::Listing(e) => e.field(),
            _ => None,
        }
    }
}
