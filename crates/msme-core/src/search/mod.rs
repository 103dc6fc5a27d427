//! Search over public listings: what is indexed ([`SearchDoc`]), what a search asks
//! ([`SearchRequest`]) and answers ([`SearchResults`]), the rules every index follows, and the
//! service ([`Search`]) and [`Indexer`] on [`crate::Platform`].
//!
//! Rules every [`SearchIndex`] follows (the contract suite checks them):
//! - Text matches words of title, description, industry label, state name and city, lower-cased
//!   and folded to ASCII, and their English stems. Every word of the query must match (in any
//!   of those fields); a place matches by any of its names, and the last word also as the
//!   beginning of a word (see [`QueryWord`]).
//! - Typo tolerance as Meilisearch, counted from the word and from its stem: see
//!   [`typo_budget`].
//! - Anonymous listings are indexed with their teaser text only (industry label, state name):
//!   their title, description and city never reach the index, so neither a word nor the `city`
//!   filter finds them by those.
//! - Filters all apply together; a range filter on revenue or margin excludes listings without
//!   financials.
//! - Facet counts are over every hit of the query and filters (not only the page), by value,
//!   count descending then value ascending, values with no hit left out.

mod cursor;
mod doc;
mod index;
mod indexer;
mod input;
pub mod matching;
mod request;
mod service;
mod store;
mod terms;
mod text;

pub use cursor::{order_key_asc, order_key_desc, order_key_score, SearchCursor};
pub use doc::{NamedText, PriceBand, SearchDoc};
pub use index::{SearchError, SearchIndex};
pub use indexer::{CheckReport, Indexer, INDEXER_CONSUMER};
pub(crate) use indexer::{Refresh, PUBLIC};
pub use input::SearchFiltersInput;
pub use request::{Facets, SearchFilters, SearchHit, SearchRequest, SearchResults, SearchSort};
pub use service::{Search, SearchPage};
pub use store::{BuyerStore, MatchStore, SearchPorts};
pub use terms::{
    indexed_words, other_names, query_words, stem, IndexedWord, QueryWord, ANALYSIS,
    MIN_PREFIX_CHARS,
};
pub use text::{osa_distance_at_most, within_typo_budget, words, MAX_WORD_BYTES};

/// How many edits a query word may be away from an indexed word and still match, as
/// Meilisearch counts them: words under 5 characters must match exactly, 5 to 8 characters
/// allow one edit, 9 or more two. An edit is an insertion, deletion, substitution or a
/// transposition of two neighbours.
pub fn typo_budget(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_budget_grows_with_word_length() {
        assert_eq!(typo_budget("pune"), 0);
        assert_eq!(typo_budget("steel"), 1);
        assert_eq!(typo_budget("machinng"), 1);
        assert_eq!(typo_budget("machining"), 2);
        // Characters, not bytes.
        assert_eq!(typo_budget("ñaña"), 0);
    }
}

/// What the search and matching context (search, the indexer, preferences, saved searches,
/// interactions, matching) is built with: its ports, the index, matching's catalog, and
/// the listings service hits and matches are shown through.
#[derive(Clone, Copy)]
pub(crate) struct SearchCtx<'a> {
    pub(crate) store: &'a dyn crate::search::SearchPorts,
    pub(crate) stamp: crate::audit::Stamp<'a>,
    pub(crate) index: &'a Option<std::sync::Arc<dyn crate::search::SearchIndex>>,
    pub(crate) catalog: &'a tokio::sync::RwLock<Option<crate::matching::Catalog>>,
    /// Buyers' views waiting to be written (see `matching::ViewBuffer`).
    pub(crate) views: &'a crate::matching::ViewBuffer,
    pub(crate) listings: crate::listing::Listings<'a>,
}

impl<'a> SearchCtx<'a> {
    pub(crate) fn search(self) -> Search<'a> {
        Search { c: self }
    }
}
