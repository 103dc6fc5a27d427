//! The search port: a full-text index of public listings, kept in step with the store by the
//! [`crate::search::Indexer`]. Implemented on tantivy (embedded) and on PostgreSQL.

use async_trait::async_trait;

use crate::error::{impl_domain_error, BoxError, StoreError, ValidationError};
use crate::listing::{ListingError, ListingId};
use crate::search::{SearchDoc, SearchRequest, SearchResults};

/// Failures of search, of the index or of the service around it.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The request is wrong (a filter out of range).
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// The cursor was not made by this index for this sort order.
    #[error("the cursor is not one this server gave out for this sort order")]
    InvalidCursor,
    /// No index is configured, or it cannot be reached.
    #[error("search is unavailable")]
    Unavailable(#[source] Option<BoxError>),
    /// Any other failure of the index (a corrupt segment, a full disk).
    #[error("search index ({backend}) failed to {op}")]
    Index {
        backend: &'static str,
        op: &'static str,
        #[source]
        source: BoxError,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Listing(#[from] ListingError),
    #[error(transparent)]
    Forbidden(#[from] crate::rbac::Forbidden),
}

impl SearchError {
    /// A failure of `backend` while doing `op`, keeping the cause for the log.
    pub fn index(backend: &'static str, op: &'static str, e: impl Into<BoxError>) -> Self {
        Self::Index {
            backend,
            op,
            source: e.into(),
        }
    }
}

impl_domain_error!(SearchError {
    via: Invalid, Store, Listing, Forbidden;
    codes: {
        Self::InvalidCursor => "invalid_cursor", InvalidInput;
        Self::Unavailable(_) => "search_unavailable", Unavailable;
        Self::Index { .. } => "internal", Internal;
    }
    fields: {
        Self::InvalidCursor => "cursor";
    }
});

/// A full-text index of public listings.
///
/// The index holds only what [`SearchDoc`] carries: for anonymous listings no title,
/// description or city, so no query or filter can find one by them. Writes are idempotent
/// (an upsert replaces the document with the same id, a remove of an absent id succeeds), which
/// lets the indexer replay the audit log after a crash. Every implementation passes the search
/// contract suite (`msme_contract::search`).
#[async_trait]
pub trait SearchIndex: Send + Sync {
    /// `tantivy` or `postgres`.
    fn name(&self) -> &'static str;
    /// Adds the documents, replacing any with the same id; visible to searches on return.
    async fn upsert(&self, docs: &[SearchDoc]) -> Result<(), SearchError>;
    /// Removes the listings; ids not in the index are ignored.
    async fn remove(&self, ids: &[ListingId]) -> Result<(), SearchError>;
    /// One page of hits for the request, with facet counts and the total over all pages.
    async fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError>;
    /// Every indexed listing with the version it was indexed at (for `msme search check`).
    async fn indexed_versions(&self) -> Result<Vec<(ListingId, i64)>, SearchError>;
    /// Removes every document; what is added from then on is indexed under the current
    /// [`ANALYSIS`](crate::search::ANALYSIS), which [`analysis`](Self::analysis) reports.
    async fn clear(&self) -> Result<(), SearchError>;
    /// The [`ANALYSIS`](crate::search::ANALYSIS) the documents were indexed under (1 for an
    /// index made before it was recorded). The indexer rebuilds an index under another one.
    async fn analysis(&self) -> Result<u32, SearchError>;
}
