//! What the models see: one row of numbers per business, the same for a comparable deal and for
//! a business being valued.
//!
//! The target is `ln(price) − offset`, with `offset = ln(max(revenue, ₹1 lakh))` in paise: the
//! log of the price-to-revenue ratio. Price scales with size, and a tree cannot extrapolate a
//! scale, so the models learn the ratio and the offset puts the scale back. Missing values are
//! NaN; categorical features (industry, state) are their index in the taxonomy, and the industry
//! also enters as a number with meaning: its listed EV/EBITDA.

use chrono::Datelike;

use super::ComparableDeal;
use crate::listing::{city_tier, CityTier, Industry, State, INDUSTRIES, STATES};
use crate::valuation::{ev_ebitda, ValuationInput};

/// Feature names, in column order.
pub const FEATURES: [&str; 17] = [
    "industry",
    "state",
    "city_tier",
    "age_years",
    "ln_employees",
    "ln_revenue",
    "ebitda_margin",
    "ln_ebitda_margin",
    "net_margin",
    "revenue_growth",
    "ln_total_assets",
    "assets_to_revenue",
    "debt_to_assets",
    "liabilities_to_assets",
    "debt_to_ebitda",
    "ln_sector_multiple",
    "ln_equity_share",
];

/// How many features a row has.
pub const FEATURE_COUNT: usize = FEATURES.len();

/// Columns that hold a category index rather than a quantity.
pub const CATEGORICAL: [usize; 2] = [0, 1];

/// ₹1 lakh in paise: the smallest revenue the offset uses, so a business with no revenue still
/// has a finite scale.
const MIN_SCALE_PAISE: f64 = 1e7;

/// One business as the models see it.
#[derive(Clone, Debug, PartialEq)]
pub struct FeatureRow {
    pub values: [f64; FEATURE_COUNT],
    /// `ln(max(revenue, ₹1 lakh))`, added back to a prediction.
    pub offset: f64,
}

impl FeatureRow {
    /// The industry's wire name, for models that take categories as text (CatBoost).
    pub fn industry_id(&self) -> &'static str {
        category(self.values[0], INDUSTRIES).map_or("", |i| i.id)
    }

    /// The state's two-letter code, or empty when unknown.
    pub fn state_code(&self) -> &'static str {
        category(self.values[1], STATES).map_or("", |s| s.code)
    }

    /// How many of the features are known (not NaN).
    pub fn known(&self) -> usize {
        self.values.iter().filter(|v| !v.is_nan()).count()
    }
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn category<T>(v: f64, table: &'static [T]) -> Option<&'static T> {
    (v.is_finite() && v >= 0.0)
        .then(|| table.get(v as usize))
        .flatten()
}

/// The figures every row is made from.
struct Figures<'a> {
    industry: &'a Industry,
    state: Option<&'a State>,
    city: &'a str,
    age_years: i32,
    employees: Option<u32>,
    revenue: f64,
    ebitda: Option<f64>,
    net_profit: f64,
    total_assets: f64,
    total_liabilities: f64,
    debt: f64,
    growth: Option<f64>,
}

/// `a / b`, NaN when `b` is not positive; clamped so one odd row cannot dominate a linear fit.
fn ratio(a: f64, b: f64, limit: f64) -> f64 {
    if b > 0.0 {
        (a / b).clamp(-limit, limit)
    } else {
        f64::NAN
    }
}

fn ln_pos(x: f64) -> f64 {
    if x > 0.0 {
        x.ln()
    } else {
        f64::NAN
    }
}

fn index_of<T: PartialEq>(item: &T, table: &[T]) -> f64 {
    table
        .iter()
        .position(|x| x == item)
        .map_or(f64::NAN, |i| i as f64)
}

fn row(f: &Figures<'_>) -> FeatureRow {
    let tier = match city_tier(f.city) {
        CityTier::Tier1 => 1.0,
        CityTier::Tier2 => 2.0,
        CityTier::Tier3 => 3.0,
    };
    let margin = f.ebitda.map_or(f64::NAN, |e| ratio(e, f.revenue, 2.0));
    let values = [
        index_of(f.industry, INDUSTRIES),
        f.state.map_or(f64::NAN, |s| index_of(s, STATES)),
        tier,
        f64::from(f.age_years.max(0)),
        f.employees.map_or(f64::NAN, |n| (1.0 + f64::from(n)).ln()),
        ln_pos(f.revenue),
        margin,
        if margin.is_nan() {
            f64::NAN
        } else {
            margin.max(0.005).ln()
        },
        ratio(f.net_profit, f.revenue, 2.0),
        f.growth.map_or(f64::NAN, |g| g.clamp(-1.0, 10.0)),
        ln_pos(f.total_assets),
        ratio(f.total_assets, f.revenue, 50.0),
        ratio(f.debt, f.total_assets, 5.0),
        ratio(f.total_liabilities, f.total_assets, 5.0),
        f.ebitda.map_or(f64::NAN, |e| ratio(f.debt, e, 50.0)),
        sector_multiple(f.industry),
        f.ebitda.map_or(f64::NAN, |e| equity_share(e, f.debt)),
    ];
    FeatureRow {
        values,
        offset: offset(f.revenue),
    }
}

/// The log of the industry's listed EV/EBITDA (the shipped Damodaran table): a known prior of
/// how the market prices the sector, so no model has to learn each industry from few deals.
fn sector_multiple(industry: &Industry) -> f64 {
    ev_ebitda(industry, 0).map_or(f64::NAN, |m| m.ev_ebitda.ln())
}

/// A typical private-company EV/EBITDA, only to scale debt against earnings below.
const TYPICAL_MULTIPLE: f64 = 5.0;

/// `ln(max(1 − debt / (5 × EBITDA), 0.2))`: the share of a typically priced enterprise value
/// left for the equity after debt (floored, as a seller of an indebted business still gets
/// something). Price is enterprise value less debt, which no sum of logs expresses; this does.
fn equity_share(ebitda: f64, debt: f64) -> f64 {
    if ebitda <= 0.0 {
        return f64::NAN;
    }
    (1.0 - debt / (TYPICAL_MULTIPLE * ebitda)).max(0.2).ln()
}

/// `ln(max(revenue, ₹1 lakh))`.
pub fn offset(revenue_paise: f64) -> f64 {
    revenue_paise.max(MIN_SCALE_PAISE).ln()
}

/// The target a model learns for a deal: `ln(price) − offset`.
pub fn target(price_paise: f64, offset: f64) -> f64 {
    price_paise.max(1.0).ln() - offset
}

#[allow(clippy::cast_precision_loss)]
fn p(paise: crate::money::Paise) -> f64 {
    paise.get() as f64
}

/// A comparable deal's features.
pub fn deal_features(d: &ComparableDeal) -> FeatureRow {
    row(&Figures {
        industry: d.industry,
        state: Some(d.state),
        city: &d.city,
        age_years: d.fiscal_year - d.year_established,
        employees: d.employees,
        revenue: p(d.revenue),
        ebitda: Some(p(d.ebitda)),
        net_profit: p(d.net_profit),
        total_assets: p(d.total_assets),
        total_liabilities: p(d.total_liabilities),
        debt: p(d.debt),
        growth: d.revenue_growth_bps.map(|b| f64::from(b) / 10_000.0),
    })
}

/// Features of a business being valued, from its latest figures; `None` without financials.
pub fn input_features(i: &ValuationInput) -> Option<FeatureRow> {
    let latest = i.latest()?;
    let year = latest.fiscal_year.min(i.valuation_date.year());
    Some(row(&Figures {
        industry: i.industry,
        state: i.state,
        city: &i.city,
        age_years: year - i.year_established,
        employees: Some(i.employees),
        revenue: p(latest.revenue),
        ebitda: i.ebitda_known.then(|| p(latest.ebitda)),
        net_profit: p(latest.net_profit),
        total_assets: p(latest.total_assets),
        total_liabilities: p(latest.total_liabilities),
        debt: p(latest.debt),
        growth: growth(i),
    }))
}

/// Compound yearly revenue growth over the history, or the seller's expectation with one year.
fn growth(i: &ValuationInput) -> Option<f64> {
    let (first, last) = (i.financials.first()?, i.financials.last()?);
    let years = first.fiscal_year - last.fiscal_year;
    if years > 0 && first.revenue.get() > 0 && last.revenue.get() > 0 {
        Some((p(first.revenue) / p(last.revenue)).powf(1.0 / f64::from(years)) - 1.0)
    } else {
        i.growth_rate
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::valuation::test_support::{input, year};

    #[test]
    fn a_valued_business_and_a_deal_with_the_same_figures_look_alike() {
        let i = input(vec![
            year(2026, 1000_00_000, 150_00_000),
            year(2025, 800_00_000, 100_00_000),
        ]);
        let f = input_features(&i).unwrap();
        assert_eq!(f.values.len(), FEATURES.len());
        assert_eq!(f.industry_id(), i.industry.id);
        assert!((f.values[6] - 0.15).abs() < 1e-12);
        assert!((f.values[9] - 0.25).abs() < 1e-12, "growth {}", f.values[9]);
        assert!((f.offset - (1000_00_000_f64).ln()).abs() < 1e-12);
        let t = target(3000_00_000.0, f.offset);
        assert!((t - 3f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn unknown_ebitda_is_missing_not_zero() {
        let mut i = input(vec![year(2026, 100, 10)]);
        i.ebitda_known = false;
        let f = input_features(&i).unwrap();
        assert!(f.values[6].is_nan() && f.values[14].is_nan() && f.values[16].is_nan());
        assert_eq!(f.offset, MIN_SCALE_PAISE.ln());
    }
}
