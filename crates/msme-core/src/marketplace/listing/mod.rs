//! Listings: a business offered for sale, its content, financials and workflow.

mod error;
mod extras;
mod financials;
mod industry;
mod model;
mod region;
mod service;
mod status;
mod view;

pub use error::ListingError;
pub use extras::{AssetInput, ImportReport, RowError};
pub use financials::{
    check_financials, fiscal_year_of, revenue_band, FinancialsInput, YearFinancials, MAX_YEARS,
};
pub use industry::{industry, Industry, INDUSTRIES};
pub use model::{
    AssetCategory, AssetCondition, Listing, ListingAsset, ListingCursor, ListingId, ListingQuery,
    ListingSort,
};
pub use region::{city_tier, state, CityTier, State, STATES};
pub(crate) use service::EscrowDeal;
pub use service::Listings;
pub use status::{IllegalTransition, ListingAction, ListingStatus};
pub use view::{FullListing, ListingView, Teaser};

use crate::error::ValidationError;
use crate::money::Paise;

/// How the business is offered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DealType {
    FullSale,
    PartialStake,
    AssetSale,
}

impl DealType {
    pub const ALL: [DealType; 3] = [
        DealType::FullSale,
        DealType::PartialStake,
        DealType::AssetSale,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DealType::FullSale => "full_sale",
            DealType::PartialStake => "partial_stake",
            DealType::AssetSale => "asset_sale",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == s.trim())
            .ok_or_else(|| {
                ValidationError::new(
                    "deal_type",
                    "must be one of full_sale, partial_stake, asset_sale",
                )
            })
    }
}

/// A listing's content as a seller gives it (wire names), before checks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListingInput {
    pub title: String,
    pub description: String,
    pub industry: String,
    pub city: String,
    pub state: String,
    pub year_established: i32,
    pub employees: i32,
    pub deal_type: String,
    pub asking_price_paise: i64,
    pub anonymous: bool,
    pub financials: Vec<FinancialsInput>,
}

/// A listing's content, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListingContent {
    pub title: String,
    pub description: String,
    pub industry: &'static Industry,
    pub city: String,
    pub state: &'static State,
    pub year_established: i32,
    pub employees: i32,
    pub deal_type: DealType,
    pub asking_price: Paise,
    /// Hide the seller's and business's identity until access is granted.
    pub anonymous: bool,
    /// Newest year first.
    pub financials: Vec<YearFinancials>,
}

fn text(field: &str, raw: &str, min: usize, max: usize) -> Result<String, ValidationError> {
    let s = raw.trim();
    let n = s.chars().count();
    if n < min {
        return Err(ValidationError::new(
            field,
            format!("must be at least {min} characters"),
        ));
    }
    if n > max {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(ValidationError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(s.to_string())
}

impl ListingContent {
    /// Checks every field; `today` decides which years are in the future.
    pub fn parse(input: &ListingInput, today: chrono::NaiveDate) -> Result<Self, ValidationError> {
        use chrono::Datelike;
        let title = text("title", &input.title, 5, 120)?;
        let description = text("description", &input.description, 20, 10_000)?;
        let industry = industry(&input.industry)?;
        let city = text("city", &input.city, 2, 60)?;
        let state = state(&input.state)?;
        if !(1800..=today.year()).contains(&input.year_established) {
            return Err(ValidationError::new(
                "year_established",
                format!("must be between 1800 and {}", today.year()),
            ));
        }
        if !(0..=1_000_000).contains(&input.employees) {
            return Err(ValidationError::new(
                "employees",
                "must be between 0 and 1,000,000",
            ));
        }
        let deal_type = DealType::parse(&input.deal_type)?;
        if input.asking_price_paise <= 0 {
            return Err(ValidationError::new(
                "asking_price_paise",
                "must be more than zero",
            ));
        }
        let financials = check_financials(&input.financials, fiscal_year_of(today))?;
        if let Some(first) = financials.last() {
            if first.fiscal_year < input.year_established {
                return Err(ValidationError::new(
                    "financials",
                    format!(
                        "fiscal year {} is before the business was established",
                        first.fiscal_year
                    ),
                ));
            }
        }
        Ok(Self {
            title,
            description,
            industry,
            city,
            state,
            year_established: input.year_established,
            employees: input.employees,
            deal_type,
            asking_price: Paise::new(input.asking_price_paise),
            anonymous: input.anonymous,
            financials,
        })
    }

    /// The latest year's figures, if any.
    pub fn latest(&self) -> Option<&YearFinancials> {
        self.financials.first()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ListingInput {
        crate::testing::listing_input(true)
    }

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    #[test]
    fn a_complete_listing_parses() {
        let c = ListingContent::parse(&input(), today()).unwrap();
        assert_eq!(
            (c.industry.id, c.state.code, c.deal_type),
            ("machinery", "MH", DealType::FullSale)
        );
        assert_eq!(c.latest().unwrap().ebitda_margin_bps(), Some(1500));
    }

    #[test]
    fn each_bad_field_is_named() {
        type Change = Box<dyn Fn(&mut ListingInput)>;
        let cases: Vec<(Change, &str)> = vec![
            (Box::new(|i| i.title = "CNC".into()), "title"),
            (Box::new(|i| i.industry = "mining".into()), "industry"),
            (Box::new(|i| i.state = "Atlantis".into()), "state"),
            (Box::new(|i| i.year_established = 2030), "year_established"),
            (Box::new(|i| i.deal_type = "merger".into()), "deal_type"),
            (Box::new(|i| i.asking_price_paise = 0), "asking_price_paise"),
            (
                Box::new(|i| i.financials[0].ebitda_paise = i64::MAX),
                "financials[0].ebitda_paise",
            ),
            (
                Box::new(|i| i.financials[0].fiscal_year = 2001),
                "financials",
            ),
        ];
        for (change, field) in cases {
            let mut i = input();
            change(&mut i);
            assert_eq!(ListingContent::parse(&i, today()).unwrap_err().field, field);
        }
    }
}
