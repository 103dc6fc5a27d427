//! Demo behaviour: what each buyer viewed, saved, asked access to and made offers on, so the
//! ranker has interactions to learn from on a fresh install.
//!
//! Each buyer comes across up to 25 public listings in their sectors and 25 anywhere, values
//! each by a hidden utility (the matching features under [`TRUE_TASTE`], which are not the
//! hand-set weights: demo buyers care most about price against their ticket and margin, less
//! about location, and not at all about KYC) plus noise, and acts on the best: views the top
//! six, saves the top three, asks access to the top two and makes an offer on the best one
//! time in three. Deterministic: stream [`crate::STREAM_INTERACTIONS`], one per buyer.

use chrono::NaiveDate;
use msme_core::listing::{Listing, ListingContent, ListingId, ListingStatus};
use msme_core::matching::features::{features, Candidate, Vocabulary, Wants, N_FEATURES};
use msme_core::matching::InteractionKind;
use msme_core::rng::SplitMix64;
use msme_core::search::SearchDoc;
use msme_core::types::UserId;

use crate::{DemoMarketplace, STREAM_INTERACTIONS};

/// How much demo buyers care about each matching feature (in the order of
/// [`msme_core::matching::FEATURES`]).
pub const TRUE_TASTE: [f64; N_FEATURES] = [2.0, 0.5, 0.3, 4.0, 0.0, 0.5, 2.0, 1.0, 0.0];

/// The spread of the noise in a buyer's judgement.
const NOISE: f64 = 0.8;

/// One thing a demo buyer did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoInteraction {
    /// Index of the buyer in [`DemoMarketplace::accounts`].
    pub buyer: usize,
    /// Index of the listing in [`DemoMarketplace::listings`].
    pub listing: usize,
    pub kind: InteractionKind,
}

/// Whether a demo listing ends up public (the loader publishes those meant for offer or sale).
fn public(status: ListingStatus) -> bool {
    matches!(
        status,
        ListingStatus::Published | ListingStatus::UnderOffer | ListingStatus::Sold
    )
}

/// The public listings as candidates (KYC unverified, no valuation), by listing index.
fn candidates(m: &DemoMarketplace, vocab: &mut Vocabulary) -> Vec<(usize, Candidate)> {
    let today = NaiveDate::from_ymd_opt(2026, 4, 1).expect("a valid date");
    let at = chrono::DateTime::from_timestamp(1_775_000_000, 0).expect("a valid time");
    m.listings
        .iter()
        .enumerate()
        .filter(|(_, l)| public(l.status))
        .map(|(i, l)| {
            let content =
                ListingContent::parse(&l.input, today).expect("demo listings parse (tested)");
            let listing = Listing::published(
                ListingId::from_trusted(format!("demo-{i}")),
                UserId::from_trusted(format!("demo-seller-{}", l.seller)),
                content,
                at,
            );
            let doc = SearchDoc::from_listing(&listing, false);
            (i, Candidate::new(&doc, listing.seller_id, None, vocab))
        })
        .collect()
}

/// Every demo buyer's interactions, buyer by buyer.
pub fn interactions(m: &DemoMarketplace) -> Vec<DemoInteraction> {
    let mut vocab = Vocabulary::default();
    let all = candidates(m, &mut vocab);
    let mut out = Vec::new();
    for (b, account) in m.accounts.iter().enumerate() {
        let Some(p) = &account.preferences else {
            continue;
        };
        let mut rng = SplitMix64::derive(m.seed, STREAM_INTERACTIONS, b as u64);
        let wants = Wants::new(p, &vocab);
        let in_sector: Vec<usize> = (0..all.len())
            .filter(|&k| p.sectors.contains(&all[k].1.industry))
            .collect();
        let mut seen: Vec<usize> = Vec::new();
        for pool in [&in_sector, &(0..all.len()).collect::<Vec<_>>()] {
            for _ in 0..25.min(pool.len()) {
                let k = pool[rng.below(pool.len())];
                if !seen.contains(&k) {
                    seen.push(k);
                }
            }
        }
        let mut valued: Vec<(f64, usize)> = seen
            .into_iter()
            .map(|k| {
                let f = features(&wants, &all[k].1);
                let u: f64 = TRUE_TASTE.iter().zip(f).map(|(w, x)| w * x).sum();
                (u + NOISE * rng.normal(), all[k].0)
            })
            .collect();
        valued.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        out.extend(acts(&mut rng, b, &valued));
    }
    out
}

/// What one buyer does with the listings they value most.
fn acts(rng: &mut SplitMix64, buyer: usize, valued: &[(f64, usize)]) -> Vec<DemoInteraction> {
    let mut out = Vec::new();
    let offer = rng.chance(1.0 / 3.0);
    for (rank, (_, listing)) in valued.iter().take(6).enumerate() {
        let mut kinds = vec![InteractionKind::View];
        if rank < 3 {
            kinds.push(InteractionKind::Save);
        }
        if rank < 2 {
            kinds.push(InteractionKind::AccessRequest);
        }
        if rank == 0 && offer {
            kinds.push(InteractionKind::Offer);
        }
        out.extend(kinds.into_iter().map(|kind| DemoInteraction {
            buyer,
            listing: *listing,
            kind,
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interactions_are_deterministic_and_graded_by_taste() {
        let m = crate::generate(7, 300);
        let a = interactions(&m);
        assert_eq!(a, interactions(&m));
        let buyers = m
            .accounts
            .iter()
            .filter(|a| a.preferences.is_some())
            .count();
        assert!(a.len() >= buyers * 6, "{} for {buyers} buyers", a.len());
        let offers = a
            .iter()
            .filter(|i| i.kind == InteractionKind::Offer)
            .count();
        assert!(offers > buyers / 5 && offers < buyers / 2, "{offers}");
        for i in &a {
            assert!(public(m.listings[i.listing].status));
            assert!(m.accounts[i.buyer].preferences.is_some());
        }
    }

    /// The point of the demo behaviour: a ranker trained on it beats the hand-set weights on
    /// buyers it never saw.
    #[test]
    fn a_ranker_learned_from_demo_behaviour_beats_the_hand_set_weights() {
        use msme_core::matching::{mean_ndcg, train, Example, Training, Weights};
        use std::collections::BTreeMap;
        let m = crate::generate(11, 240);
        let mut vocab = Vocabulary::default();
        let all = candidates(&m, &mut vocab);
        let mut graded: BTreeMap<usize, BTreeMap<usize, u8>> = BTreeMap::new();
        for i in interactions(&m) {
            let g = graded
                .entry(i.buyer)
                .or_default()
                .entry(i.listing)
                .or_default();
            *g = (*g).max(i.kind.grade());
        }
        let (mut fit, mut held) = (Vec::new(), Vec::new());
        for (buyer, listings) in &graded {
            let wants = Wants::new(m.accounts[*buyer].preferences.as_ref().unwrap(), &vocab);
            let mut rng = SplitMix64::new(*buyer as u64);
            let group: Vec<Example> = all
                .iter()
                .filter(|(k, _)| listings.contains_key(k) || rng.chance(0.15))
                .map(|(k, c)| Example {
                    features: features(&wants, c),
                    grade: listings.get(k).copied().unwrap_or(0),
                })
                .collect();
            if buyer % 5 == 0 {
                held.push(group)
            } else {
                fit.push(group)
            }
        }
        let learned = train(&fit, &Training::default());
        let l = mean_ndcg(&held, &learned, 10).unwrap();
        let h = mean_ndcg(&held, &Weights::default(), 10).unwrap();
        assert!(l > h, "learned {l:.3} vs hand-set {h:.3}");
    }
}
