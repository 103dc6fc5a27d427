//! Demo accounts: sellers, buyers (with what they look for), agents and NBFC lenders.

use msme_core::listing::{state, DealType, INDUSTRIES};
use msme_core::matching::BuyerPreferences;
use msme_core::money::Paise;
use msme_core::rng::SplitMix64;
use msme_core::types::{Email, Mobile, PersonName, Role};

use crate::business::LAKH;
use crate::money::{scale, MAX_PAISE};
use crate::names::{email_part, person};
use crate::places::PLACES;
use crate::world::World;
use crate::{DemoAccount, DEMO_PASSWORD};

/// How many accounts of each role `listings` listings call for:
/// (sellers, buyers, agents, NBFCs).
pub(super) fn role_counts(listings: usize) -> [(Role, usize); 4] {
    [
        (Role::Seller, listings.div_ceil(3)),
        (Role::Buyer, listings.div_ceil(2)),
        (Role::Agent, listings.div_ceil(20)),
        (Role::Nbfc, listings.div_ceil(50).min(10)),
    ]
}

/// Mobile numbers are `+91 60` and eight digits: valid (a 6 opens the number) but in a block
/// that looks reserved. Account `i` gets `(i × MOBILE_STEP + offset) mod 10⁸`, a permutation
/// (the step is coprime to 10), so numbers are unique for up to 10⁸ accounts and not in order.
const MOBILE_SPACE: u64 = 100_000_000;
const MOBILE_STEP: u64 = 48_271;

/// Reserved domains (RFC 2606): no demo email can ever reach a real person.
const EMAIL_DOMAINS: [&str; 3] = ["example.com", "example.net", "example.org"];

/// Every account, sellers first, then buyers, agents and NBFCs.
pub(super) fn accounts(seed: u64, listings: usize, world: &World) -> Vec<DemoAccount> {
    let offset = SplitMix64::derive(seed, crate::STREAM_MOBILES, 0).next_u64() % MOBILE_SPACE;
    let roles = role_counts(listings)
        .into_iter()
        .flat_map(|(role, n)| std::iter::repeat_n(role, n));
    roles
        .enumerate()
        .map(|(i, role)| {
            let mut rng = SplitMix64::derive(seed, crate::STREAM_ACCOUNTS, i as u64);
            account(&mut rng, i, role, offset, world)
        })
        .collect()
}

fn account(
    rng: &mut SplitMix64,
    index: usize,
    role: Role,
    mobile_offset: u64,
    world: &World,
) -> DemoAccount {
    let (given, surname) = person(rng);
    let national = (index as u64 * MOBILE_STEP + mobile_offset) % MOBILE_SPACE;
    let email = format!(
        "{}.{}{}@{}",
        email_part(given),
        email_part(surname),
        index + 1,
        rng.pick(&EMAIL_DOMAINS)
    );
    DemoAccount {
        name: PersonName::from_trusted(format!("{given} {surname}")),
        mobile: Mobile::from_trusted(format!("+9160{national:08}")),
        email: Email::from_trusted(email),
        role,
        password: DEMO_PASSWORD,
        preferences: (role == Role::Buyer).then(|| preferences(rng, world)),
    }
}

/// What a buyer looks for: one to three sectors, one to three states (three buyers in ten look
/// anywhere: no states), and a ticket whose minimum is log-uniform between ₹25 lakh and ₹20 crore
/// and whose maximum is 2 to 6 times that. Then, drawn after those (so they stay as they were):
/// four buyers in ten name one or two deal types, three in ten a minimum EBITDA margin of 8 to
/// 15 %, and four in ten a keyword from their first sector's listing titles.
fn preferences(rng: &mut SplitMix64, world: &World) -> BuyerPreferences {
    let n = 1 + rng.below(3);
    let sector_ids = distinct(rng, &world.industry_weights, n);
    let n = if rng.chance(0.3) { 0 } else { 1 + rng.below(3) };
    let states = distinct(rng, &world.state_weights, n)
        .into_iter()
        .map(|i| state(PLACES[i].state).expect("demo places are real states (tested)"))
        .collect();
    // e^(u·ln 80) spans ₹25 lakh to ₹20 crore; both values stay far inside MAX_PAISE.
    let min_factor = rng.log_uniform(4.382_026_634_673_881);
    let max_factor = min_factor * rng.uniform(2.0, 6.0);
    let ticket = |f| Paise::new(scale(25 * LAKH, f).unwrap_or(MAX_PAISE));
    let mut p = BuyerPreferences {
        sectors: sector_ids.iter().map(|&i| &INDUSTRIES[i]).collect(),
        states,
        ticket_min: Some(ticket(min_factor)),
        ticket_max: Some(ticket(max_factor)),
        ..BuyerPreferences::default()
    };
    if rng.chance(0.4) {
        let mut deals = vec![*rng.pick(&DealType::ALL)];
        if rng.chance(0.3) {
            deals.push(*rng.pick(&DealType::ALL));
        }
        deals.dedup();
        p.deal_types = deals;
    }
    if rng.chance(0.3) {
        p.ebitda_margin_min_pct = Some(rng.between(8, 15));
    }
    if rng.chance(0.4) {
        let title = rng.pick(&world.kits[sector_ids[0]].phrases.titles);
        let longest = title.split(' ').max_by_key(|w| w.len()).unwrap_or(title);
        p.keywords = vec![longest.to_lowercase()];
    }
    p
}

/// `n` distinct indices drawn by weight (fewer if there are fewer non-zero weights).
fn distinct(rng: &mut SplitMix64, weights: &[u32], n: usize) -> Vec<usize> {
    let mut w = weights.to_vec();
    let mut out = Vec::with_capacity(n);
    while out.len() < n && w.iter().any(|&x| x > 0) {
        let i = rng.weighted(&w);
        w[i] = 0;
        out.push(i);
    }
    out
}
