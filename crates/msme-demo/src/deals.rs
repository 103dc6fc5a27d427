//! Closed deals: businesses that sold, with the price the documented process gives them.

use msme_core::listing::{city_tier, state, INDUSTRIES};
use msme_core::model::ComparableInput;
use msme_core::rng::SplitMix64;

use crate::business::draw;
use crate::pricing::{equity_price, expected_multiple, DEAL_NOISE_SIGMA};
use crate::world::World;
use crate::{until_drawn, DemoDeal, STREAM_DEALS};

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

impl DemoDeal {
    /// The deal as the core's comparable deal input, which its checks take.
    pub fn comparable_input(&self) -> ComparableInput {
        ComparableInput {
            industry: self.industry.id.into(),
            state: self.state.name.into(),
            city: self.city.into(),
            year_established: self.year_established,
            fiscal_year: self.fiscal_year,
            employees: Some(i64::from(self.employees)),
            revenue_paise: self.revenue_paise,
            ebitda_paise: self.ebitda_paise,
            net_profit_paise: self.net_profit_paise,
            total_assets_paise: self.total_assets_paise,
            total_liabilities_paise: self.total_liabilities_paise,
            debt_paise: self.debt_paise,
            revenue_growth_bps: Some(i64::from(self.revenue_growth_bps)),
            sale_price_paise: self.sale_price_paise,
        }
    }
}

/// The closed deals of seed `seed` as comparable deals, each named `demo:SEED:N` by its place
/// in the stream: what [`Models::add_comparables`](msme_core::model::Models::add_comparables)
/// takes with source `Demo`, so loading the same seed again adds nothing twice.
pub fn comparables(seed: u64, deals: &[DemoDeal]) -> Vec<(String, ComparableInput)> {
    deals
        .iter()
        .enumerate()
        .map(|(i, d)| (format!("demo:{seed}:{i}"), d.comparable_input()))
        .collect()
}

#[cfg(test)]
mod tests {
    use msme_core::model::{ComparableDeal, ComparableSource};

    #[test]
    fn closed_deals_are_comparable_deals_named_by_seed_and_place() {
        let deals = crate::closed_deals(9, 40);
        let named = crate::comparables(9, &deals);
        let now = chrono::DateTime::from_timestamp(1_775_000_000, 0).expect("a valid time");
        for (i, ((r, input), d)) in named.iter().zip(&deals).enumerate() {
            assert_eq!(r, &format!("demo:9:{i}"));
            let c = ComparableDeal::parse(input, ComparableSource::Demo, Some(r.clone()), now)
                .expect("demo deals pass the core's checks");
            assert_eq!((c.industry, c.state), (d.industry, d.state));
            assert_eq!(c.sale_price.get(), d.sale_price_paise);
            assert_eq!(c.revenue_growth_bps, Some(d.revenue_growth_bps));
        }
    }
}
