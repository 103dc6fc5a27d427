//! # msme-demo
//!
//! A deterministic demo marketplace: accounts, listings and closed deals that look like the
//! real thing, for demos, load tests and for training valuation models. It is made of
//! `msme-core`'s types and does no I/O: the caller (`msme demo`, tests, benchmarks) loads what it
//! needs through the platform, the closed deals as comparable deals ([`comparables`]).
//!
//! [`generate`]`(seed, listings)` is pure: no I/O, no clock, no global state. The same seed gives
//! the same marketplace on every platform and with every dependency version, because the
//! randomness is [`SplitMix64`] (the core's [`msme_core::rng`], not `rand`'s `StdRng`, whose
//! stream may change between versions) and every float is computed with the exactly rounded
//! IEEE-754 operations only (+ − × ÷ √; `e^x` is implemented there too rather than taken from
//! the platform's libm). Each account, listing and deal draws from its own derived stream.
//!
//! # What is generated
//!
//! - **Accounts**: ⌈n/3⌉ sellers (each owning one to five listings), ⌈n/2⌉ buyers with
//!   [`msme_core::matching::BuyerPreferences`], ⌈n/20⌉ agents and min(⌈n/50⌉, 10) NBFCs, in that order. Names pair a
//!   given name and surname from the same region. Mobiles are `+91 60xxxxxxxx` (valid, unique,
//!   in a block that looks reserved); emails use the reserved `example.com/net/org` domains;
//!   every account's password is [`DEMO_PASSWORD`].
//! - **Listings**: realistic mixes of industry, state and city (tier 1, 2 and 3), founding year
//!   (1975 to 2022), head count from revenue, deal type (60 % full sale, 25 % stake, 15 % assets),
//!   anonymity (40 %), status (mostly `published`), and figures for FY 2023-24 to FY 2025-26
//!   ([`LATEST_FY`] and the two years before). Every listing passes
//!   [`msme_core::listing::ListingContent::parse`] on any date from 1 April 2026 on.
//! - **Closed deals**: about 0.6 × n businesses with the same features, priced on the figures of
//!   a fiscal year from 2019 to 2026 by the process below.
//!
//! # Financials
//!
//! Revenue is log-uniform within an MSME size class (55 % micro, ₹40 lakh to ₹10 crore; 35 %
//! small, to ₹100 crore; 10 % medium, to ₹400 crore). Growth is a firm trend (8 % ± 7 %) plus a
//! yearly wobble, clamped to −10 %…+30 % a year. The EBITDA margin is the industry's typical
//! margin × lognormal(σ 0.3), ± 1.5 points a year. Assets follow revenue at the industry's
//! intensity; liabilities are 25–75 % of assets; debt is 20–80 % of liabilities. Net profit is
//! EBITDA − 6 % depreciation on assets − 10.5 % interest on debt − 25.17 % tax on a positive
//! result, so it is always below EBITDA.
//!
//! # Price process
//!
//! With `L` the industry's listed EV/EBITDA (`pos_ev_ebitda` of its Damodaran industry in
//! `data/damodaran-india-ev-multiples-2026-01.csv`) and `M` = 17.56, that file's "Total Market
//! (without financials)":
//!
//! ```text
//! multiple = √(L × M) × 0.30                      private-company level (PRIVATE_DISCOUNT)
//!          × size     0.75 (< ₹1 cr revenue) … 1.20 (> ₹500 cr), by revenue band
//!          × age      0.85 (< 5 years), 0.95 (5–9), 1.00 (10–24), 1.05 (25+)
//!          × growth   1 + 1.5 × (revenue CAGR − 8 %), within 0.75…1.30
//!          × leverage 1 − 0.03 × debt/EBITDA, debt/EBITDA capped at 6
//!          × tier     1.10 (tier-1 city), 1.00 (tier 2), 0.90 (tier 3)
//!          × noise    e^(0.25·z), z ≈ N(0, 1)            (closed deals)
//!                     e^(0.15·z) × U(1.05, 1.35)         (listings: the seller's asking premium)
//! EV     = latest EBITDA × multiple          (the one float-to-paise conversion, rounded)
//! price  = max(EV − debt, EV / 5, ₹1 lakh)   (debt stands for net debt: no cash line)
//! ```
//!
//! The geometric mean with the market halves, in logs, each sector's distance from it: listed
//! restaurants trade at 104×, but a small private restaurant does not carry that growth premium.
//! A stake listing asks the stake's share of the price. All money is `i64` paise with checked
//! arithmetic; floats are only the multiplicative factors.
#![forbid(unsafe_code)]

mod accounts;
mod business;
mod deals;
mod interactions;
mod listings;
mod money;
mod names;
mod phrases_goods;
mod phrases_industry;
mod phrases_services;
mod places;
mod pricing;
mod profiles;
#[cfg(test)]
mod tests;
mod world;

pub use deals::comparables;
pub use interactions::{interactions, DemoInteraction, TRUE_TASTE};
pub use msme_core::rng::SplitMix64;
pub use places::is_city_of;
pub use pricing::{DEAL_NOISE_SIGMA, MIN_PRICE_PAISE, PRIVATE_DISCOUNT};

use msme_core::auth::NewAccount;
use msme_core::listing::{CityTier, Industry, ListingInput, ListingStatus, State};
use msme_core::types::{Email, Mobile, Password, PersonName, Role};

/// The password of every demo account. Demo data only: never on a real deployment.
pub const DEMO_PASSWORD: &str = "msme-demo-2026";

/// The latest complete fiscal year in listings' figures: FY 2025-26.
pub const LATEST_FY: i32 = 2026;

/// Most listings [`generate`] accepts, keeping every account's mobile number unique.
pub const MAX_LISTINGS: usize = 50_000_000;

const STREAM_ACCOUNTS: u64 = 1;
const STREAM_MOBILES: u64 = 2;
const STREAM_OWNERS: u64 = 3;
const STREAM_LISTINGS: u64 = 4;
const STREAM_DEALS: u64 = 5;
const STREAM_INTERACTIONS: u64 = 6;

/// A generated marketplace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoMarketplace {
    pub seed: u64,
    /// Sellers first, then buyers, agents and NBFCs.
    pub accounts: Vec<DemoAccount>,
    pub listings: Vec<DemoListing>,
    /// Past sales, for training and testing valuation models.
    pub closed_deals: Vec<DemoDeal>,
}

/// A demo account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoAccount {
    pub name: PersonName,
    pub mobile: Mobile,
    pub email: Email,
    pub role: Role,
    /// Always [`DEMO_PASSWORD`].
    pub password: &'static str,
    /// Only buyers have preferences.
    pub preferences: Option<msme_core::matching::BuyerPreferences>,
}

impl DemoAccount {
    /// The registration this account stands for.
    pub fn new_account(&self) -> NewAccount {
        NewAccount {
            name: self.name.clone(),
            mobile: self.mobile.clone(),
            email: Some(self.email.clone()),
            password: Password::parse(self.password).expect("DEMO_PASSWORD is valid (tested)"),
            role: self.role,
        }
    }
}

/// A demo listing and the workflow status it should be brought to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoListing {
    /// Index of the seller in [`DemoMarketplace::accounts`].
    pub seller: usize,
    pub input: ListingInput,
    pub status: ListingStatus,
}

/// A closed transaction: the features of the business sold (figures of the fiscal year the
/// price was set on) and the price paid for its equity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoDeal {
    pub industry: &'static Industry,
    pub state: &'static State,
    pub city: &'static str,
    pub city_tier: CityTier,
    pub year_established: i32,
    /// The fiscal year of the figures below (named by its ending year).
    pub fiscal_year: i32,
    /// `fiscal_year − year_established`.
    pub age_years: i32,
    pub employees: i32,
    pub revenue_paise: i64,
    pub ebitda_paise: i64,
    pub net_profit_paise: i64,
    pub total_assets_paise: i64,
    pub total_liabilities_paise: i64,
    pub debt_paise: i64,
    /// Compound yearly revenue growth over the two years before, in basis points.
    pub revenue_growth_bps: i32,
    pub sale_price_paise: i64,
}

/// Generates a marketplace with `listings` listings (and accounts and deals in proportion).
///
/// # Panics
///
/// If `listings` is over [`MAX_LISTINGS`].
pub fn generate(seed: u64, listings: usize) -> DemoMarketplace {
    assert!(
        listings <= MAX_LISTINGS,
        "at most {MAX_LISTINGS} demo listings"
    );
    let world = world::World::new();
    let sellers = accounts::role_counts(listings)[0].1;
    DemoMarketplace {
        seed,
        accounts: accounts::accounts(seed, listings, &world),
        listings: listings::listings(seed, listings, sellers, &world),
        closed_deals: deals::closed_deals(seed, listings * 3 / 5, &world),
    }
}

/// Only the closed deals of [`generate`]`(seed, …)`: the first `n` of the same stream, for
/// training sets larger than a demo marketplace needs (benchmarks).
pub fn closed_deals(seed: u64, n: usize) -> Vec<DemoDeal> {
    deals::closed_deals(seed, n, &world::World::new())
}

/// Runs `draw` until it gives a value. It gives `None` only when money would leave its bounds,
/// which the generator's ranges rule out, so a hundred misses in a row is a bug.
fn until_drawn<T>(rng: &mut SplitMix64, mut draw: impl FnMut(&mut SplitMix64) -> Option<T>) -> T {
    for _ in 0..100 {
        if let Some(v) = draw(rng) {
            return v;
        }
    }
    panic!("demo generator: money left its bounds 100 times in a row")
}
