//! Listings on the wire: what sellers send, and the two shapes readers get back.
//!
//! A reader gets either a [`FullListingBody`] or a [`TeaserBody`]; the teaser is built from the
//! core's `Teaser`, which holds no confidential field, so none can leak into it here.

use msme_core::listing::{
    FinancialsInput, FullListing, ListingAsset, ListingInput, ListingView, Teaser, YearFinancials,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::time;

/// One fiscal year's figures, all in paise. `fiscal_year` is the year it ends (FY 2024-25 is
/// 2025).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FinancialsBody {
    #[schema(example = 2025)]
    pub fiscal_year: i32,
    pub revenue_paise: i64,
    pub ebitda_paise: i64,
    pub net_profit_paise: i64,
    pub total_assets_paise: i64,
    pub total_liabilities_paise: i64,
    pub debt_paise: i64,
}

impl From<FinancialsBody> for FinancialsInput {
    fn from(f: FinancialsBody) -> Self {
        Self {
            fiscal_year: f.fiscal_year,
            revenue_paise: f.revenue_paise,
            ebitda_paise: f.ebitda_paise,
            net_profit_paise: f.net_profit_paise,
            total_assets_paise: f.total_assets_paise,
            total_liabilities_paise: f.total_liabilities_paise,
            debt_paise: f.debt_paise,
        }
    }
}

impl From<&YearFinancials> for FinancialsBody {
    fn from(y: &YearFinancials) -> Self {
        Self {
            fiscal_year: y.fiscal_year,
            revenue_paise: y.revenue.get(),
            ebitda_paise: y.ebitda.get(),
            net_profit_paise: y.net_profit.get(),
            total_assets_paise: y.total_assets.get(),
            total_liabilities_paise: y.total_liabilities.get(),
            debt_paise: y.debt.get(),
        }
    }
}

/// `POST /v1/listings` and `PUT /v1/listings/{id}`: the whole content. Unknown fields are
/// refused, so a misspelt `anonymous` cannot silently publish a name.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListingRequest {
    #[schema(example = "Precision CNC machining unit")]
    pub title: String,
    pub description: String,
    /// An industry id from `GET /v1/industries`.
    #[schema(example = "machinery")]
    pub industry: String,
    pub city: String,
    /// A state or union territory from `GET /v1/states`, by name or code.
    #[schema(example = "Maharashtra")]
    pub state: String,
    pub year_established: i32,
    pub employees: i32,
    /// `full_sale`, `partial_stake` or `asset_sale`.
    #[schema(example = "full_sale")]
    pub deal_type: String,
    pub asking_price_paise: i64,
    /// Hide the seller's identity and the business's details until access is granted.
    pub anonymous: bool,
    #[serde(default)]
    pub financials: Vec<FinancialsBody>,
    /// `PUT` only, and required there: the version the change was made to. A stale one is
    /// `409 conflict`.
    #[serde(default)]
    pub version: Option<i64>,
}

impl ListingRequest {
    /// The content as the core takes it (the version is the handler's business).
    pub fn to_input(&self) -> ListingInput {
        ListingInput {
            title: self.title.clone(),
            description: self.description.clone(),
            industry: self.industry.clone(),
            city: self.city.clone(),
            state: self.state.clone(),
            year_established: self.year_established,
            employees: self.employees,
            deal_type: self.deal_type.clone(),
            asking_price_paise: self.asking_price_paise,
            anonymous: self.anonymous,
            financials: self.financials.iter().cloned().map(Into::into).collect(),
        }
    }
}

/// An item of the asset inventory.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AssetBody {
    pub id: String,
    pub item: String,
    /// `land`, `building`, `plant_machinery`, `vehicles`, `furniture_fixtures`,
    /// `computers_it`, `inventory`, `intellectual_property` or `other`.
    pub category: String,
    pub quantity: i32,
    /// Total book value of the quantity.
    pub book_value_paise: i64,
    /// `new`, `good`, `fair` or `poor`.
    pub condition: String,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<&ListingAsset> for AssetBody {
    fn from(a: &ListingAsset) -> Self {
        Self {
            id: a.id.clone(),
            item: a.item.clone(),
            category: a.category.as_str().to_string(),
            quantity: a.quantity,
            book_value_paise: a.book_value.get(),
            condition: a.condition.as_str().to_string(),
            created_at: time(a.created_at),
        }
    }
}

/// `POST /v1/listings/{id}/assets`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssetRequest {
    pub item: String,
    pub category: String,
    pub quantity: i32,
    pub book_value_paise: i64,
    pub condition: String,
}

/// Who listed the business.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SellerBody {
    pub id: String,
    pub name: String,
}

/// Everything about a listing: for its owner, admins, and buyers granted access.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FullListingBody {
    pub id: String,
    /// Always `full`.
    #[schema(example = "full")]
    pub view: String,
    pub title: String,
    pub description: String,
    pub industry: String,
    pub city: String,
    /// The state's name.
    pub state: String,
    pub year_established: i32,
    pub employees: i32,
    pub deal_type: String,
    pub asking_price_paise: i64,
    pub anonymous: bool,
    /// Newest year first.
    pub financials: Vec<FinancialsBody>,
    pub assets: Vec<AssetBody>,
    pub seller: SellerBody,
    /// `draft`, `submitted`, `approved`, `published`, `under_offer`, `sold`, `rejected` or
    /// `withdrawn`.
    pub status: String,
    /// Send it back with `PUT`.
    pub version: i64,
    pub rejection_reason: Option<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    #[schema(format = DateTime)]
    pub published_at: Option<String>,
}

impl From<&FullListing> for FullListingBody {
    fn from(f: &FullListing) -> Self {
        let l = &f.listing;
        let c = &l.content;
        Self {
            id: l.id.to_string(),
            view: "full".into(),
            title: c.title.clone(),
            description: c.description.clone(),
            industry: c.industry.id.to_string(),
            city: c.city.clone(),
            state: c.state.name.to_string(),
            year_established: c.year_established,
            employees: c.employees,
            deal_type: c.deal_type.as_str().to_string(),
            asking_price_paise: c.asking_price.get(),
            anonymous: c.anonymous,
            financials: c.financials.iter().map(Into::into).collect(),
            assets: f.assets.iter().map(Into::into).collect(),
            seller: SellerBody {
                id: l.seller_id.to_string(),
                name: f.seller_name.clone(),
            },
            status: l.status.as_str().to_string(),
            version: l.version,
            rejection_reason: l.rejection_reason.clone(),
            created_at: time(l.created_at),
            updated_at: time(l.updated_at),
            published_at: l.published_at.map(time),
        }
    }
}

/// What a buyer sees before access is granted: no title, description, city, seller,
/// financials, employees or year.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TeaserBody {
    pub id: String,
    /// Always `teaser`.
    #[schema(example = "teaser")]
    pub view: String,
    /// Made from industry and state, e.g. "Machinery and engineering business in Maharashtra".
    pub headline: String,
    pub industry: String,
    /// The state's name.
    pub state: String,
    /// e.g. `5_to_25_crore`; null without financials.
    pub revenue_band: Option<String>,
    pub asking_price_paise: i64,
    pub deal_type: String,
    pub status: String,
    #[schema(format = DateTime)]
    pub published_at: Option<String>,
}

impl From<&Teaser> for TeaserBody {
    fn from(t: &Teaser) -> Self {
        Self {
            id: t.id.to_string(),
            view: "teaser".into(),
            headline: t.headline.clone(),
            industry: t.industry.id.to_string(),
            state: t.state.name.to_string(),
            revenue_band: t.revenue_band.map(str::to_string),
            asking_price_paise: t.asking_price.get(),
            deal_type: t.deal_type.as_str().to_string(),
            status: t.status.as_str().to_string(),
            published_at: t.published_at.map(time),
        }
    }
}

/// A listing as its reader may see it; `view` says which shape.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)] // built only to be serialised at once
pub enum ListingBody {
    Full(FullListingBody),
    Teaser(TeaserBody),
}

impl From<&ListingView> for ListingBody {
    fn from(v: &ListingView) -> Self {
        match v {
            ListingView::Full(f) => ListingBody::Full(FullListingBody::from(&**f)),
            ListingView::Teaser(t) => ListingBody::Teaser(TeaserBody::from(t)),
        }
    }
}
