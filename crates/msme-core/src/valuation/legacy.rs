//! The original design's valuation request, in rupees, converted into a [`ValuationInput`].

use chrono::{Datelike, NaiveDate};

use super::{legacy_industry, Diligence, ValuationInput};
use crate::error::ValidationError;
use crate::listing::{fiscal_year_of, state, YearFinancials};
use crate::money::Paise;

/// The original design's request fields, amounts in whole rupees. Kept so its clients keep
/// working; new clients send paise.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LegacyValuationRequest {
    pub company_name: String,
    /// Legal form as free text ("Private Limited", "Proprietorship"); recorded, not used.
    pub business_type: String,
    /// Free text, mapped by [`legacy_industry`].
    pub industry: String,
    /// "City" or "City, State".
    pub location: String,
    pub establishment_year: i32,
    pub annual_revenue: i64,
    pub annual_profit: i64,
    pub total_assets: Option<i64>,
    pub current_assets: Option<i64>,
    pub current_liabilities: Option<i64>,
    /// Borrowings not already in `current_liabilities`.
    pub total_debt: Option<i64>,
    pub employee_count: Option<i64>,
    /// Expected growth in percent per year (12.5 = 12.5%).
    pub growth_rate: Option<f64>,
    pub ebitda: Option<i64>,
}

fn rupees(field: &str, v: i64) -> Result<Paise, ValidationError> {
    Paise::from_rupees(v).ok_or_else(|| ValidationError::new(field, "is too large"))
}

fn non_negative(field: &str, v: Option<i64>) -> Result<Option<Paise>, ValidationError> {
    match v {
        Some(v) if v < 0 => Err(ValidationError::new(field, "must not be negative")),
        Some(v) => rupees(field, v).map(Some),
        None => Ok(None),
    }
}

impl LegacyValuationRequest {
    /// Converts to a valuation input for `valuation_date`. The figures become one fiscal year,
    /// the last completed one; total liabilities are taken as current liabilities plus debt;
    /// a missing EBITDA is marked unknown, not guessed. Each bad field is named.
    pub fn to_input(&self, valuation_date: NaiveDate) -> Result<ValuationInput, ValidationError> {
        let industry = legacy_industry(&self.industry)?;
        let (city, state) = self.location()?;
        if !(1800..=valuation_date.year()).contains(&self.establishment_year) {
            return Err(ValidationError::new(
                "establishment_year",
                format!("must be between 1800 and {}", valuation_date.year()),
            ));
        }
        let revenue =
            non_negative("annual_revenue", Some(self.annual_revenue))?.unwrap_or(Paise::ZERO);
        let profit = rupees("annual_profit", self.annual_profit)?;
        if profit > revenue {
            return Err(ValidationError::new(
                "annual_profit",
                "profit cannot be more than revenue",
            ));
        }
        let ebitda = self.ebitda.map(|e| rupees("ebitda", e)).transpose()?;
        if ebitda.is_some_and(|e| e > revenue) {
            return Err(ValidationError::new(
                "ebitda",
                "EBITDA cannot be more than revenue",
            ));
        }
        let total_assets = non_negative("total_assets", self.total_assets)?;
        let current_assets = non_negative("current_assets", self.current_assets)?;
        let current_liabilities = non_negative("current_liabilities", self.current_liabilities)?;
        let debt = non_negative("total_debt", self.total_debt)?.unwrap_or(Paise::ZERO);
        let liabilities = current_liabilities
            .unwrap_or(Paise::ZERO)
            .checked_add(debt)
            .ok_or_else(|| ValidationError::new("total_debt", "is too large"))?;
        let employees = match self.employee_count {
            None => 0,
            Some(n) => u32::try_from(n)
                .ok()
                .filter(|n| *n <= 1_000_000)
                .ok_or_else(|| {
                    ValidationError::new("employee_count", "must be between 0 and 1,000,000")
                })?,
        };
        let growth_rate = match self.growth_rate {
            Some(g) if !g.is_finite() || !(-100.0..=1000.0).contains(&g) => {
                return Err(ValidationError::new(
                    "growth_rate",
                    "must be a percentage between -100 and 1000",
                ))
            }
            g => g.map(|g| g / 100.0),
        };
        let year = YearFinancials {
            fiscal_year: fiscal_year_of(valuation_date) - 1,
            revenue,
            ebitda: ebitda.unwrap_or(Paise::ZERO),
            net_profit: profit,
            total_assets: total_assets.unwrap_or(Paise::ZERO),
            total_liabilities: liabilities,
            debt,
        };
        Ok(ValuationInput {
            industry,
            city,
            state,
            year_established: self.establishment_year,
            employees,
            financials: vec![year],
            ebitda_known: ebitda.is_some(),
            assets: None,
            current_assets,
            current_liabilities,
            cash: None,
            growth_rate,
            valuation_date,
            diligence: Diligence::default(),
        })
    }

    /// "Pune, Maharashtra" → ("Pune", Maharashtra); "Pune" → ("Pune", none). A named state that
    /// is not one is an error.
    fn location(
        &self,
    ) -> Result<(String, Option<&'static crate::listing::State>), ValidationError> {
        let mut parts = self.location.split(',').map(str::trim);
        let city = parts.next().unwrap_or_default();
        if city.chars().count() < 2 {
            return Err(ValidationError::new("location", "must name a city"));
        }
        let state = match parts.next_back().filter(|s| !s.is_empty()) {
            Some(s) => Some(state(s).map_err(|e| ValidationError::new("location", e.reason))?),
            None => None,
        };
        Ok((city.to_string(), state))
    }
}

#[cfg(test)]
#[path = "legacy_tests.rs"]
mod tests;
