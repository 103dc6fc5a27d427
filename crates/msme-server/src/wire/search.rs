//! `POST /v1/search`: the request with the wire names, and the page it answers.

use msme_core::ports::SearchError;
use msme_core::search::{
    Facets, SearchCursor, SearchFiltersInput, SearchPage, SearchRequest, SearchSort,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::listing::ListingBody;

/// Hits per page when the request names no `limit`.
pub const DEFAULT_LIMIT: u32 = 20;

/// A search over published listings.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchRequestBody {
    /// Free text over title, description, industry, state and city; misspellings within one
    /// or two edits (by word length) still match. Blank matches every listing.
    #[serde(default)]
    pub query: String,
    #[serde(default)]
    pub filters: SearchFiltersBody,
    /// `relevance` (default), `price_asc`, `price_desc`, `revenue_desc` or `newest`.
    pub sort: Option<String>,
    /// Hits per page, 1 to 100 (default 20).
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page (with the same sort).
    pub cursor: Option<String>,
}

/// Filters; every one that is set applies.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchFiltersBody {
    /// An industry id (see `GET /v1/industries`).
    pub industry: Option<String>,
    /// A state's name or code.
    pub state: Option<String>,
    /// Compared without regard to case; never matches an anonymous listing.
    pub city: Option<String>,
    /// `full_sale`, `partial_stake` or `asset_sale`.
    pub deal_type: Option<String>,
    pub asking_price_min_paise: Option<i64>,
    pub asking_price_max_paise: Option<i64>,
    /// Latest year's revenue; listings without financials are left out.
    pub revenue_min_paise: Option<i64>,
    pub revenue_max_paise: Option<i64>,
    /// Latest year's EBITDA margin, whole percent; listings without financials are left out.
    pub ebitda_margin_min_pct: Option<i32>,
    pub ebitda_margin_max_pct: Option<i32>,
    pub year_established_min: Option<i32>,
    pub year_established_max: Option<i32>,
    /// Only listings whose seller's KYC is verified.
    #[serde(default)]
    pub verified_only: bool,
}

impl SearchFiltersBody {
    /// The filters as the core takes them (wire names, plain values).
    pub fn to_input(&self) -> SearchFiltersInput {
        SearchFiltersInput {
            industry: self.industry.clone(),
            state: self.state.clone(),
            city: self.city.clone(),
            deal_type: self.deal_type.clone(),
            asking_price_min_paise: self.asking_price_min_paise,
            asking_price_max_paise: self.asking_price_max_paise,
            revenue_min_paise: self.revenue_min_paise,
            revenue_max_paise: self.revenue_max_paise,
            ebitda_margin_min_pct: self.ebitda_margin_min_pct,
            ebitda_margin_max_pct: self.ebitda_margin_max_pct,
            year_established_min: self.year_established_min,
            year_established_max: self.year_established_max,
            verified_only: self.verified_only,
        }
    }
}

impl From<SearchFiltersInput> for SearchFiltersBody {
    fn from(i: SearchFiltersInput) -> Self {
        Self {
            industry: i.industry,
            state: i.state,
            city: i.city,
            deal_type: i.deal_type,
            asking_price_min_paise: i.asking_price_min_paise,
            asking_price_max_paise: i.asking_price_max_paise,
            revenue_min_paise: i.revenue_min_paise,
            revenue_max_paise: i.revenue_max_paise,
            ebitda_margin_min_pct: i.ebitda_margin_min_pct,
            ebitda_margin_max_pct: i.ebitda_margin_max_pct,
            year_established_min: i.year_established_min,
            year_established_max: i.year_established_max,
            verified_only: i.verified_only,
        }
    }
}

impl SearchRequestBody {
    /// The core request; the service checks ranges, the cursor's sort and clamps the limit.
    pub fn to_request(&self) -> Result<SearchRequest, SearchError> {
        Ok(SearchRequest {
            query: self.query.clone(),
            filters: self.filters.to_input().parse()?,
            sort: self
                .sort
                .as_deref()
                .map(SearchSort::parse)
                .transpose()?
                .unwrap_or_default(),
            limit: self.limit.unwrap_or(DEFAULT_LIMIT),
            cursor: self
                .cursor
                .as_deref()
                .map(SearchCursor::decode)
                .transpose()?,
        })
    }
}

/// One value of a facet and how many hits have it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Hits per value over every page, count descending then value ascending.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FacetsBody {
    /// By industry id.
    pub industry: Vec<FacetCount>,
    /// By state code.
    pub state: Vec<FacetCount>,
    /// By deal type.
    pub deal_type: Vec<FacetCount>,
    /// By asking price band (`under_50_lakh`, `50_lakh_to_1_crore`, `1_to_5_crore`, `5_to_25_crore`, `25_crore_and_over`).
    pub price_band: Vec<FacetCount>,
}

impl From<&Facets> for FacetsBody {
    fn from(f: &Facets) -> Self {
        let counts = |v: &[(String, u64)]| {
            v.iter()
                .map(|(value, count)| FacetCount {
                    value: value.clone(),
                    count: *count,
                })
                .collect()
        };
        Self {
            industry: counts(&f.industry),
            state: counts(&f.state),
            deal_type: counts(&f.deal_type),
            price_band: counts(&f.price_band),
        }
    }
}

/// One page of results: listings full or teaser as `GET /v1/listings` shows them.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SearchResponse {
    pub items: Vec<ListingBody>,
    pub facets: FacetsBody,
    /// Null on the last page.
    pub next_cursor: Option<String>,
    /// Hits over all pages.
    pub total: u64,
}

impl From<&SearchPage> for SearchResponse {
    fn from(p: &SearchPage) -> Self {
        Self {
            items: p.items.iter().map(ListingBody::from).collect(),
            facets: FacetsBody::from(&p.facets),
            next_cursor: p.next_cursor.clone(),
            total: p.total,
        }
    }
}
