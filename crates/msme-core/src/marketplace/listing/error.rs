use crate::error::{DomainError, ErrorKind, StoreError, ValidationError};
use crate::rbac::Forbidden;

use super::IllegalTransition;

/// Failures of listing operations.
#[derive(Debug, thiserror::Error)]
pub enum ListingError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// Also what a reader gets for a listing they may not know about.
    #[error("no such listing")]
    NotFound,
    #[error("no such asset on this listing")]
    AssetNotFound,
    #[error(transparent)]
    IllegalTransition(#[from] IllegalTransition),
    #[error("the listing changed while this was being saved; reload and try again")]
    Conflict,
    #[error("no such buyer")]
    BuyerNotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl DomainError for ListingError {
    fn code(&self) -> &'static str {
        match self {
            ListingError::Invalid(e) => e.code(),
            ListingError::Forbidden(e) => e.code(),
            ListingError::NotFound => "listing_not_found",
            ListingError::AssetNotFound => "asset_not_found",
            ListingError::IllegalTransition(_) => "illegal_transition",
            ListingError::Conflict => "conflict",
            ListingError::BuyerNotFound => "buyer_not_found",
            ListingError::Store(e) => e.code(),
        }
    }
    fn kind(&self) -> ErrorKind {
        match self {
            ListingError::Invalid(_) => ErrorKind::InvalidInput,
            ListingError::Forbidden(_) => ErrorKind::Forbidden,
            ListingError::NotFound | ListingError::AssetNotFound | ListingError::BuyerNotFound => {
                ErrorKind::NotFound
            }
            ListingError::IllegalTransition(_) | ListingError::Conflict => ErrorKind::Conflict,
            ListingError::Store(e) => e.kind(),
        }
    }
    fn field(&self) -> Option<&str> {
        match self {
            ListingError::Invalid(e) => Some(&e.field),
            _ => None,
        }
    }
}
