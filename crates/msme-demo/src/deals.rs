//! Closed deals: businesses that sold, with the price the documented process gives them.

use super::business::draw;
use super::pricing::{equity_price, expected_multiple, DEAL_NOISE_SIGMA};
use super::rng::SplitMix64;
use super::world::World;
use super::{until_drawn, DemoDeal, STREAM_DEALS};
use crate::listing::{city_tier, state, INDUSTRIES};

/// Fiscal years whose figures closed deals were priced on.
const DEAL_YEARS: (i32, i32) = (2019, 2026);

/// `n` closed deals.
pub(super) fn closed_deals(seed: u64, n: usize, world: &World) -> Vec<DemoDeal> {
    (0..n)
        .map(|i| {
            let mut rng = SplitMix64::derive(seed, STREAM_DEALS, i as u64);
            until_drawn(&mut rng, |rng| deal(rng, world))
        })
        .collect()
}

fn deal(rng: &mut SplitMix64, world: &World) -> Option<DemoDeal> {
    let fiscal_year = rng.between(DEAL_YEARS.0, DEAL_YEARS.1);
    let b = draw(rng, world, fiscal_year)?;
    let multiple = expected_multiple(world, &b) * rng.lognormal(DEAL_NOISE_SIGMA);
    let price = equity_price(&b, multiple)?;
    let latest = b.latest();
    Some(DemoDeal {
        industry: &INDUSTRIES[b.industry],
        state: state(b.state).ok()?,
        city: b.city,
        city_tier: city_tier(b.city),
        year_established: b.year_established,
        fiscal_year: latest.fiscal_year,
        age_years: latest.fiscal_year - b.year_established,
        employees: b.employees,
        revenue_paise: latest.revenue_paise,
        ebitda_paise: latest.ebitda_paise,
        net_profit_paise: latest.net_profit_paise,
        total_assets_paise: latest.total_assets_paise,
        total_liabilities_paise: latest.total_liabilities_paise,
        debt_paise: latest.debt_paise,
        revenue_growth_bps: (b.revenue_cagr() * 10_000.0).round() as i32,
        sale_price_paise: price,
    })
}
