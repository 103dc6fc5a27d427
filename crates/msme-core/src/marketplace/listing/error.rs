use crate::error::{impl_domain_error, StoreError, ValidationError};
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

impl_domain_error!(ListingError {
    via: Invalid, Forbidden, Store;
    codes: {
        Self::NotFound => "listing_not_found", NotFound;
        Self::AssetNotFound => "asset_not_found", NotFound;
        Self::IllegalTransition(_) => "illegal_transition", Conflict;
        Self::Conflict => "conflict", Conflict;
        Self::BuyerNotFound => "buyer_not_found", NotFound;
    }
});
