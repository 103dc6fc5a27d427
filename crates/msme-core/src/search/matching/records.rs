//! What matching keeps: saved searches, agent grants, interactions, saved matches and
//! ranking models, with their ids.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::BuyerPreferences;
use crate::error::{StoreError, ValidationError};
use crate::listing::ListingId;
use crate::search::{SearchFilters, SearchFiltersInput, SearchSort};
use crate::types::{id_type, UserId};

id_type!(
    /// Identifies a saved search.
    SavedSearchId,
    "id"
);
id_type!(
    /// Identifies a recorded interaction.
    InteractionId,
    "interaction_id"
);
id_type!(
    /// Identifies a trained ranking model.
    RankingModelId,
    "model_id"
);

/// A buyer's preferences as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPreferences {
    pub buyer: UserId,
    pub preferences: BuyerPreferences,
    pub updated_at: DateTime<Utc>,
}

/// A search kept under a name, to run again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedSearch {
    pub id: SavedSearchId,
    pub owner: UserId,
    pub name: String,
    pub query: String,
    pub filters: SearchFilters,
    pub sort: SearchSort,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The stored document of a saved search's query, filters and sort.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedSearchDocument {
    query: String,
    filters: SearchFiltersInput,
    sort: String,
}

impl SavedSearch {
    /// Query, filters and sort as the JSON document stores keep.
    pub fn to_document(&self) -> String {
        let doc = SavedSearchDocument {
            query: self.query.clone(),
            filters: self.filters.to_input(),
            sort: self.sort.as_str().to_string(),
        };
        serde_json::to_string(&doc).unwrap_or_else(|_| "{}".into())
    }

    /// Reads the query, filters and sort back from a stored document.
    pub fn parse_document(doc: &str) -> Result<(String, SearchFilters, SearchSort), StoreError> {
        let d: SavedSearchDocument = serde_json::from_str(doc).map_err(StoreError::backend)?;
        let filters = d.filters.parse().map_err(StoreError::backend)?;
        let sort = SearchSort::parse(&d.sort).map_err(StoreError::backend)?;
        Ok((d.query, filters, sort))
    }
}

/// What a buyer did with a listing, weakest first; the order is the relevance grade the
/// ranker learns from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InteractionKind {
    View,
    Save,
    AccessRequest,
    Offer,
}

impl InteractionKind {
    pub const ALL: [InteractionKind; 4] = [
        InteractionKind::View,
        InteractionKind::Save,
        InteractionKind::AccessRequest,
        InteractionKind::Offer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InteractionKind::View => "view",
            InteractionKind::Save => "save",
            InteractionKind::AccessRequest => "access_request",
            InteractionKind::Offer => "offer",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                ValidationError::new("kind", "must be one of view, save, access_request, offer")
            })
    }

    /// How much the interaction says the buyer wants the listing: 1 (view) to 4 (offer).
    pub fn grade(self) -> u8 {
        match self {
            InteractionKind::View => 1,
            InteractionKind::Save => 2,
            InteractionKind::AccessRequest => 3,
            InteractionKind::Offer => 4,
        }
    }
}

/// One thing a buyer did with a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interaction {
    pub id: InteractionId,
    pub buyer: UserId,
    pub listing: ListingId,
    pub kind: InteractionKind,
    pub at: DateTime<Utc>,
}

/// A listing kept among a buyer's best matches, with what the buyer is told about it.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedMatch {
    pub listing: ListingId,
    /// 0 to 100.
    pub score: f64,
    /// In words, for the buyer.
    pub reasons: Vec<String>,
    pub computed_at: DateTime<Utc>,
}

impl SavedMatch {
    /// The reasons as the JSON array stores keep.
    pub fn reasons_document(&self) -> String {
        serde_json::to_string(&self.reasons).unwrap_or_else(|_| "[]".into())
    }

    /// Reads stored reasons back.
    pub fn parse_reasons(doc: &str) -> Result<Vec<String>, StoreError> {
        serde_json::from_str(doc).map_err(StoreError::backend)
    }
}

/// A trained ranking model and how it did against the hand-set weights.
#[derive(Clone, Debug, PartialEq)]
pub struct RankingModel {
    pub id: RankingModelId,
    pub trained_at: DateTime<Utc>,
    /// Feature names, in the order of `weights`; a model whose names differ from the code's
    /// features is not used.
    pub features: Vec<String>,
    pub weights: Vec<f64>,
    /// Interactions it learned from and was tested on.
    pub interactions: u64,
    pub learned_ndcg: f64,
    pub hand_set_ndcg: f64,
    /// Whether it replaced the hand-set weights (it beat them on held-out interactions).
    pub adopted: bool,
}

/// The stored document of a model's features and weights.
#[derive(Serialize, Deserialize)]
struct ModelDocument {
    features: Vec<String>,
    weights: Vec<f64>,
}

impl RankingModel {
    /// Features and weights as the JSON document stores keep.
    pub fn to_document(&self) -> String {
        let doc = ModelDocument {
            features: self.features.clone(),
            weights: self.weights.clone(),
        };
        serde_json::to_string(&doc).unwrap_or_else(|_| "{}".into())
    }

    /// Reads features and weights back.
    pub fn parse_document(doc: &str) -> Result<(Vec<String>, Vec<f64>), StoreError> {
        let d: ModelDocument = serde_json::from_str(doc).map_err(StoreError::backend)?;
        Ok((d.features, d.weights))
    }
}
