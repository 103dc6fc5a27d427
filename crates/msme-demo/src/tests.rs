//! Properties of whole generated marketplaces.

use std::collections::HashSet;

use msme_core::listing::{city_tier, ListingContent, INDUSTRIES, STATES};
use msme_core::types::Password;

use super::*;

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

#[test]
fn the_same_seed_gives_the_same_marketplace_and_other_seeds_differ() {
    let a = generate(42, 200);
    assert_eq!(a, generate(42, 200));
    let b = generate(43, 200);
    assert_ne!(a.listings, b.listings);
    assert_ne!(a.accounts, b.accounts);
    assert_ne!(a.closed_deals, b.closed_deals);
}

#[test]
fn output_is_pinned_across_platforms_and_versions() {
    // Changes only if the generator changes on purpose: update the numbers then, and say so.
    let m = generate(2026, 60);
    let asking: i64 = m.listings.iter().map(|l| l.input.asking_price_paise).sum();
    let sold: i64 = m.closed_deals.iter().map(|d| d.sale_price_paise).sum();
    let first = &m.accounts[0];
    assert_eq!(
        (asking, sold, first.name.as_str(), first.mobile.as_str()),
        (
            2_628_207_095_206,
            560_108_835_133,
            "Neha Gupta",
            "+916000230989"
        )
    );
    assert_eq!(
        m.listings[0].input.title,
        "Skill training centre in New Delhi"
    );
}

#[test]
fn counts_follow_the_number_of_listings() {
    let m = generate(1, 500);
    let count = |r: Role| m.accounts.iter().filter(|a| a.role == r).count();
    assert_eq!(
        [Role::Seller, Role::Buyer, Role::Agent, Role::Nbfc].map(count),
        [167, 250, 25, 10]
    );
    assert_eq!((m.listings.len(), m.closed_deals.len()), (500, 300));
    let empty = generate(1, 0);
    assert!(empty.accounts.is_empty() && empty.listings.is_empty());
}

#[test]
fn every_listing_parses_and_reads_like_an_advert() {
    let m = generate(7, 500);
    for l in &m.listings {
        let c = ListingContent::parse(&l.input, today())
            .unwrap_or_else(|e| panic!("{e}: {:#?}", l.input));
        assert_eq!(c.financials.len(), 3);
        let sentences = c.description.matches(". ").count() + 1;
        assert!((2..=4).contains(&sentences), "{}", c.description);
        assert!(c.title.contains(" in "), "{}", c.title);
        assert!((1975..=2022).contains(&c.year_established));
        assert_eq!(m.accounts[l.seller].role, Role::Seller);
    }
}

#[test]
fn accounts_have_unique_valid_mobiles_emails_and_names() {
    let m = generate(3, 2_000);
    let mut mobiles = HashSet::new();
    let mut emails = HashSet::new();
    for a in &m.accounts {
        assert_eq!(Mobile::parse(a.mobile.as_str()).unwrap(), a.mobile);
        assert_eq!(Email::parse(a.email.as_str()).unwrap(), a.email);
        assert_eq!(PersonName::parse(a.name.as_str()).unwrap(), a.name);
        assert!(mobiles.insert(a.mobile.clone()), "{}", a.mobile);
        assert!(emails.insert(a.email.clone()), "{}", a.email);
        assert_eq!(a.preferences.is_some(), a.role == Role::Buyer);
        if let Some(p) = &a.preferences {
            assert!((1..=3).contains(&p.sectors.len()) && p.states.len() <= 3);
            let (min, max) = (p.ticket_min.unwrap().get(), p.ticket_max.unwrap().get());
            assert!(0 < min && min < max);
            let again = msme_core::matching::BuyerPreferences::parse(&p.to_input()).unwrap();
            assert_eq!(&again, p, "demo preferences pass the checks");
        }
        assert_eq!(a.new_account().role, a.role);
    }
    assert!(Password::parse(DEMO_PASSWORD).is_ok());
    let surnames: HashSet<_> = m
        .accounts
        .iter()
        .filter_map(|a| a.name.as_str().split(' ').nth(1))
        .collect();
    assert!(surnames.len() > 50, "{}", surnames.len());
}

#[test]
fn listings_cover_every_industry_many_states_and_all_tiers_in_real_cities() {
    let m = generate(11, 500);
    let industries: HashSet<&str> = m
        .listings
        .iter()
        .map(|l| l.input.industry.as_str())
        .collect();
    assert_eq!(industries.len(), INDUSTRIES.len());
    let states: HashSet<&str> = m.listings.iter().map(|l| l.input.state.as_str()).collect();
    assert!(states.len() >= 20, "{}", states.len());
    let mut tiers = [0; 3];
    for l in &m.listings {
        assert!(
            is_city_of(&l.input.city, &l.input.state),
            "{} {}",
            l.input.city,
            l.input.state
        );
        tiers[city_tier(&l.input.city) as usize] += 1;
    }
    assert!(tiers.iter().all(|&t| t > 75), "{tiers:?}");
    for d in &m.closed_deals {
        assert!(
            is_city_of(d.city, d.state.name),
            "{} {}",
            d.city,
            d.state.name
        );
        assert!(STATES.contains(d.state));
    }
}

#[test]
fn mixes_of_status_deal_type_and_anonymity_look_like_a_live_marketplace() {
    let m = generate(5, 1_000);
    let share = |f: &dyn Fn(&DemoListing) -> bool| m.listings.iter().filter(|l| f(l)).count();
    let published = share(&|l| l.status == ListingStatus::Published);
    assert!((550..=700).contains(&published), "{published}");
    for s in ["draft", "submitted", "approved", "under_offer", "sold"] {
        let n = share(&|l| l.status.as_str() == s);
        assert!((20..=150).contains(&n), "{s}: {n}");
    }
    let anonymous = share(&|l| l.input.anonymous);
    assert!((330..=470).contains(&anonymous), "{anonymous}");
    let stakes = share(&|l| l.input.deal_type == "partial_stake");
    assert!((180..=320).contains(&stakes), "{stakes}");
}

#[test]
fn financial_years_are_consistent() {
    let m = generate(13, 500);
    for l in &m.listings {
        let ys = &l.input.financials;
        assert_eq!(
            ys.iter().map(|y| y.fiscal_year).collect::<Vec<_>>(),
            [2024, 2025, 2026]
        );
        for w in ys.windows(2) {
            let g = w[1].revenue_paise as f64 / w[0].revenue_paise as f64 - 1.0;
            assert!((-0.1001..=0.3001).contains(&g), "{g}");
        }
        for y in ys {
            assert!(0 < y.ebitda_paise && y.ebitda_paise < y.revenue_paise);
            assert!(y.net_profit_paise < y.ebitda_paise);
            assert!(y.debt_paise <= y.total_liabilities_paise);
            assert!(y.total_liabilities_paise < y.total_assets_paise);
        }
    }
}

#[test]
fn deal_prices_are_positive_and_follow_the_industry_multiple() {
    let m = generate(17, 5_000);
    let ev_multiple =
        |d: &DemoDeal| (d.sale_price_paise + d.debt_paise) as f64 / d.ebitda_paise as f64;
    for d in &m.closed_deals {
        assert!(d.sale_price_paise >= MIN_PRICE_PAISE && d.ebitda_paise > 0);
        assert_eq!(d.age_years, d.fiscal_year - d.year_established);
        assert_eq!(d.city_tier, city_tier(d.city));
    }
    let all = median(
        m.closed_deals
            .iter()
            .map(|d| d.sale_price_paise as f64 / d.ebitda_paise as f64)
            .collect(),
    );
    assert!((2.0..8.0).contains(&all), "median price/EBITDA {all}");
    let of = |id: &str| {
        median(
            m.closed_deals
                .iter()
                .filter(|d| d.industry.id == id)
                .map(ev_multiple)
                .collect(),
        )
    };
    // Listed restaurants trade at 104×, listed packaging at 9.9×: the order survives.
    assert!(of("restaurants") > 1.8 * of("plastics_packaging"));
    assert!(of("education") > of("steel_metals"));
}

#[test]
fn a_large_marketplace_is_generated() {
    let m = generate(99, 100_000);
    assert_eq!((m.listings.len(), m.closed_deals.len()), (100_000, 60_000));
    let mobiles: HashSet<&str> = m.accounts.iter().map(|a| a.mobile.as_str()).collect();
    assert_eq!(mobiles.len(), m.accounts.len());
}
