//! A listing's financial history, checked for numbers that cannot be true.

use crate::error::ValidationError;
use crate::money::Paise;

/// One fiscal year's figures as given by a seller (all in paise).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FinancialsInput {
    /// The calendar year in which the fiscal year ends: FY 2024-25 is `2025`.
    pub fiscal_year: i32,
    pub revenue_paise: i64,
    pub ebitda_paise: i64,
    pub net_profit_paise: i64,
    pub total_assets_paise: i64,
    pub total_liabilities_paise: i64,
    pub debt_paise: i64,
}

/// One fiscal year's figures, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearFinancials {
    pub fiscal_year: i32,
    pub revenue: Paise,
    pub ebitda: Paise,
    pub net_profit: Paise,
    pub total_assets: Paise,
    pub total_liabilities: Paise,
    pub debt: Paise,
}

impl YearFinancials {
    /// EBITDA margin in basis points (EBITDA / revenue × 10 000); `None` without revenue.
    pub fn ebitda_margin_bps(&self) -> Option<i64> {
        let revenue = self.revenue.get();
        if revenue <= 0 {
            return None;
        }
        i64::try_from(i128::from(self.ebitda.get()) * 10_000 / i128::from(revenue)).ok()
    }
}

/// Most years a listing may carry.
pub const MAX_YEARS: usize = 10;

/// Checks every year and returns them newest first. `current_fy` is the fiscal year in progress
/// (its figures may be provisional); later years are refused.
pub fn check_financials(
    input: &[FinancialsInput],
    current_fy: i32,
) -> Result<Vec<YearFinancials>, ValidationError> {
    if input.len() > MAX_YEARS {
        return Err(ValidationError::new(
            "financials",
            format!("at most {MAX_YEARS} fiscal years"),
        ));
    }
    let mut years: Vec<YearFinancials> = Vec::with_capacity(input.len());
    for (i, f) in input.iter().enumerate() {
        let y = check_year(i, f, current_fy)?;
        if years.iter().any(|o| o.fiscal_year == y.fiscal_year) {
            return Err(ValidationError::new(
                format!("financials[{i}].fiscal_year"),
                format!("{} appears twice", y.fiscal_year),
            ));
        }
        years.push(y);
    }
    years.sort_by_key(|y| std::cmp::Reverse(y.fiscal_year));
    Ok(years)
}

fn check_year(
    i: usize,
    f: &FinancialsInput,
    current_fy: i32,
) -> Result<YearFinancials, ValidationError> {
    let field = |name: &str| format!("financials[{i}].{name}");
    let bad = |name: &str, why: String| Err(ValidationError::new(field(name), why));
    if f.fiscal_year > current_fy {
        return bad(
            "fiscal_year",
            format!(
                "{} is in the future (the current fiscal year ends in {current_fy})",
                f.fiscal_year
            ),
        );
    }
    if f.fiscal_year < 1950 {
        return bad(
            "fiscal_year",
            format!("{} is not a plausible fiscal year", f.fiscal_year),
        );
    }
    for (name, v) in [
        ("revenue_paise", f.revenue_paise),
        ("total_assets_paise", f.total_assets_paise),
        ("total_liabilities_paise", f.total_liabilities_paise),
        ("debt_paise", f.debt_paise),
    ] {
        if v < 0 {
            return bad(name, "must not be negative".into());
        }
    }
    if f.ebitda_paise > f.revenue_paise {
        return bad("ebitda_paise", "EBITDA cannot be more than revenue".into());
    }
    if f.net_profit_paise > f.revenue_paise {
        return bad(
            "net_profit_paise",
            "net profit cannot be more than revenue".into(),
        );
    }
    if f.debt_paise > f.total_liabilities_paise {
        return bad(
            "debt_paise",
            "debt is part of total liabilities, so it cannot be more".into(),
        );
    }
    Ok(YearFinancials {
        fiscal_year: f.fiscal_year,
        revenue: Paise::new(f.revenue_paise),
        ebitda: Paise::new(f.ebitda_paise),
        net_profit: Paise::new(f.net_profit_paise),
        total_assets: Paise::new(f.total_assets_paise),
        total_liabilities: Paise::new(f.total_liabilities_paise),
        debt: Paise::new(f.debt_paise),
    })
}

/// The Indian fiscal year (April to March) in progress on `date`, named by its ending year.
pub fn fiscal_year_of(date: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    if date.month() >= 4 {
        date.year() + 1
    } else {
        date.year()
    }
}

const CRORE: i64 = 100 * 100_000 * 100; // ₹1 crore in paise

/// A coarse revenue band shown in teasers instead of the exact figure.
pub fn revenue_band(revenue: Paise) -> &'static str {
    match revenue.get() {
        r if r < CRORE => "under_1_crore",
        r if r < 5 * CRORE => "1_to_5_crore",
        r if r < 25 * CRORE => "5_to_25_crore",
        r if r < 100 * CRORE => "25_to_100_crore",
        r if r < 500 * CRORE => "100_to_500_crore",
        _ => "over_500_crore",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(fy: i32) -> FinancialsInput {
        FinancialsInput {
            fiscal_year: fy,
            revenue_paise: 50_000_000_00,
            ebitda_paise: 8_000_000_00,
            net_profit_paise: 4_000_000_00,
            total_assets_paise: 30_000_000_00,
            total_liabilities_paise: 12_000_000_00,
            debt_paise: 6_000_000_00,
        }
    }

    #[test]
    fn valid_years_come_back_newest_first_with_margins() {
        let ys = check_financials(&[year(2024), year(2026), year(2025)], 2026).unwrap();
        assert_eq!(
            ys.iter().map(|y| y.fiscal_year).collect::<Vec<_>>(),
            [2026, 2025, 2024]
        );
        assert_eq!(ys[0].ebitda_margin_bps(), Some(1600));
    }

    #[test]
    fn impossible_numbers_name_their_field() {
        let cases: Vec<(FinancialsInput, &str)> = vec![
            (
                FinancialsInput {
                    ebitda_paise: 60_000_000_00,
                    ..year(2025)
                },
                "financials[0].ebitda_paise",
            ),
            (
                FinancialsInput {
                    revenue_paise: -1,
                    ..year(2025)
                },
                "financials[0].revenue_paise",
            ),
            (
                FinancialsInput {
                    fiscal_year: 2031,
                    ..year(2025)
                },
                "financials[0].fiscal_year",
            ),
            (
                FinancialsInput {
                    debt_paise: 13_000_000_00,
                    ..year(2025)
                },
                "financials[0].debt_paise",
            ),
        ];
        for (input, field) in cases {
            assert_eq!(check_financials(&[input], 2026).unwrap_err().field, field);
        }
        let dup = check_financials(&[year(2025), year(2025)], 2026).unwrap_err();
        assert_eq!(dup.field, "financials[1].fiscal_year");
    }

    #[test]
    fn fiscal_years_turn_in_april() {
        let d = |y, m, dd| chrono::NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(fiscal_year_of(d(2026, 3, 31)), 2026);
        assert_eq!(fiscal_year_of(d(2026, 4, 1)), 2027);
    }

    #[test]
    fn revenue_bands() {
        assert_eq!(revenue_band(Paise::new(CRORE - 1)), "under_1_crore");
        assert_eq!(revenue_band(Paise::new(7 * CRORE)), "5_to_25_crore");
        assert_eq!(revenue_band(Paise::new(900 * CRORE)), "over_500_crore");
    }
}
