//! A crash hook for tests of the real binary: with `MSME_FAILPOINT=abort-before-index-write`
//! in its environment, a process aborts (SIGABRT: no destructors, no flushing, as a power cut or
//! `kill -9` would leave it) the moment it is about to add documents to the search index, that
//! is after the database committed a listing change and before the index holds it. The crash
//! test then shows the next start repairs the index from the audit log. Without the variable
//! nothing is wrapped and nothing is checked.

use std::sync::Arc;

use async_trait::async_trait;
use msme_core::listing::ListingId;
use msme_core::ports::{SearchError, SearchIndex};
use msme_core::search::{SearchDoc, SearchRequest, SearchResults};

/// The variable naming the failpoint.
pub const FAILPOINT_VAR: &str = "MSME_FAILPOINT";
/// Abort just before documents reach the search index.
pub const ABORT_BEFORE_INDEX_WRITE: &str = "abort-before-index-write";

/// An index that aborts the process instead of adding documents.
struct AbortBeforeWrite(Arc<dyn SearchIndex>);

#[async_trait]
impl SearchIndex for AbortBeforeWrite {
    fn name(&self) -> &'static str {
        self.0.name()
    }
    async fn upsert(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        if !docs.is_empty() {
            eprintln!(
                "{FAILPOINT_VAR}={ABORT_BEFORE_INDEX_WRITE}: aborting before the index write"
            );
            std::process::abort();
        }
        Ok(())
    }
    async fn remove(&self, ids: &[ListingId]) -> Result<(), SearchError> {
        self.0.remove(ids).await
    }
    async fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        self.0.search(request).await
    }
    async fn indexed_versions(&self) -> Result<Vec<(ListingId, i64)>, SearchError> {
        self.0.indexed_versions().await
    }
    async fn clear(&self) -> Result<(), SearchError> {
        self.0.clear().await
    }
    async fn analysis(&self) -> Result<u32, SearchError> {
        self.0.analysis().await
    }
}

/// The index, wrapped when the environment names the failpoint.
pub(crate) fn wrap(index: Arc<dyn SearchIndex>) -> Arc<dyn SearchIndex> {
    match std::env::var(FAILPOINT_VAR) {
        Ok(v) if v == ABORT_BEFORE_INDEX_WRITE => {
            tracing::warn!("{FAILPOINT_VAR}={v}: this process aborts before its first index write");
            Arc::new(AbortBeforeWrite(index))
        }
        _ => index,
    }
}
