//! Stored listings, their assets, and how to query them.

use base64::Engine as _;
use chrono::{DateTime, Utc};

use super::{DealType, Industry, ListingContent, ListingStatus, State};
use crate::error::ValidationError;
use crate::money::Paise;
pub use crate::types::ListingId;
use crate::types::UserId;

/// A business offered for sale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listing {
    pub id: ListingId,
    /// The account that listed it: the seller, or an agent acting for one.
    pub seller_id: UserId,
    pub content: ListingContent,
    pub status: ListingStatus,
    /// Why an admin rejected it, while it is rejected.
    pub rejection_reason: Option<String>,
    /// Increases with every change; updates must name the version they change.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

impl Listing {
    /// A listing published at `at`, never changed since: what a demo marketplace or a test's
    /// catalogue holds (the workflow, not this, publishes a real seller's listing).
    pub fn published(
        id: ListingId,
        seller_id: UserId,
        content: ListingContent,
        at: DateTime<Utc>,
    ) -> Listing {
        Listing {
            id,
            seller_id,
            content,
            status: ListingStatus::Published,
            rejection_reason: None,
            version: 1,
            created_at: at,
            updated_at: at,
            published_at: Some(at),
        }
    }
}

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $field:literal { $($variant:ident = $wire:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $wire),* } }
            pub fn parse(s: &str) -> Result<Self, ValidationError> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s.trim()).ok_or_else(|| {
                    let all: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    ValidationError::new($field, format!("must be one of {}", all.join(", ")))
                })
            }
        }
    };
}

vocabulary!(
    /// What kind of thing an asset is.
    AssetCategory, "category" {
        Land = "land", Building = "building", PlantMachinery = "plant_machinery", Vehicles = "vehicles",
        FurnitureFixtures = "furniture_fixtures", ComputersIt = "computers_it", Inventory = "inventory",
        IntellectualProperty = "intellectual_property", Other = "other",
    }
);
vocabulary!(
    /// The state an asset is in.
    AssetCondition, "condition" { New = "new", Good = "good", Fair = "fair", Poor = "poor" }
);
vocabulary!(
    /// Orders of listing lists.
    ListingSort, "sort" { Newest = "newest", PriceAsc = "price_asc", PriceDesc = "price_desc" }
);

/// An item of the asset inventory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListingAsset {
    pub id: String,
    pub listing_id: ListingId,
    pub item: String,
    pub category: AssetCategory,
    pub quantity: i32,
    /// Total book value of the quantity.
    pub book_value: Paise,
    pub condition: AssetCondition,
    pub created_at: DateTime<Utc>,
}

/// Where a page of listings ended: the sort key and id of its last item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListingCursor {
    /// `created_at` in microseconds for `newest`, the asking price in paise otherwise.
    pub key: i64,
    pub id: ListingId,
}

impl ListingCursor {
    /// The cursor after `listing` in `sort` order.
    pub fn after(listing: &Listing, sort: ListingSort) -> Self {
        let key = match sort {
            ListingSort::Newest => listing.created_at.timestamp_micros(),
            ListingSort::PriceAsc | ListingSort::PriceDesc => listing.content.asking_price.get(),
        };
        Self {
            key,
            id: listing.id.clone(),
        }
    }

    /// An opaque string for clients.
    pub fn encode(&self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{}.{}", self.key, self.id))
    }

    pub fn decode(s: &str) -> Result<Self, ValidationError> {
        let err = || ValidationError::new("cursor", "is not a cursor this server gave out");
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| err())?;
        let text = String::from_utf8(raw).map_err(|_| err())?;
        let (key, id) = text.split_once('.').ok_or_else(err)?;
        Ok(Self {
            key: key.parse().map_err(|_| err())?,
            id: ListingId::parse(id).map_err(|_| err())?,
        })
    }
}

/// Which listings to fetch. Stores apply every filter that is set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListingQuery {
    /// Empty: any status.
    pub statuses: Vec<ListingStatus>,
    pub seller: Option<UserId>,
    pub industry: Option<&'static Industry>,
    pub state: Option<&'static State>,
    /// Compared without regard to case.
    pub city: Option<String>,
    pub deal_type: Option<DealType>,
    pub min_price: Option<Paise>,
    pub max_price: Option<Paise>,
    pub sort: ListingSort,
    pub after: Option<ListingCursor>,
    pub limit: u32,
}

impl Default for ListingQuery {
    fn default() -> Self {
        Self {
            statuses: Vec::new(),
            seller: None,
            industry: None,
            state: None,
            city: None,
            deal_type: None,
            min_price: None,
            max_price: None,
            sort: ListingSort::Newest,
            after: None,
            limit: 50,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_forgeries() {
        let c = ListingCursor {
            key: 1_700_000_000_123_456,
            id: ListingId::generate(),
        };
        assert_eq!(ListingCursor::decode(&c.encode()).unwrap(), c);
        assert_eq!(
            ListingCursor::decode("not-a-cursor").unwrap_err().field,
            "cursor"
        );
    }

    #[test]
    fn vocabularies_parse_their_wire_names() {
        assert_eq!(
            AssetCategory::parse("plant_machinery").unwrap(),
            AssetCategory::PlantMachinery
        );
        assert_eq!(
            AssetCondition::parse("mint").unwrap_err().field,
            "condition"
        );
        assert_eq!(
            ListingSort::parse("price_desc").unwrap(),
            ListingSort::PriceDesc
        );
    }
}
