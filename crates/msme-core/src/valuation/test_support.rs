//! Builders shared by the valuation tests.

use chrono::NaiveDate;

use super::{Diligence, ValuationInput};
use crate::listing::{industry, state, YearFinancials};
use crate::money::Paise;

/// ₹1 crore in paise.
pub const CRORE: i64 = 1_00_00_000_00;

/// A year with the given revenue and EBITDA (paise); net profit half the EBITDA, assets half the
/// revenue, liabilities a fifth of it and debt a tenth.
pub fn year(fiscal_year: i32, revenue: i64, ebitda: i64) -> YearFinancials {
    YearFinancials {
        fiscal_year,
        revenue: Paise::new(revenue),
        ebitda: Paise::new(ebitda),
        net_profit: Paise::new(ebitda / 2),
        total_assets: Paise::new(revenue / 2),
        total_liabilities: Paise::new(revenue / 5),
        debt: Paise::new(revenue / 10),
    }
}

/// A machinery business in Pune, established 2008, valued on 25 November 2026, verified and
/// fully documented, with the given years (newest first).
pub fn input(financials: Vec<YearFinancials>) -> ValuationInput {
    ValuationInput {
        industry: industry("machinery").unwrap(),
        city: "Pune".into(),
        state: Some(state("Maharashtra").unwrap()),
        year_established: 2008,
        employees: 42,
        financials,
        ebitda_known: true,
        assets: None,
        current_assets: None,
        current_liabilities: None,
        cash: None,
        growth_rate: None,
        valuation_date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        diligence: Diligence {
            financials_verified: true,
            documents_complete: true,
            top_customer_share: None,
        },
    }
}
