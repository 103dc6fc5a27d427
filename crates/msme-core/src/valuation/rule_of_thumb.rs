//! The original design's rule of thumb, kept so its users see the figure they are used to.
//!
//! value = mean(revenue × r, net profit × p (when positive), total assets × a)
//!         × city tier × age × debt × margin
//!
//! with (r, p, a) from the sector table ([`super::sector::rule_of_thumb_sector`]) and:
//!
//! | factor | condition | × |
//! |---|---|---|
//! | city tier | tier 1 / tier 2 / tier 3 ([`crate::listing::city_tier`]) | 1.1 / 1.0 / 0.9 |
//! | age | under 3 years / 3-9 / 10 or more | 0.85 / 1.0 / 1.1 |
//! | debt | debt ÷ total assets over 0.6 / over 0.3 / else | 0.8 / 0.9 / 1.0 |
//! | margin | net margin under 5% / 15% or more / else | 0.9 / 1.1 / 1.0 |
//!
//! Debt is reflected by its factor, not subtracted, as in the original design.

use super::sector::rule_of_thumb_sector;
use super::{
    f, pct, to_paise, MethodOutcome, MethodResult, ValuationAssumptions, ValuationError,
    ValuationInput, RULE_OF_THUMB,
};
use crate::listing::{city_tier, CityTier};

/// The factors after the base value, each with its reason.
fn factors(input: &ValuationInput, revenue: f64, profit: f64, assets: f64) -> Vec<(f64, String)> {
    let tier = match city_tier(&input.city) {
        CityTier::Tier1 => (1.1, "tier 1 city"),
        CityTier::Tier2 => (1.0, "tier 2 city"),
        CityTier::Tier3 => (0.9, "tier 3 city or unknown"),
    };
    let age = match input.age_years() {
        a if a < 3 => (0.85, format!("{a} years old: under 3")),
        a if a < 10 => (1.0, format!("{a} years old")),
        a => (1.1, format!("{a} years old: 10 or more")),
    };
    let debt_ratio = if assets > 0.0 {
        f(input.debt()) / assets
    } else {
        0.0
    };
    let debt = match debt_ratio {
        d if d > 0.6 => 0.8,
        d if d > 0.3 => 0.9,
        _ => 1.0,
    };
    let margin = profit / revenue;
    let margin_factor = match margin {
        m if m < 0.05 => 0.9,
        m if m >= 0.15 => 1.1,
        _ => 1.0,
    };
    vec![
        (tier.0, tier.1.to_string()),
        (age.0, age.1),
        (debt, format!("debt {:.2} of total assets", debt_ratio)),
        (margin_factor, format!("net margin {}", pct(margin))),
    ]
}

/// The rule-of-thumb value of the latest year (see the module documentation for the tables).
/// Needs a year with revenue.
pub fn rule_of_thumb(input: &ValuationInput, a: &ValuationAssumptions) -> MethodOutcome {
    a.check()?;
    let latest = input
        .latest()
        .filter(|y| y.revenue.get() > 0)
        .ok_or_else(|| ValuationError::not_applicable(RULE_OF_THUMB, "no year with revenue"))?;
    let s = rule_of_thumb_sector(input.industry);
    let (revenue, profit, assets) = (
        f(latest.revenue),
        f(latest.net_profit),
        f(latest.total_assets),
    );
    let mut notes = vec![format!(
        "the original design's rule of thumb, kept for continuity; sector {} multiplies \
         revenue by {}, net profit by {}, total assets by {}",
        s.name, s.revenue_multiple, s.profit_multiple, s.asset_multiple
    )];
    let mut used = vec![
        "industry".to_string(),
        "city".into(),
        "year_established".into(),
        "financials[0].revenue".into(),
        "financials[0].net_profit".into(),
        "financials[0].debt".into(),
    ];
    let mut parts = vec![revenue * s.revenue_multiple];
    if profit > 0.0 {
        parts.push(profit * s.profit_multiple);
    } else {
        notes.push("net profit is not positive, so the profit term is left out".into());
    }
    if assets > 0.0 {
        parts.push(assets * s.asset_multiple);
        used.push("financials[0].total_assets".into());
    }
    #[allow(clippy::cast_precision_loss)]
    let base = parts.iter().sum::<f64>() / parts.len() as f64;
    notes.push(format!(
        "base {} = mean of {} term(s)",
        to_paise(base, RULE_OF_THUMB, "base value")?,
        parts.len()
    ));
    let mut product = 1.0;
    for (factor, why) in factors(input, revenue, profit, assets) {
        product *= factor;
        notes.push(format!("× {factor} ({why})"));
    }
    notes.push("debt is reflected by its factor, not subtracted, as in the original design".into());
    let value = to_paise(base * product, RULE_OF_THUMB, "value")?;
    Ok(MethodResult {
        method: RULE_OF_THUMB,
        value,
        low: None,
        high: None,
        notes,
        inputs_used: used,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Paise;
    use crate::valuation::test_support::{input, year, CRORE};

    #[test]
    fn established_tier_one_manufacturer() {
        // Revenue ₹8 crore, net profit ₹0.5 crore, assets ₹4 crore, debt ₹0.8 crore.
        // (8 × 0.8 + 0.5 × 5 + 4 × 1.0) / 3 = ₹4.3 crore; × 1.1 (Pune) × 1.1 (18 years)
        // × 1.0 (debt 0.2 of assets) × 1.0 (margin 6.25%) = ₹5.203 crore.
        let i = input(vec![year(2026, 8 * CRORE, CRORE)]);
        let r = rule_of_thumb(&i, &ValuationAssumptions::default()).unwrap();
        assert_eq!(r.value, Paise::new(5_20_30_000_00));
        assert!(r.notes[0].contains("manufacturing"));
    }

    #[test]
    fn young_loss_making_small_town_business() {
        // Revenue ₹2 crore, loss ₹0.1 crore, assets ₹1 crore: (2 × 0.8 + 1 × 1.0) / 2 = ₹1.3
        // crore; × 0.9 (Hosur, tier 3) × 0.85 (1 year old) × 1.0 × 0.9 (margin −5%).
        let mut i = input(vec![year(2026, 2 * CRORE, -CRORE / 5)]);
        i.city = "Hosur".into();
        i.year_established = 2025;
        let r = rule_of_thumb(&i, &ValuationAssumptions::default()).unwrap();
        assert_eq!(r.value, Paise::new(89_50_500_00));
        assert!(r
            .notes
            .iter()
            .any(|n| n.contains("profit term is left out")));
    }

    #[test]
    fn heavy_debt_lowers_the_value() {
        let mut i = input(vec![year(2026, 8 * CRORE, CRORE)]);
        i.financials[0].debt = Paise::new(3 * CRORE); // 0.75 of assets
        let r = rule_of_thumb(&i, &ValuationAssumptions::default()).unwrap();
        assert_eq!(r.value, Paise::new(5_20_30_000_00 * 8 / 10));
    }

    #[test]
    fn no_revenue_does_not_apply() {
        let r = rule_of_thumb(&input(vec![]), &ValuationAssumptions::default());
        assert!(matches!(r, Err(ValuationError::NotApplicable { .. })));
    }
}
