//! What a demo business is worth: the price process described in the [module docs](super).

use msme_core::listing::{city_tier, revenue_band, CityTier};
use msme_core::money::Paise;

use crate::business::{Business, LAKH};
use crate::money::scale;
use crate::world::World;

/// Share of the listed-company multiple a private MSME fetches (size, illiquidity, key-person
/// risk). With the market's 17.56× this puts a typical MSME near 5× EBITDA.
pub const PRIVATE_DISCOUNT: f64 = 0.30;

/// Lognormal σ of the noise between a closed deal's price and its expected price.
pub const DEAL_NOISE_SIGMA: f64 = 0.25;

/// No business changes hands for less than this (₹1 lakh).
pub const MIN_PRICE_PAISE: i64 = LAKH;

/// The industry's private-company EV/EBITDA multiple before adjustments:
/// `√(industry × market) × PRIVATE_DISCOUNT`. The geometric mean with the market pulls sector
/// outliers (restaurants at 104×) halfway towards it, as a small private firm does not command
/// the listed sector's growth premium.
pub(super) fn base_multiple(world: &World, industry: usize) -> f64 {
    (world.listed_multiples[industry] * world.market_multiple).sqrt() * PRIVATE_DISCOUNT
}

/// Larger businesses fetch higher multiples (revenue band of the latest year).
pub(super) fn size_factor(revenue: i64) -> f64 {
    match revenue_band(Paise::new(revenue)) {
        "under_1_crore" => 0.75,
        "1_to_5_crore" => 0.85,
        "5_to_25_crore" => 0.95,
        "25_to_100_crore" => 1.05,
        "100_to_500_crore" => 1.15,
        _ => 1.20,
    }
}

/// Young businesses are riskier; old ones have proven staying power.
pub(super) fn age_factor(age_years: i32) -> f64 {
    match age_years {
        ..=4 => 0.85,
        5..=9 => 0.95,
        10..=24 => 1.0,
        _ => 1.05,
    }
}

/// Each point of revenue growth above 8 % a year adds 1.5 % to the multiple, within 0.75–1.30.
pub(super) fn growth_factor(cagr: f64) -> f64 {
    (1.0 + 1.5 * (cagr - 0.08)).clamp(0.75, 1.30)
}

/// Debt beyond EBITDA weighs on the multiple: −3 % per turn of debt/EBITDA, at most −18 %.
pub(super) fn leverage_factor(debt: i64, ebitda: i64) -> f64 {
    let turns = if ebitda > 0 {
        debt as f64 / ebitda as f64
    } else {
        6.0
    };
    1.0 - 0.03 * turns.clamp(0.0, 6.0)
}

/// Metro businesses sell for more: deeper buyer pool, easier hiring.
pub(super) fn tier_factor(tier: CityTier) -> f64 {
    match tier {
        CityTier::Tier1 => 1.10,
        CityTier::Tier2 => 1.0,
        CityTier::Tier3 => 0.90,
    }
}

/// The expected EV/EBITDA multiple of `b`: base multiple × every adjustment (no noise).
pub(super) fn expected_multiple(world: &World, b: &Business) -> f64 {
    let latest = b.latest();
    base_multiple(world, b.industry)
        * size_factor(latest.revenue_paise)
        * age_factor(latest.fiscal_year - b.year_established)
        * growth_factor(b.revenue_cagr())
        * leverage_factor(latest.debt_paise, latest.ebitda_paise)
        * tier_factor(city_tier(b.city))
}

/// Equity price for `b` at EV/EBITDA `multiple`: `EBITDA × multiple − debt`, floored at a fifth
/// of the enterprise value and at [`MIN_PRICE_PAISE`]. The one float-to-paise conversion.
pub(super) fn equity_price(b: &Business, multiple: f64) -> Option<i64> {
    let latest = b.latest();
    let enterprise_value = scale(latest.ebitda_paise, multiple)?;
    let equity = enterprise_value.checked_sub(latest.debt_paise)?;
    Some(equity.max(enterprise_value / 5).max(MIN_PRICE_PAISE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjustments_move_the_right_way() {
        assert!(size_factor(50 * LAKH) < size_factor(50_000 * LAKH));
        assert!(age_factor(2) < age_factor(30));
        assert!(growth_factor(-0.1) < growth_factor(0.25));
        assert_eq!(growth_factor(0.08), 1.0);
        assert!(leverage_factor(5, 1) < leverage_factor(0, 1));
        assert_eq!(leverage_factor(100, 0), 1.0 - 0.18);
        assert!(tier_factor(CityTier::Tier3) < tier_factor(CityTier::Tier1));
    }

    #[test]
    fn base_multiples_are_private_company_levels() {
        let world = World::new();
        for i in 0..world.listed_multiples.len() {
            let m = base_multiple(&world, i);
            assert!((2.5..14.0).contains(&m), "{i}: {m}");
        }
    }
}
