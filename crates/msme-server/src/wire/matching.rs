//! Buyer preferences, saved searches, agent grants, interactions and matches on the wire.

use msme_core::matching::{
    BuyerMatch, BuyerPreferencesInput, Interaction, ListingMatch, SavedSearch, StoredPreferences,
};
use msme_core::types::UserId;
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use super::listing::ListingBody;
use super::search::SearchFiltersBody;
use super::time;

/// What a buyer looks for; every field may be left out (no preference).
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BuyerPreferencesBody {
    /// Industry ids (see `GET /v1/industries`).
    pub sectors: Vec<String>,
    /// State names or two-letter codes.
    pub states: Vec<String>,
    /// At most 20; compared without regard to case.
    pub cities: Vec<String>,
    pub ticket_min_paise: Option<i64>,
    pub ticket_max_paise: Option<i64>,
    pub revenue_min_paise: Option<i64>,
    pub revenue_max_paise: Option<i64>,
    /// Whole percent.
    pub ebitda_margin_min_pct: Option<i32>,
    /// `full_sale`, `partial_stake`, `asset_sale`.
    pub deal_types: Vec<String>,
    /// At most 20 words or short phrases looked for in listings' text.
    pub keywords: Vec<String>,
}

impl From<BuyerPreferencesBody> for BuyerPreferencesInput {
    fn from(b: BuyerPreferencesBody) -> Self {
        Self {
            sectors: b.sectors,
            states: b.states,
            cities: b.cities,
            ticket_min_paise: b.ticket_min_paise,
            ticket_max_paise: b.ticket_max_paise,
            revenue_min_paise: b.revenue_min_paise,
            revenue_max_paise: b.revenue_max_paise,
            ebitda_margin_min_pct: b.ebitda_margin_min_pct,
            deal_types: b.deal_types,
            keywords: b.keywords,
        }
    }
}

impl From<BuyerPreferencesInput> for BuyerPreferencesBody {
    fn from(i: BuyerPreferencesInput) -> Self {
        Self {
            sectors: i.sectors,
            states: i.states,
            cities: i.cities,
            ticket_min_paise: i.ticket_min_paise,
            ticket_max_paise: i.ticket_max_paise,
            revenue_min_paise: i.revenue_min_paise,
            revenue_max_paise: i.revenue_max_paise,
            ebitda_margin_min_pct: i.ebitda_margin_min_pct,
            deal_types: i.deal_types,
            keywords: i.keywords,
        }
    }
}

/// A buyer's stored preferences: [`BuyerPreferencesBody`]'s fields beside `buyer_id` and
/// `updated_at`. Its schema is written by hand (below) because the body's refuses fields it
/// does not name, which a flattened copy would carry over to these two.
#[derive(Debug, Serialize, Deserialize)]
pub struct BuyerPreferencesResponse {
    pub buyer_id: String,
    #[serde(flatten)]
    pub preferences: BuyerPreferencesBody,
    /// Null before the first save.
    pub updated_at: Option<String>,
}

impl PartialSchema for BuyerPreferencesResponse {
    /// The request body's object without its `additionalProperties: false`, every field
    /// required (the server always sends them all), and the two fields the server adds.
    fn schema() -> RefOr<Schema> {
        let RefOr::T(Schema::Object(mut object)) = BuyerPreferencesBody::schema() else {
            unreachable!("a derived struct's schema is an inline object")
        };
        object.additional_properties = None;
        object.description = Some("A buyer's stored preferences.".to_string());
        let buyer_id = ObjectBuilder::new().schema_type(Type::String);
        let updated_at = ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .description(Some("Null before the first save."));
        object.properties.insert("buyer_id".into(), buyer_id.into());
        object
            .properties
            .insert("updated_at".into(), updated_at.into());
        object.required = object.properties.keys().cloned().collect();
        RefOr::T(Schema::Object(object))
    }
}

impl ToSchema for BuyerPreferencesResponse {}

impl BuyerPreferencesResponse {
    pub fn of(buyer: &UserId, stored: Option<&StoredPreferences>) -> Self {
        Self {
            buyer_id: buyer.to_string(),
            preferences: stored
                .map(|s| s.preferences.to_input().into())
                .unwrap_or_default(),
            updated_at: stored.map(|s| time(s.updated_at)),
        }
    }
}

/// A search to keep under a name.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedSearchBody {
    /// 1 to 100 characters.
    pub name: String,
    #[serde(default)]
    pub query: String,
    #[serde(default)]
    pub filters: SearchFiltersBody,
    /// As `POST /v1/search` takes it (default `relevance`).
    pub sort: Option<String>,
}

/// A kept search.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SavedSearchResponse {
    pub id: String,
    pub name: String,
    pub query: String,
    pub filters: SearchFiltersBody,
    pub sort: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl From<&SavedSearch> for SavedSearchResponse {
    fn from(s: &SavedSearch) -> Self {
        Self {
            id: s.id.to_string(),
            name: s.name.clone(),
            query: s.query.clone(),
            filters: s.filters.to_input().into(),
            sort: s.sort.as_str().to_string(),
            created_at: time(s.created_at),
            updated_at: time(s.updated_at),
        }
    }
}

/// Which page of a saved search's results to run.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RunSavedSearchBody {
    /// Hits per page, 1 to 100 (default 20).
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// `POST /v1/agent-grants`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentGrantRequest {
    /// The agent's account id.
    pub agent_id: String,
}

/// An agent who may see the buyer's matches.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AgentGrantBody {
    pub agent_id: String,
    #[schema(format = DateTime)]
    pub granted_at: Option<String>,
}

/// `POST /v1/interactions`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InteractionRequest {
    pub listing_id: String,
    /// `view`, `save`, `access_request` or `offer`.
    pub kind: String,
}

/// A recorded interaction.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InteractionBody {
    pub id: String,
    pub listing_id: String,
    pub kind: String,
    #[schema(format = DateTime)]
    pub at: String,
}

impl From<&Interaction> for InteractionBody {
    fn from(i: &Interaction) -> Self {
        Self {
            id: i.id.to_string(),
            listing_id: i.listing.to_string(),
            kind: i.kind.as_str().to_string(),
            at: time(i.at),
        }
    }
}

/// `POST /v1/matchmaking`: rank listings for a buyer, or buyers for a listing (exactly one).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchmakingRequest {
    /// Rank every published listing for this buyer (the buyer, an admin, or an agent the
    /// buyer granted).
    pub buyer_id: Option<String>,
    /// Rank buyers for this listing (its owner or an admin).
    pub listing_id: Option<String>,
    /// 1 to 100 (default 20).
    pub limit: Option<u32>,
}

/// A listing matched to a buyer: full where the caller has access, else the teaser.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ListingMatchBody {
    pub listing: ListingBody,
    /// 0 to 100.
    pub score: f64,
    /// Why, in words ("sector matches", "asking price 12% under your maximum").
    pub reasons: Vec<String>,
}

impl From<&ListingMatch> for ListingMatchBody {
    fn from(m: &ListingMatch) -> Self {
        Self {
            listing: ListingBody::from(&m.listing),
            score: m.score,
            reasons: m.reasons.clone(),
        }
    }
}

/// A buyer as their matches show them to a seller.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MatchedBuyer {
    pub id: String,
    pub name: String,
}

/// A buyer matched to a listing; the reasons keep the buyer's figures private.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BuyerMatchBody {
    pub buyer: MatchedBuyer,
    /// 0 to 100.
    pub score: f64,
    pub reasons: Vec<String>,
}

impl From<&BuyerMatch> for BuyerMatchBody {
    fn from(m: &BuyerMatch) -> Self {
        Self {
            buyer: MatchedBuyer {
                id: m.buyer.to_string(),
                name: m.name.clone(),
            },
            score: m.score,
            reasons: m.reasons.clone(),
        }
    }
}

/// One match: a listing (for a buyer) or a buyer (for a listing).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)] // built only to be serialised at once
pub enum MatchItem {
    Listing(ListingMatchBody),
    Buyer(BuyerMatchBody),
}
