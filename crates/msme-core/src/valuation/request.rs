//! What a client may ask to have valued without a listing, and the errors of the valuation
//! service.

use chrono::NaiveDate;

use super::{Diligence, LegacyValuationRequest, ValuationError, ValuationInput};
use crate::error::{check_free_text, impl_domain_error, StoreError, ValidationError};
use crate::listing::{
    check_financials, fiscal_year_of, industry, state, FinancialsInput, ListingError,
};
use crate::rbac::Forbidden;

/// A business's figures in paise, with the listing's field names and checks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawFinancials {
    pub company_name: Option<String>,
    /// An industry id of the taxonomy, e.g. `machinery`.
    pub industry: String,
    pub city: String,
    pub state: String,
    pub year_established: i32,
    pub employees: i64,
    /// Newest or oldest first; at least one year.
    pub financials: Vec<FinancialsInput>,
    /// Expected growth in percent per year, used when only one year is given.
    pub growth_rate: Option<f64>,
    /// Share of revenue from the largest customer, in percent (0 to 100), if known; feeds the
    /// `customer_concentration` risk.
    pub top_customer_share: Option<f64>,
}

/// Figures to value without a listing.
#[derive(Clone, Debug, PartialEq)]
pub enum ValuationRequest {
    /// The original design's fields, in rupees.
    Legacy(LegacyValuationRequest),
    /// Figures in paise.
    Financials(RawFinancials),
}

impl ValuationRequest {
    /// The subject's name (if given) and the valuation input, each bad field named.
    pub fn to_input(
        &self,
        date: NaiveDate,
    ) -> Result<(Option<String>, ValuationInput), ValidationError> {
        match self {
            ValuationRequest::Legacy(l) => {
                let name = check_free_text("company_name", &l.company_name, 200)?;
                Ok(((!name.is_empty()).then_some(name), l.to_input(date)?))
            }
            ValuationRequest::Financials(r) => r.to_input(date),
        }
    }
}

impl RawFinancials {
    fn to_input(
        &self,
        date: NaiveDate,
    ) -> Result<(Option<String>, ValuationInput), ValidationError> {
        use chrono::Datelike;
        let name = match &self.company_name {
            Some(n) => Some(check_free_text("company_name", n, 200)?).filter(|n| !n.is_empty()),
            None => None,
        };
        let (industry, state) = (industry(&self.industry)?, state(&self.state)?);
        let city = check_free_text("city", &self.city, 60)?;
        if city.chars().count() < 2 {
            return Err(ValidationError::new("city", "must name a city"));
        }
        if !(1800..=date.year()).contains(&self.year_established) {
            return Err(ValidationError::new(
                "year_established",
                format!("must be between 1800 and {}", date.year()),
            ));
        }
        if self.financials.is_empty() {
            return Err(ValidationError::new(
                "financials",
                "at least one fiscal year is needed",
            ));
        }
        let input = ValuationInput {
            industry,
            city,
            state: Some(state),
            year_established: self.year_established,
            employees: employees(self.employees)?,
            financials: check_financials(&self.financials, fiscal_year_of(date))?,
            ebitda_known: true,
            assets: None,
            current_assets: None,
            current_liabilities: None,
            cash: None,
            growth_rate: growth(self.growth_rate)?,
            valuation_date: date,
            diligence: Diligence {
                top_customer_share: customer_share(self.top_customer_share)?,
                ..Diligence::default()
            },
        };
        Ok((name, input))
    }
}

fn employees(n: i64) -> Result<u32, ValidationError> {
    u32::try_from(n)
        .ok()
        .filter(|n| *n <= 1_000_000)
        .ok_or_else(|| ValidationError::new("employees", "must be between 0 and 1,000,000"))
}

/// A growth percentage as a fraction.
fn growth(g: Option<f64>) -> Result<Option<f64>, ValidationError> {
    match g {
        Some(g) if !g.is_finite() || !(-100.0..=1000.0).contains(&g) => Err(ValidationError::new(
            "growth_rate",
            "must be a percentage between -100 and 1000",
        )),
        g => Ok(g.map(|g| g / 100.0)),
    }
}

/// A percentage of revenue as a fraction.
fn customer_share(share: Option<f64>) -> Result<Option<f64>, ValidationError> {
    match share {
        Some(s) if !s.is_finite() || !(0.0..=100.0).contains(&s) => Err(ValidationError::new(
            "top_customer_share",
            "must be a percentage between 0 and 100",
        )),
        s => Ok(s.map(|s| s / 100.0)),
    }
}

/// Failures of the valuation service.
#[derive(Debug, thiserror::Error)]
pub enum ValuationRequestError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Valuation(#[from] ValuationError),
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    /// Also what a reader gets for a valuation they may not read.
    #[error("no such valuation")]
    NotFound,
    /// Also what a reader gets for a listing they may not see in full.
    #[error("no such listing")]
    ListingNotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ListingError> for ValuationRequestError {
    fn from(e: ListingError) -> Self {
        match e {
            ListingError::Invalid(v) => Self::Invalid(v),
            ListingError::Forbidden(f) => Self::Forbidden(f),
            ListingError::Store(s) => Self::Store(s),
            // Reading never moves a listing; what remains means the listing is not there.
            _ => Self::ListingNotFound,
        }
    }
}

impl_domain_error!(ValuationRequestError {
    via: Invalid, Valuation, Forbidden, Store;
    codes: {
        Self::NotFound => "valuation_not_found", NotFound;
        Self::ListingNotFound => "listing_not_found", NotFound;
    }
});

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawFinancials {
        RawFinancials {
            company_name: Some("Rao Precision".into()),
            industry: "machinery".into(),
            city: "Pune".into(),
            state: "Maharashtra".into(),
            year_established: 2008,
            employees: 42,
            financials: vec![crate::testing::financials(2026)],
            growth_rate: Some(12.0),
            top_customer_share: Some(40.0),
        }
    }

    #[test]
    fn raw_figures_become_an_input_and_bad_fields_are_named() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let (name, i) = ValuationRequest::Financials(raw()).to_input(date).unwrap();
        assert_eq!(name.as_deref(), Some("Rao Precision"));
        assert_eq!(
            (i.industry.id, i.growth_rate, i.employees),
            ("machinery", Some(0.12), 42)
        );
        assert_eq!(i.diligence.top_customer_share, Some(0.4));
        let flags = crate::valuation::risk_assessment(&i).flags;
        assert!(flags.iter().any(|f| f.code == "customer_concentration"));
        type Change = fn(&mut RawFinancials);
        let cases: [(Change, &str); 6] = [
            (|r| r.top_customer_share = Some(120.0), "top_customer_share"),
            (|r| r.industry = "mining".into(), "industry"),
            (|r| r.financials.clear(), "financials"),
            (|r| r.employees = -1, "employees"),
            (|r| r.growth_rate = Some(f64::NAN), "growth_rate"),
            (|r| r.city = "\u{0}x".into(), "city"),
        ];
        for (change, field) in cases {
            let mut r = raw();
            change(&mut r);
            let err = ValuationRequest::Financials(r).to_input(date).unwrap_err();
            assert_eq!(err.field, field);
        }
    }
}
