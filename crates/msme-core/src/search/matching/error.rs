//! Failures of matching, preferences and saved searches.

use crate::error::{impl_domain_error, StoreError, ValidationError};
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

impl_domain_error!(MatchError {
    via: Invalid, Forbidden, Store, Search, Listing;
    codes: {
        Self::NotFound("buyer") => "buyer_not_found", NotFound;
        Self::NotFound("listing") => "listing_not_found", NotFound;
        Self::NotFound("agent") => "agent_not_found", NotFound;
        Self::NotFound("saved search") => "saved_search_not_found", NotFound;
        Self::NotFound(_) => "not_found", NotFound;
    }
});
