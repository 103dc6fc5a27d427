//! Matching: buyers' preferences and saved searches, and matches between buyers and public
//! listings, scored, explained in words, kept per buyer, and ranked better as buyers' behaviour
//! is learned.
//!
//! - [`BuyerPreferences`] (sectors, states, cities, ticket, revenue range, minimum margin,
//!   deal types, keywords) and [`SavedSearch`]es, through [`Matching`]
//!   (`platform.matching()`).
//! - A match's score combines [`features`]: preference fit (sector, location, deal type,
//!   revenue, margin), text (the buyer's keywords in the listing's searchable words), financial
//!   fit (asking price against the buyer's ticket and against the listing's newest valuation),
//!   and the seller's KYC. The weights are hand-set until a trained model beats them
//!   ([`Matching::evaluate`]).
//! - Listings are seen only as search sees them ([`crate::search::SearchDoc`]): an anonymous
//!   listing's title, description and city never decide or explain a match.
//! - Ranking runs over an in-memory [`Catalog`] of every public listing, kept in step with the
//!   audit log; saved matches are kept current by the [`Matcher`], a consumer of the audit
//!   log like the search indexer.

mod catalog;
mod error;
mod evaluate;
pub mod features;
mod matcher;
mod matches;
mod preferences;
mod ranker;
mod reasons;
mod records;
mod saved_searches;
mod service;
mod views;

pub use catalog::Catalog;
pub use error::MatchError;
pub use evaluate::{held_out, Evaluation, MIN_INTERACTIONS, MIN_TEST_BUYERS, NDCG_AT, NEGATIVES};
pub use features::{Candidate, Features, Vocabulary, Wants, FEATURES, N_FEATURES};
pub use matcher::{Matcher, MATCHER_CONSUMER, SAVED_MATCHES};
pub use matches::{rank_listings, BuyerMatch, ListingMatch, MAX_MATCHES};
pub use preferences::{BuyerPreferences, BuyerPreferencesInput, MAX_CITIES, MAX_KEYWORDS};
pub use ranker::{mean_ndcg, ndcg_of, train, Example, Training, Weights, HAND_SET};
pub use reasons::{reasons, Audience};
pub use records::{
    Interaction, InteractionId, InteractionKind, RankingModel, RankingModelId, SavedMatch,
    SavedSearch, SavedSearchId, StoredPreferences,
};
pub use saved_searches::SavedSearchInput;
pub use service::Matching;
pub use views::{ViewBuffer, MAX_PENDING_VIEWS, VIEW_FLUSHER, VIEW_FLUSH_INTERVAL};

impl<'a> Matching<'a> {
    /// Keeps every buyer's saved matches current with the audit log.
    pub fn matcher(&self) -> Matcher<'a> {
        Matcher {
            m: Matching { c: self.c },
        }
    }

    /// The in-memory catalog of public listings.
    pub(crate) fn catalog(&self) -> catalog::Keeper<'a> {
        catalog::Keeper { c: self.c }
    }

    /// How many public listings matching ranks (building the catalog if needed).
    pub async fn catalog_size(&self) -> Result<usize, MatchError> {
        Ok(self.catalog().current().await?.len())
    }
}
