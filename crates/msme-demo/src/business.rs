//! One demo business: where it is, its age and size, and three fiscal years of financials that
//! agree with each other. Shared by listings and closed deals.

use msme_core::listing::FinancialsInput;
use msme_core::rng::SplitMix64;

use crate::money::scale;
use crate::places::PLACES;
use crate::profiles::Profile;
use crate::world::World;

/// Earliest and latest founding years of demo businesses.
pub(super) const FOUNDED: (i32, i32) = (1975, 2022);

/// Yearly depreciation as a share of total assets.
const DEPRECIATION_RATE: f64 = 0.06;
/// Interest as a share of debt (a typical MSME working-capital and term-loan rate).
const INTEREST_RATE: f64 = 0.105;
/// Corporate tax on positive profit before tax (section 115BAA, with surcharge and cess).
const TAX_RATE: f64 = 0.2517;

/// Revenue size classes after the 2025 MSME limits (micro to ₹10 crore, small to ₹100 crore,
/// medium to ₹500 crore): (share in %, lowest revenue in paise, ln(highest / lowest)).
const SIZE_CLASSES: [(u32, i64, f64); 3] = [
    (55, 40 * LAKH, 3.218_875_824_868_200_6), // ₹40 lakh to ₹10 crore: ln 25
    (35, 1_000 * LAKH, std::f64::consts::LN_10), // ₹10 crore to ₹100 crore
    (10, 10_000 * LAKH, 1.386_294_361_119_890_6), // ₹100 crore to ₹400 crore: ln 4
];

/// ₹1 lakh in paise.
pub(super) const LAKH: i64 = 100_000 * 100;

/// A business with three years of figures.
#[derive(Debug)]
pub(super) struct Business {
    /// Index into [`msme_core::listing::INDUSTRIES`].
    pub industry: usize,
    pub state: &'static str,
    pub city: &'static str,
    pub year_established: i32,
    pub employees: i32,
    /// Oldest year first; the last is the latest complete fiscal year.
    pub years: [FinancialsInput; 3],
}

impl Business {
    /// The latest year's figures.
    pub fn latest(&self) -> &FinancialsInput {
        &self.years[2]
    }

    /// Compound yearly revenue growth over the two years shown.
    pub fn revenue_cagr(&self) -> f64 {
        let (first, last) = (self.years[0].revenue_paise, self.latest().revenue_paise);
        if first <= 0 {
            return 0.0;
        }
        (last as f64 / first as f64).sqrt() - 1.0
    }
}

/// Draws a business whose latest complete fiscal year is `latest_fy`. `None` only if money
/// would leave its bounds, which the caller answers by drawing again.
pub(super) fn draw(rng: &mut SplitMix64, world: &World, latest_fy: i32) -> Option<Business> {
    let industry = rng.weighted(&world.industry_weights);
    let place = rng.weighted(&world.state_weights);
    let city = PLACES[place].cities[rng.weighted(&world.city_weights[place])].0;
    let profile = world.kits[industry].profile;
    let (_, lowest, ln_span) = SIZE_CLASSES[rng.weighted(&SIZE_CLASSES.map(|c| c.0))];
    let revenue = scale(lowest, rng.log_uniform(ln_span))?;
    Some(Business {
        industry,
        state: PLACES[place].state,
        city,
        year_established: founded(rng, latest_fy - 2),
        employees: employees(rng, revenue, profile),
        years: financials(rng, profile, revenue, latest_fy)?,
    })
}

/// Founding year, younger businesses more common, never after the first year of figures.
fn founded(rng: &mut SplitMix64, first_fy: i32) -> i32 {
    let newest = FOUNDED.1.min(first_fy);
    let span = f64::from(newest - FOUNDED.0 + 1);
    let u = rng.unit();
    newest - (span * u * u) as i32
}

/// Head count from revenue and the industry's revenue per employee.
fn employees(rng: &mut SplitMix64, revenue: i64, profile: &Profile) -> i32 {
    let lakh = revenue as f64 / LAKH as f64;
    let n = lakh / profile.revenue_per_employee_lakh * rng.lognormal(0.35);
    (n.round() as i32).clamp(2, 5_000)
}

/// The firm's lasting traits; each year varies a little around them.
struct Traits {
    margin: f64,
    assets_per_revenue: f64,
    liabilities_share: f64,
    debt_share: f64,
}

fn financials(
    rng: &mut SplitMix64,
    profile: &Profile,
    latest_revenue: i64,
    latest_fy: i32,
) -> Option<[FinancialsInput; 3]> {
    let trend = 0.08 + 0.07 * rng.normal();
    let traits = Traits {
        margin: profile.margin * rng.lognormal(0.3),
        assets_per_revenue: profile.assets_per_revenue * rng.lognormal(0.25),
        liabilities_share: rng.uniform(0.25, 0.75),
        debt_share: rng.uniform(0.2, 0.8),
    };
    let mut revenue = latest_revenue;
    let mut newest_first = Vec::with_capacity(3);
    for back in 0..3 {
        newest_first.push(year(rng, &traits, latest_fy - back, revenue)?);
        let growth = (trend + 0.06 * rng.normal()).clamp(-0.10, 0.30);
        revenue = scale(revenue, 1.0 / (1.0 + growth))?;
    }
    let [a, b, c]: [FinancialsInput; 3] = newest_first.try_into().ok()?;
    Some([c, b, a])
}

fn year(
    rng: &mut SplitMix64,
    t: &Traits,
    fiscal_year: i32,
    revenue: i64,
) -> Option<FinancialsInput> {
    let margin = (t.margin + 0.015 * rng.normal()).clamp(0.01, 0.60);
    let ebitda = scale(revenue, margin)?;
    let total_assets = scale(revenue, t.assets_per_revenue * rng.lognormal(0.05))?;
    let total_liabilities = scale(total_assets, t.liabilities_share)?;
    let debt = scale(total_liabilities, t.debt_share)?;
    let depreciation = scale(total_assets, DEPRECIATION_RATE)?.max(1);
    let interest = scale(debt, INTEREST_RATE)?;
    let before_tax = ebitda.checked_sub(depreciation)?.checked_sub(interest)?;
    let tax = if before_tax > 0 {
        scale(before_tax, TAX_RATE)?
    } else {
        0
    };
    Some(FinancialsInput {
        fiscal_year,
        revenue_paise: revenue,
        ebitda_paise: ebitda,
        net_profit_paise: before_tax.checked_sub(tax)?,
        total_assets_paise: total_assets,
        total_liabilities_paise: total_liabilities,
        debt_paise: debt,
    })
}
