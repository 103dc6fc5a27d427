//! Demo listings: a business, the words that sell it, an asking price and a workflow status.

use msme_core::listing::{DealType, ListingInput, ListingStatus, INDUSTRIES};
use msme_core::rng::SplitMix64;

use crate::business::{draw, Business};
use crate::pricing::{equity_price, expected_multiple, MIN_PRICE_PAISE};
use crate::profiles::Phrases;
use crate::world::World;
use crate::{until_drawn, DemoListing, LATEST_FY, STREAM_LISTINGS, STREAM_OWNERS};

/// Full sales dominate; some promoters sell a stake, some only the assets.
const DEAL_TYPES: [(DealType, u32); 3] = [
    (DealType::FullSale, 60),
    (DealType::PartialStake, 25),
    (DealType::AssetSale, 15),
];

/// Most demo listings are live; the rest show every step of the workflow.
const STATUSES: [(ListingStatus, u32); 6] = [
    (ListingStatus::Published, 62),
    (ListingStatus::Draft, 10),
    (ListingStatus::Submitted, 8),
    (ListingStatus::Approved, 7),
    (ListingStatus::UnderOffer, 8),
    (ListingStatus::Sold, 5),
];

/// Stakes (in %) offered in partial sales: minority stakes up to a controlling 51 %.
const STAKES: [i64; 6] = [20, 26, 30, 40, 49, 51];

const SUBJECTS: [&str; 3] = ["The business", "The company", "The firm"];

const REASONS: [&str; 6] = [
    "The founder is retiring and no family member wants to run it.",
    "The promoters are moving abroad and want a clean handover.",
    "The owners want to focus on their other business.",
    "The founder wants a buyer who will keep the team and grow the business.",
    "A family settlement has led the promoters to sell.",
    "The owners want a larger partner to fund the next stage of growth.",
];

/// `n` listings, owned by the first `sellers` accounts, each seller owning one to five.
pub(super) fn listings(seed: u64, n: usize, sellers: usize, world: &World) -> Vec<DemoListing> {
    let owners = owners(&mut SplitMix64::derive(seed, STREAM_OWNERS, 0), n, sellers);
    owners
        .into_iter()
        .enumerate()
        .map(|(i, seller)| {
            let mut rng = SplitMix64::derive(seed, STREAM_LISTINGS, i as u64);
            until_drawn(&mut rng, |rng| listing(rng, world, seller))
        })
        .collect()
}

/// Gives every seller one listing, then hands out the rest at random to sellers with fewer
/// than five, and shuffles so a seller's listings are spread through the list.
fn owners(rng: &mut SplitMix64, listings: usize, sellers: usize) -> Vec<usize> {
    let mut owners: Vec<usize> = (0..sellers.min(listings)).collect();
    let mut counts = vec![1u8; owners.len()];
    while owners.len() < listings && sellers * 5 > owners.len() {
        let s = rng.below(sellers);
        if counts[s] < 5 {
            counts[s] += 1;
            owners.push(s);
        }
    }
    rng.shuffle(&mut owners);
    owners
}

fn listing(rng: &mut SplitMix64, world: &World, seller: usize) -> Option<DemoListing> {
    let b = draw(rng, world, LATEST_FY)?;
    let deal_type = DEAL_TYPES[rng.weighted(&DEAL_TYPES.map(|d| d.1))].0;
    let stake = (deal_type == DealType::PartialStake).then(|| *rng.pick(&STAKES));
    let anonymous = rng.chance(0.4);
    // Sellers ask 5 % to 35 % above what their business would fetch, and guess that value with
    // some error of their own.
    let asking = expected_multiple(world, &b) * rng.lognormal(0.15) * rng.uniform(1.05, 1.35);
    let mut price = equity_price(&b, asking)?;
    if let Some(pct) = stake {
        price = (price.checked_mul(pct)? / 100).max(MIN_PRICE_PAISE);
    }
    let phrases = world.kits[b.industry].phrases;
    let place = if anonymous { b.state } else { b.city };
    let kind = rng.below(phrases.titles.len());
    let title = format!("{} in {place}", phrases.titles[kind]);
    let description = description(rng, (phrases, kind), &b, deal_type, stake);
    let status = STATUSES[rng.weighted(&STATUSES.map(|s| s.1))].0;
    Some(DemoListing {
        seller,
        status,
        input: ListingInput {
            title,
            description,
            industry: INDUSTRIES[b.industry].id.to_string(),
            city: b.city.to_string(),
            state: b.state.to_string(),
            year_established: b.year_established,
            employees: b.employees,
            deal_type: deal_type.as_str().to_string(),
            asking_price_paise: price,
            anonymous,
            financials: b.years.to_vec(),
        },
    })
}

/// Two to four sentences: what the business does, then one to three of its age and size, a
/// strength, and why it is for sale (always the stake or asset terms for those deal types).
fn description(
    rng: &mut SplitMix64,
    (phrases, kind): (&Phrases, usize),
    b: &Business,
    deal_type: DealType,
    stake: Option<i64>,
) -> String {
    let opening = format!("{} {}", rng.pick(&SUBJECTS), phrases.activities[kind]);
    let terms = match (deal_type, stake) {
        (DealType::PartialStake, Some(pct)) => {
            format!("The promoters offer a {pct}% stake to a strategic or financial partner.")
        }
        (DealType::AssetSale, _) => {
            "The sale covers the business's assets and brand, not the company itself.".into()
        }
        _ => rng.pick(&REASONS).to_string(),
    };
    let extras = [
        format!(
            "Established in {}, it employs {} people.",
            b.year_established, b.employees
        ),
        phrases.strengths[kind].to_string(),
        terms,
    ];
    let mut order = [0, 1, 2];
    rng.shuffle(&mut order);
    let keep = 1 + rng.below(3);
    let mut chosen = order[..keep].to_vec();
    if deal_type != DealType::FullSale && !chosen.contains(&2) {
        chosen[0] = 2;
    }
    chosen.sort_unstable();
    let mut text = opening;
    for i in chosen {
        text.push(' ');
        text.push_str(&extras[i]);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sellers_own_one_to_five_listings_each() {
        let mut rng = SplitMix64::new(11);
        let owners = owners(&mut rng, 300, 100);
        assert_eq!(owners.len(), 300);
        let mut counts = vec![0; 100];
        for o in owners {
            counts[o] += 1;
        }
        assert!(counts.iter().all(|c| (1..=5).contains(c)), "{counts:?}");
    }
}
