//! Reading the index: searches and the list of indexed versions.

use msme_core::listing::ListingId;
use msme_core::ports::SearchError;
use msme_core::search::{Facets, SearchCursor, SearchHit, SearchRequest, SearchResults};

use crate::collect::{column, Hit, PageCollector, Position};
use crate::schema::id_text;
use crate::{err, query, Inner};

impl Inner {
    /// One page of hits, with the total and facets over all of them.
    pub(crate) fn search(&self, r: &SearchRequest) -> Result<SearchResults, SearchError> {
        let sort = r.effective_sort();
        let after = after(r)?;
        let limit = r.limit.max(1) as usize;
        let collector = PageCollector {
            fields: self.fields.clone(),
            sort,
            after,
            keep: limit + 1,
        };
        let query = query::build(&self.fields, r);
        let mut page = self
            .reader
            .searcher()
            .search(&*query, &collector)
            .map_err(err("search"))?;
        let more = page.hits.len() > limit;
        page.hits.truncate(limit);
        let next_cursor = more
            .then(|| page.hits.last())
            .flatten()
            .map(|h| SearchCursor {
                sort,
                key: h.position.0,
                id: listing_id(h),
            });
        Ok(SearchResults {
            hits: page.hits.iter().map(hit).collect(),
            facets: Facets::from_counts(page.facets),
            total: page.total,
            next_cursor,
        })
    }

    /// Every live document's id and version.
    pub(crate) fn indexed_versions(&self) -> Result<Vec<(ListingId, i64)>, SearchError> {
        let searcher = self.reader.searcher();
        let name = |field| searcher.schema().get_field_name(field).to_string();
        let f = &self.fields;
        let mut out = Vec::new();
        for segment in searcher.segment_readers() {
            let hi = column::<u64>(segment, &name(f.id_hi)).map_err(err("list"))?;
            let lo = column::<u64>(segment, &name(f.id_lo)).map_err(err("list"))?;
            let version = column::<i64>(segment, &name(f.version)).map_err(err("list"))?;
            for doc in segment.doc_ids_alive() {
                let id = id_text(hi.first(doc).unwrap_or(0), lo.first(doc).unwrap_or(0));
                out.push((ListingId::from_trusted(id), version.first(doc).unwrap_or(0)));
            }
        }
        out.sort();
        Ok(out)
    }
}

/// The position a request's cursor names; refused when made for another sort.
fn after(r: &SearchRequest) -> Result<Option<Position>, SearchError> {
    match &r.cursor {
        None => Ok(None),
        Some(c) if c.sort == r.effective_sort() => {
            let id =
                uuid::Uuid::try_parse(c.id.as_str()).map_err(|_| SearchError::InvalidCursor)?;
            Ok(Some((c.key, id.as_u128())))
        }
        Some(_) => Err(SearchError::InvalidCursor),
    }
}

fn listing_id(h: &Hit) -> ListingId {
    let (_, id) = h.position;
    ListingId::from_trusted(id_text((id >> 64) as u64, id as u64))
}

fn hit(h: &Hit) -> SearchHit {
    SearchHit {
        listing_id: listing_id(h),
        version: h.version,
        score: h.score,
    }
}
