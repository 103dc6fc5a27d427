//! Search filters as given (wire names, plain values) and as kept in a saved search.

use serde::{Deserialize, Serialize};

use super::SearchFilters;
use crate::error::ValidationError;
use crate::listing::{industry, state, DealType};
use crate::money::Paise;

/// Filters as a client gives them; [`SearchFiltersInput::parse`] makes [`SearchFilters`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchFiltersInput {
    pub industry: Option<String>,
    pub state: Option<String>,
    pub city: Option<String>,
    pub deal_type: Option<String>,
    pub asking_price_min_paise: Option<i64>,
    pub asking_price_max_paise: Option<i64>,
    pub revenue_min_paise: Option<i64>,
    pub revenue_max_paise: Option<i64>,
    pub ebitda_margin_min_pct: Option<i32>,
    pub ebitda_margin_max_pct: Option<i32>,
    pub year_established_min: Option<i32>,
    pub year_established_max: Option<i32>,
    pub verified_only: bool,
}

impl SearchFiltersInput {
    /// The filters; a bad value is named by its wire field. Ranges are checked too
    /// ([`SearchFilters::check`]).
    pub fn parse(&self) -> Result<SearchFilters, ValidationError> {
        let money = |field: &str, v: Option<i64>| v.map(|p| Paise::non_negative(field, p));
        let filters = SearchFilters {
            industry: self.industry.as_deref().map(industry).transpose()?,
            state: self.state.as_deref().map(state).transpose()?,
            city: self.city.as_ref().map(|c| c.trim().to_string()),
            deal_type: self.deal_type.as_deref().map(DealType::parse).transpose()?,
            asking_price_min_paise: money("asking_price_min_paise", self.asking_price_min_paise)
                .transpose()?,
            asking_price_max_paise: money("asking_price_max_paise", self.asking_price_max_paise)
                .transpose()?,
            revenue_min_paise: money("revenue_min_paise", self.revenue_min_paise).transpose()?,
            revenue_max_paise: money("revenue_max_paise", self.revenue_max_paise).transpose()?,
            ebitda_margin_min_pct: self.ebitda_margin_min_pct,
            ebitda_margin_max_pct: self.ebitda_margin_max_pct,
            year_established_min: self.year_established_min,
            year_established_max: self.year_established_max,
            verified_only: self.verified_only,
        };
        filters.check()?;
        Ok(filters)
    }
}

impl SearchFilters {
    /// The filters in the form they are given and kept in.
    pub fn to_input(&self) -> SearchFiltersInput {
        let paise = |p: Option<Paise>| p.map(Paise::get);
        SearchFiltersInput {
            industry: self.industry.map(|i| i.id.to_string()),
            state: self.state.map(|s| s.code.to_string()),
            city: self.city.clone(),
            deal_type: self.deal_type.map(|d| d.as_str().to_string()),
            asking_price_min_paise: paise(self.asking_price_min_paise),
            asking_price_max_paise: paise(self.asking_price_max_paise),
            revenue_min_paise: paise(self.revenue_min_paise),
            revenue_max_paise: paise(self.revenue_max_paise),
            ebitda_margin_min_pct: self.ebitda_margin_min_pct,
            ebitda_margin_max_pct: self.ebitda_margin_max_pct,
            year_established_min: self.year_established_min,
            year_established_max: self.year_established_max,
            verified_only: self.verified_only,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_round_trip_through_their_input_and_bad_values_are_named() {
        let input = SearchFiltersInput {
            industry: Some("machinery".into()),
            state: Some("Maharashtra".into()),
            city: Some(" Pune ".into()),
            asking_price_max_paise: Some(10),
            ebitda_margin_min_pct: Some(5),
            year_established_max: Some(2020),
            verified_only: true,
            ..SearchFiltersInput::default()
        };
        let f = input.parse().unwrap();
        assert_eq!(f.state.unwrap().code, "MH");
        assert_eq!(f.to_input().parse().unwrap(), f);
        let bad = SearchFiltersInput {
            state: Some("Atlantis".into()),
            ..SearchFiltersInput::default()
        };
        assert_eq!(bad.parse().unwrap_err().field, "state");
        let bad = SearchFiltersInput {
            revenue_min_paise: Some(-5),
            ..SearchFiltersInput::default()
        };
        assert_eq!(bad.parse().unwrap_err().field, "revenue_min_paise");
    }
}
