//! One pass over the hits of a query: the total, the facet counts, and the page after the
//! cursor in sort order.
//!
//! Every hit gets a position `(order key, id)` (see `msme_core::search::SearchCursor`); the
//! page is the `limit + 1` smallest positions after the cursor's, kept in a bounded heap, so
//! paging costs the same on page 1 and page 1,000 and needs no offset.

use std::collections::{BinaryHeap, HashMap};

use msme_core::search::{order_key_asc, order_key_desc, order_key_score, SearchSort};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::schema::Fields;

/// Where a hit stands in the sort order: smaller comes first.
pub(crate) type Position = (u64, u128);

/// A hit on the page.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Hit {
    pub position: Position,
    pub version: i64,
    pub score: Score,
}

impl Eq for Hit {}
impl PartialOrd for Hit {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Hit {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.position.cmp(&other.position)
    }
}

/// What one search yields.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub total: u64,
    /// In sort order; at most `limit + 1`, the extra one telling that more follow.
    pub hits: Vec<Hit>,
    /// Per facet field (industry, state, deal type, price band): value → count.
    pub facets: [HashMap<String, u64>; 4],
}

/// Collects a [`Page`].
pub(crate) struct PageCollector {
    pub fields: Fields,
    pub sort: SearchSort,
    pub after: Option<Position>,
    /// Hits to keep: the page size plus one.
    pub keep: usize,
}

pub(crate) struct SegmentPage {
    sort: SearchSort,
    after: Option<Position>,
    keep: usize,
    key: Column<i64>,
    id: [Column<u64>; 2],
    version: Column<i64>,
    facets: Vec<(StrColumn, Vec<u64>)>,
    total: u64,
    heap: BinaryHeap<Hit>,
}

impl Collector for PageCollector {
    type Fruit = Page;
    type Child = SegmentPage;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentPage> {
        let ff = reader.fast_fields();
        let f = &self.fields;
        let key_field = match self.sort {
            SearchSort::PriceAsc | SearchSort::PriceDesc => f.price,
            SearchSort::RevenueDesc => f.revenue,
            SearchSort::Relevance | SearchSort::Newest => f.published,
        };
        let name = |field| reader.schema().get_field_name(field).to_string();
        let mut facets = Vec::with_capacity(4);
        for field in [f.industry, f.state, f.deal_type, f.price_band] {
            let column = ff.str(&name(field))?.unwrap_or_else(|| {
                StrColumn::wrap(tantivy::columnar::BytesColumn::empty(reader.max_doc()))
            });
            let counts = vec![0; column.num_terms()];
            facets.push((column, counts));
        }
        Ok(SegmentPage {
            sort: self.sort,
            after: self.after,
            keep: self.keep,
            key: column(reader, &name(key_field))?,
            id: [
                column(reader, &name(f.id_hi))?,
                column(reader, &name(f.id_lo))?,
            ],
            version: column(reader, &name(f.version))?,
            facets,
            total: 0,
            heap: BinaryHeap::with_capacity(self.keep + 1),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.sort == SearchSort::Relevance
    }

    fn merge_fruits(&self, pages: Vec<Page>) -> tantivy::Result<Page> {
        let mut out = Page::default();
        for page in pages {
            out.total += page.total;
            out.hits.extend(page.hits);
            for (into, from) in out.facets.iter_mut().zip(page.facets) {
                for (value, n) in from {
                    *into.entry(value).or_default() += n;
                }
            }
        }
        out.hits.sort();
        out.hits.truncate(self.keep);
        Ok(out)
    }
}

/// A numeric fast column; empty in a segment where no document has a value.
pub(crate) fn column<T>(reader: &SegmentReader, name: &str) -> tantivy::Result<Column<T>>
where
    T: tantivy::columnar::HasAssociatedColumnType
        + PartialOrd
        + Default
        + Copy
        + Send
        + Sync
        + 'static,
    tantivy::columnar::DynamicColumn: Into<Option<Column<T>>>,
{
    Ok(reader
        .fast_fields()
        .column_opt(name)?
        .unwrap_or_else(|| Column::build_empty_column(reader.max_doc())))
}

impl SegmentPage {
    fn order_key(&self, doc: DocId, score: Score) -> u64 {
        match self.sort {
            SearchSort::Relevance => order_key_score(score),
            SearchSort::PriceAsc => order_key_asc(self.key.first(doc).unwrap_or(i64::MAX)),
            SearchSort::PriceDesc | SearchSort::RevenueDesc | SearchSort::Newest => {
                order_key_desc(self.key.first(doc))
            }
        }
    }
}

impl SegmentCollector for SegmentPage {
    type Fruit = Page;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.total += 1;
        for (column, counts) in &mut self.facets {
            for ord in column.term_ords(doc) {
                counts[ord as usize] += 1;
            }
        }
        let hi = self.id[0].first(doc).unwrap_or(0);
        let lo = self.id[1].first(doc).unwrap_or(0);
        let position = (
            self.order_key(doc, score),
            (u128::from(hi) << 64) | u128::from(lo),
        );
        if self.after.is_some_and(|a| position <= a) {
            return;
        }
        if self.heap.len() == self.keep
            && self.heap.peek().is_some_and(|top| position >= top.position)
        {
            return;
        }
        let version = self.version.first(doc).unwrap_or(0);
        self.heap.push(Hit {
            position,
            version,
            score,
        });
        if self.heap.len() > self.keep {
            self.heap.pop();
        }
    }

    fn harvest(self) -> Page {
        let mut facets: [HashMap<String, u64>; 4] = Default::default();
        for ((column, counts), into) in self.facets.into_iter().zip(facets.iter_mut()) {
            for (ord, n) in counts.into_iter().enumerate().filter(|(_, n)| *n > 0) {
                let mut value = String::new();
                if column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                    into.insert(value, n);
                }
            }
        }
        Page {
            total: self.total,
            hits: self.heap.into_sorted_vec(),
            facets,
        }
    }
}
