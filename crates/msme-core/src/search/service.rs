//! The search service: runs a search on the index and shows each hit as its reader may see it.

use std::sync::Arc;

use super::{Facets, Indexer, SearchHit, SearchRequest};
use crate::listing::{Listing, ListingView};
use crate::rbac::{Actor, Permission};
use crate::search::SearchCtx;
use crate::search::{SearchError, SearchIndex};

/// Most hits on one page.
pub const MAX_LIMIT: u32 = 100;

/// Search over public listings; get one from [`Platform::search`](crate::Platform::search).
pub struct Search<'a> {
    pub(crate) c: SearchCtx<'a>,
}

/// One page of search results as the reader may see them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchPage {
    /// Full listings where the reader has access, teasers elsewhere; in the index's order.
    pub items: Vec<ListingView>,
    pub facets: Facets,
    pub total: u64,
    /// Opaque; pass it back as the request's cursor for the next page.
    pub next_cursor: Option<String>,
}

impl<'a> Search<'a> {
    /// The configured index, or `search_unavailable`.
    pub(crate) fn index(&self) -> Result<&'a Arc<dyn SearchIndex>, SearchError> {
        self.c.index.as_ref().ok_or(SearchError::Unavailable(None))
    }

    /// Which index answers (`tantivy`, `postgres`), or `None` without one.
    pub fn index_name(&self) -> Option<&'static str> {
        self.c.index.as_ref().map(|i| i.name())
    }

    /// Keeps the index in step with the store.
    pub fn indexer(&self) -> Indexer<'a> {
        Indexer { c: self.c }
    }

    /// One page of public listings matching the request.
    ///
    /// Hits are re-read from the store, so a listing that stopped being public since it was
    /// indexed is left out, and each is shown through [`crate::listing::Listings`]' rules: a
    /// buyer without access to an anonymous listing gets its teaser.
    pub async fn query(
        &self,
        actor: &Actor,
        mut request: SearchRequest,
    ) -> Result<SearchPage, SearchError> {
        actor.require(Permission::SearchListings)?;
        request.filters.check()?;
        if request
            .cursor
            .as_ref()
            .is_some_and(|c| c.sort != request.effective_sort())
        {
            return Err(SearchError::InvalidCursor);
        }
        request.limit = request.limit.clamp(1, MAX_LIMIT);
        let results = self.index()?.search(&request).await?;
        let listings = self.c.listings;
        let mut items = Vec::with_capacity(results.hits.len());
        for hit in &results.hits {
            let Some(l) = self.c.store.listing_by_id(&hit.listing_id).await? else {
                continue;
            };
            if shown(&l, hit) {
                items.push(listings.view(actor, l).await?);
            }
        }
        Ok(SearchPage {
            items,
            facets: results.facets,
            total: results.total,
            next_cursor: results.next_cursor.map(|c| c.encode()),
        })
    }
}

/// Whether a hit may be shown. Only public listings are searchable, even when the index has
/// not caught up with a withdrawal yet; and a hit on an anonymous listing indexed at another
/// version is dropped, since it may have matched text the seller has hidden since.
fn shown(l: &Listing, hit: &SearchHit) -> bool {
    l.status.is_public() && !(l.content.anonymous && l.version != hit.version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listing::ListingStatus;

    fn hit(l: &Listing, version: i64) -> SearchHit {
        SearchHit {
            listing_id: l.id.clone(),
            version,
            score: 1.0,
        }
    }

    #[test]
    fn only_public_listings_are_shown() {
        let mut l = crate::search::doc::tests::listing(false);
        assert!(shown(&l, &hit(&l, l.version)));
        l.status = ListingStatus::Withdrawn;
        assert!(!shown(&l, &hit(&l, l.version)));
    }

    #[test]
    fn a_stale_hit_on_an_anonymous_listing_is_dropped() {
        let l = crate::search::doc::tests::listing(true);
        assert!(shown(&l, &hit(&l, l.version)));
        assert!(!shown(&l, &hit(&l, l.version - 1)));
    }
}
