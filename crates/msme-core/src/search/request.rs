//! What a search asks and what it answers.

use super::SearchCursor;
use crate::error::ValidationError;
use crate::listing::{DealType, Industry, ListingId, State};
use crate::money::Paise;

/// Orders of search results. Ties are broken by listing id, ascending.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SearchSort {
    /// Best text match first (BM25 on tantivy). Without query text, the same as `Newest`.
    #[default]
    Relevance,
    PriceAsc,
    PriceDesc,
    /// Highest latest-year revenue first; listings without financials last.
    RevenueDesc,
    /// Most recently published first.
    Newest,
}

impl SearchSort {
    pub const ALL: [SearchSort; 5] = [
        SearchSort::Relevance,
        SearchSort::PriceAsc,
        SearchSort::PriceDesc,
        SearchSort::RevenueDesc,
        SearchSort::Newest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SearchSort::Relevance => "relevance",
            SearchSort::PriceAsc => "price_asc",
            SearchSort::PriceDesc => "price_desc",
            SearchSort::RevenueDesc => "revenue_desc",
            SearchSort::Newest => "newest",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s.trim())
            .ok_or_else(|| {
                ValidationError::new(
                    "sort",
                    "must be one of relevance, price_asc, price_desc, revenue_desc, newest",
                )
            })
    }
}

/// Filters of a search, named as on the wire; every filter that is set applies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchFilters {
    pub industry: Option<&'static Industry>,
    pub state: Option<&'static State>,
    /// Compared without regard to ASCII case; never matches an anonymous listing.
    pub city: Option<String>,
    pub deal_type: Option<DealType>,
    pub asking_price_min_paise: Option<Paise>,
    pub asking_price_max_paise: Option<Paise>,
    pub revenue_min_paise: Option<Paise>,
    pub revenue_max_paise: Option<Paise>,
    /// Whole percent; compared with the latest year's EBITDA margin (listings without
    /// financials are left out).
    pub ebitda_margin_min_pct: Option<i32>,
    pub ebitda_margin_max_pct: Option<i32>,
    pub year_established_min: Option<i32>,
    pub year_established_max: Option<i32>,
    /// Only listings whose seller's KYC is verified.
    pub verified_only: bool,
}

impl SearchFilters {
    /// Refuses ranges that cannot be meant: negative money, a minimum above its maximum, a
    /// margin outside ±1000 %.
    pub fn check(&self) -> Result<(), ValidationError> {
        let money = [
            ("asking_price_min_paise", self.asking_price_min_paise),
            ("asking_price_max_paise", self.asking_price_max_paise),
            ("revenue_min_paise", self.revenue_min_paise),
            ("revenue_max_paise", self.revenue_max_paise),
        ];
        for (field, value) in money {
            if value.is_some_and(Paise::is_negative) {
                return Err(ValidationError::new(field, "must not be negative"));
            }
        }
        check_ordered(
            ("asking_price_min_paise", self.asking_price_min_paise),
            ("asking_price_max_paise", self.asking_price_max_paise),
        )?;
        check_ordered(
            ("revenue_min_paise", self.revenue_min_paise),
            ("revenue_max_paise", self.revenue_max_paise),
        )?;
        for (field, pct) in [
            ("ebitda_margin_min_pct", self.ebitda_margin_min_pct),
            ("ebitda_margin_max_pct", self.ebitda_margin_max_pct),
        ] {
            if pct.is_some_and(|p| !(-1000..=1000).contains(&p)) {
                return Err(ValidationError::new(
                    field,
                    "must be between -1000 and 1000",
                ));
            }
        }
        check_ordered(
            ("ebitda_margin_min_pct", self.ebitda_margin_min_pct),
            ("ebitda_margin_max_pct", self.ebitda_margin_max_pct),
        )?;
        check_ordered(
            ("year_established_min", self.year_established_min),
            ("year_established_max", self.year_established_max),
        )
    }

    /// The city filter as indexes compare it: trimmed and ASCII lower-cased.
    pub fn city_key(&self) -> Option<String> {
        self.city.as_deref().map(|c| c.trim().to_ascii_lowercase())
    }
}

/// A range filter's bounds: when both are given, the minimum must not be above the maximum.
fn check_ordered<T: PartialOrd>(
    (min_field, min): (&str, Option<T>),
    (max_field, max): (&str, Option<T>),
) -> Result<(), ValidationError> {
    match (min, max) {
        (Some(a), Some(b)) if a > b => Err(ValidationError::new(
            min_field,
            format!("must not be above {max_field}"),
        )),
        _ => Ok(()),
    }
}

/// One search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchRequest {
    /// Free text; blank matches every listing that passes the filters.
    pub query: String,
    pub filters: SearchFilters,
    pub sort: SearchSort,
    /// Hits per page; the service clamps it to 1..=100.
    pub limit: u32,
    /// Continue after this cursor (from a previous page with the same sort).
    pub cursor: Option<SearchCursor>,
}

impl SearchRequest {
    /// The order hits come in: relevance without query text means newest first.
    pub fn effective_sort(&self) -> SearchSort {
        match self.sort {
            SearchSort::Relevance if self.query.trim().is_empty() => SearchSort::Newest,
            s => s,
        }
    }
}

/// One hit: which listing, at which indexed version, and its text score.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    pub listing_id: ListingId,
    /// The version the listing was indexed at.
    pub version: i64,
    /// The text score under the relevance sort (other sorts may leave it 0); comparable only
    /// between hits of one search.
    pub score: f32,
}

/// Hits per value, count descending then value ascending; values without hits are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    /// By industry id (`machinery`).
    pub industry: Vec<(String, u64)>,
    /// By state code (`MH`).
    pub state: Vec<(String, u64)>,
    /// By deal type (`full_sale`).
    pub deal_type: Vec<(String, u64)>,
    /// By [`super::PriceBand`] wire name.
    pub price_band: Vec<(String, u64)>,
}

impl Facets {
    /// Facets from an index's counts per value (industry, state, deal type, price band), in
    /// their documented order.
    pub fn from_counts(counts: [std::collections::HashMap<String, u64>; 4]) -> Facets {
        let [industry, state, deal_type, price_band] = counts.map(|m| m.into_iter().collect());
        let mut facets = Facets {
            industry,
            state,
            deal_type,
            price_band,
        };
        facets.sort();
        facets
    }

    /// Puts every facet in its documented order: count descending, then value ascending.
    pub fn sort(&mut self) {
        for f in [
            &mut self.industry,
            &mut self.state,
            &mut self.deal_type,
            &mut self.price_band,
        ] {
            f.retain(|(_, n)| *n > 0);
            f.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
    }
}

/// One page of a search.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// Counts over every hit of the query and filters, not just this page.
    pub facets: Facets,
    /// Hits over all pages.
    pub total: u64,
    /// Set when more hits follow this page.
    pub next_cursor: Option<SearchCursor>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_refuse_impossible_ranges() {
        let f = SearchFilters {
            asking_price_min_paise: Some(Paise::new(10)),
            asking_price_max_paise: Some(Paise::new(5)),
            ..SearchFilters::default()
        };
        assert_eq!(f.check().unwrap_err().field, "asking_price_min_paise");
        let f = SearchFilters {
            revenue_min_paise: Some(Paise::new(-1)),
            ..SearchFilters::default()
        };
        assert_eq!(f.check().unwrap_err().field, "revenue_min_paise");
        let f = SearchFilters {
            ebitda_margin_min_pct: Some(5000),
            ..SearchFilters::default()
        };
        assert_eq!(f.check().unwrap_err().field, "ebitda_margin_min_pct");
        let f = SearchFilters {
            ebitda_margin_min_pct: Some(20),
            ebitda_margin_max_pct: Some(10),
            ..SearchFilters::default()
        };
        assert_eq!(f.check().unwrap_err().field, "ebitda_margin_min_pct");
        let f = SearchFilters {
            year_established_min: Some(2020),
            year_established_max: Some(2010),
            ..SearchFilters::default()
        };
        assert_eq!(f.check().unwrap_err().field, "year_established_min");
        assert!(SearchFilters::default().check().is_ok());
    }

    #[test]
    fn relevance_without_words_is_newest_first() {
        let mut r = SearchRequest {
            query: "  ".into(),
            ..SearchRequest::default()
        };
        assert_eq!(r.effective_sort(), SearchSort::Newest);
        r.query = "cnc".into();
        assert_eq!(r.effective_sort(), SearchSort::Relevance);
        assert_eq!(
            SearchSort::parse("revenue_desc"),
            Ok(SearchSort::RevenueDesc)
        );
    }

    #[test]
    fn facets_sort_by_count_then_value() {
        let mut f = Facets {
            state: vec![
                ("MH".into(), 2),
                ("GJ".into(), 2),
                ("KA".into(), 5),
                ("TN".into(), 0),
            ],
            ..Facets::default()
        };
        f.sort();
        let order: Vec<&str> = f.state.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(order, ["KA", "GJ", "MH"]);
    }
}
