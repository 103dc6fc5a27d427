//! The numbers the methods assume, with where each default comes from. All are configurable; the
//! methods state the ones they used in their notes.

use super::{AssetCategory, ValuationError};

/// Revenue bands, as named by [`crate::listing::revenue_band`], in the order of
/// [`ValuationAssumptions::size_discounts`].
pub const SIZE_BANDS: [&str; 6] = [
    "under_1_crore",
    "1_to_5_crore",
    "5_to_25_crore",
    "25_to_100_crore",
    "100_to_500_crore",
    "over_500_crore",
];

/// Share of book value a buyer could realise, per asset category (0 to 1).
#[derive(Clone, Debug, PartialEq)]
pub struct RealisableFactors {
    /// 1.0: books carry land at historical cost, usually below market; no uplift is assumed.
    pub land: f64,
    /// 0.8: buildings sell with the land but are specific to their use.
    pub buildings: f64,
    /// 0.6: second-hand machinery fetches well under written-down value outside a going concern.
    pub plant_machinery: f64,
    /// 0.7: vehicles have an active resale market.
    pub vehicles: f64,
    /// 0.2: furniture and fixtures have little resale value.
    pub furniture_fixtures: f64,
    /// 0.2: computers age fast.
    pub computers_it: f64,
    /// 0.7: part of any stock is slow-moving or obsolete.
    pub inventory: f64,
    /// 0.85: MSME receivables are often paid late or not at all.
    pub receivables: f64,
    /// 1.0.
    pub cash: f64,
    /// 0.0: goodwill and the like are not separable; the earnings methods count them.
    pub intangibles: f64,
    /// 0.5: for anything not itemised.
    pub other: f64,
}

impl Default for RealisableFactors {
    fn default() -> Self {
        Self {
            land: 1.0,
            buildings: 0.8,
            plant_machinery: 0.6,
            vehicles: 0.7,
            furniture_fixtures: 0.2,
            computers_it: 0.2,
            inventory: 0.7,
            receivables: 0.85,
            cash: 1.0,
            intangibles: 0.0,
            other: 0.5,
        }
    }
}

impl RealisableFactors {
    /// The factor for one category.
    pub fn factor(&self, category: AssetCategory) -> f64 {
        match category {
            AssetCategory::Land => self.land,
            AssetCategory::Buildings => self.buildings,
            AssetCategory::PlantMachinery => self.plant_machinery,
            AssetCategory::Vehicles => self.vehicles,
            AssetCategory::FurnitureFixtures => self.furniture_fixtures,
            AssetCategory::ComputersIt => self.computers_it,
            AssetCategory::Inventory => self.inventory,
            AssetCategory::Receivables => self.receivables,
            AssetCategory::Cash => self.cash,
            AssetCategory::Intangibles => self.intangibles,
            AssetCategory::Other => self.other,
        }
    }
}

/// Every assumption of the valuation methods. `Default` gives the documented values.
#[derive(Clone, Debug, PartialEq)]
pub struct ValuationAssumptions {
    /// Discount for lack of marketability applied to listed-company multiples: 25%, within the
    /// 20-35% that Indian valuers commonly apply to unlisted stakes.
    pub illiquidity_discount: f64,
    /// Further discount for size by revenue band ([`SIZE_BANDS`] order): 45%, 35%, 25%, 15%, 5%,
    /// 0%. Listed Indian peers are far larger; small firms carry a size premium of about 5
    /// points in their cost of equity (Kroll's smallest-decile premium), which at a cost of
    /// equity near 19% lowers a growing perpetuity by a third or more.
    pub size_discounts: [f64; 6],
    /// Peer rows with fewer firms are too thin; the total market row is used instead. Default 5.
    pub min_peer_firms: u32,
    /// India 10-year government bond yield: 6.5%.
    pub risk_free_rate: f64,
    /// Equity risk premium for India, a mature-market premium plus India's country premium:
    /// 7.3% (Damodaran, January 2026, about).
    pub equity_risk_premium: f64,
    /// Equity beta: 1.0 (industry betas are not shipped; a small firm is assumed as risky as the
    /// market before its size premium).
    pub beta: f64,
    /// Small-company premium added to the cost of equity: 5%.
    pub size_premium: f64,
    /// Corporate tax: 25% (section 115BAA's 22% plus surcharge and cess is 25.17%).
    pub tax_rate: f64,
    /// Capital expenditure as a share of revenue: 3%. Also taken as depreciation, so the tax
    /// shield of depreciation is counted and maintenance keeps the assets whole.
    pub capex_to_revenue: f64,
    /// Working capital tied up per rupee of extra revenue: 15% (Indian MSMEs commonly wait
    /// 60-90 days for payment).
    pub working_capital_to_revenue: f64,
    /// Long-run nominal growth after the projection: 5% (about India's inflation target plus a
    /// little; below nominal GDP growth, as most small firms do not keep pace with it).
    pub terminal_growth: f64,
    /// Years over which growth fades linearly to the terminal rate: 5.
    pub projection_years: u32,
    /// Growth assumed when neither history nor the seller gives one: 8%.
    pub default_growth: f64,
    /// Initial growth is held within these bounds: -10% to 30%.
    pub min_initial_growth: f64,
    pub max_initial_growth: f64,
    /// The DCF's low and high move the discount rate by this much: 1 point.
    pub discount_rate_sensitivity: f64,
    /// Realisable value of itemised assets.
    pub realisable: RealisableFactors,
}

impl Default for ValuationAssumptions {
    fn default() -> Self {
        Self {
            illiquidity_discount: 0.25,
            size_discounts: [0.45, 0.35, 0.25, 0.15, 0.05, 0.0],
            min_peer_firms: 5,
            risk_free_rate: 0.065,
            equity_risk_premium: 0.073,
            beta: 1.0,
            size_premium: 0.05,
            tax_rate: 0.25,
            capex_to_revenue: 0.03,
            working_capital_to_revenue: 0.15,
            terminal_growth: 0.05,
            projection_years: 5,
            default_growth: 0.08,
            min_initial_growth: -0.10,
            max_initial_growth: 0.30,
            discount_rate_sensitivity: 0.01,
            realisable: RealisableFactors::default(),
        }
    }
}

impl ValuationAssumptions {
    /// The size discount for a revenue band name.
    pub fn size_discount(&self, band: &str) -> f64 {
        SIZE_BANDS
            .iter()
            .position(|b| *b == band)
            .map_or(0.0, |i| self.size_discounts[i])
    }

    /// Refuses values that would make a method meaningless (a discount of 120%, a tax rate of
    /// -5%, a growth floor above its ceiling, a projection of 0 or over 50 years).
    pub fn check(&self) -> Result<(), ValuationError> {
        let r = &self.realisable;
        let shares = [
            ("illiquidity_discount", self.illiquidity_discount),
            ("tax_rate", self.tax_rate),
            ("capex_to_revenue", self.capex_to_revenue),
            (
                "working_capital_to_revenue",
                self.working_capital_to_revenue,
            ),
        ]
        .into_iter()
        .chain(self.size_discounts.map(|d| ("size_discounts", d)))
        .chain(AssetCategory::ALL.map(|c| ("realisable", r.factor(c))));
        for (name, v) in shares {
            if !(0.0..=1.0).contains(&v) {
                return Err(bad(name, format!("{v} is not between 0 and 1")));
            }
        }
        for (name, v) in [
            ("risk_free_rate", self.risk_free_rate),
            ("equity_risk_premium", self.equity_risk_premium),
            ("beta", self.beta),
            ("size_premium", self.size_premium),
            ("terminal_growth", self.terminal_growth),
            ("default_growth", self.default_growth),
            ("discount_rate_sensitivity", self.discount_rate_sensitivity),
        ] {
            if !v.is_finite() || v.abs() > 10.0 {
                return Err(bad(name, format!("{v} is not a plausible rate")));
            }
        }
        if self.min_initial_growth.is_nan() || self.min_initial_growth > self.max_initial_growth {
            return Err(bad(
                "min_initial_growth",
                "must not exceed max_initial_growth",
            ));
        }
        if !(1..=50).contains(&self.projection_years) {
            return Err(bad("projection_years", "must be between 1 and 50"));
        }
        Ok(())
    }
}

fn bad(name: &'static str, reason: impl Into<String>) -> ValuationError {
    ValuationError::BadAssumption {
        name,
        reason: reason.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_pass_their_own_check() {
        assert_eq!(ValuationAssumptions::default().check(), Ok(()));
    }

    #[test]
    fn meaningless_assumptions_are_named() {
        let cases: Vec<(ValuationAssumptions, &str)> = vec![
            (
                ValuationAssumptions {
                    illiquidity_discount: 1.2,
                    ..Default::default()
                },
                "illiquidity_discount",
            ),
            (
                ValuationAssumptions {
                    projection_years: 0,
                    ..Default::default()
                },
                "projection_years",
            ),
            (
                ValuationAssumptions {
                    beta: f64::NAN,
                    ..Default::default()
                },
                "beta",
            ),
        ];
        for (a, name) in cases {
            assert!(
                matches!(a.check(), Err(ValuationError::BadAssumption { name: n, .. }) if n == name)
            );
        }
    }

    #[test]
    fn size_discount_follows_the_revenue_band() {
        let a = ValuationAssumptions::default();
        assert_eq!(a.size_discount("5_to_25_crore"), 0.25);
        assert_eq!(a.size_discount("over_500_crore"), 0.0);
    }
}
