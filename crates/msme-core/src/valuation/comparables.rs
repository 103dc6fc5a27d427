//! Comparables: the published or sold listings nearest to the business valued, with their
//! asking-price multiples.
//!
//! Nearness is a distance, smaller is nearer: 1 for another industry, 0.5 for another (or an
//! unknown) state, plus the size gap in orders of magnitude of revenue, `|log10(r / r₀)|` (1 when
//! either revenue is not positive). Ties go to the lower listing id, so the choice is stable.
//!
//! A comparable shows what a listing's teaser shows (industry, state, revenue band, asking
//! price), never its title or city, plus asking price ÷ revenue and ÷ EBITDA of its latest year.

use serde::{Deserialize, Serialize};

use super::{f, ValuationInput};
use crate::listing::{revenue_band, Listing, ListingStatus};
use crate::types::ListingId;

/// How many comparables a valuation shows.
pub const COMPARABLES: usize = 5;

/// Listing statuses whose prices are a market signal.
pub const COMPARABLE_STATUSES: [ListingStatus; 3] = [
    ListingStatus::Published,
    ListingStatus::UnderOffer,
    ListingStatus::Sold,
];

/// A listing near the business valued.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparable {
    pub listing_id: String,
    /// Made from industry and state, as in a teaser.
    pub headline: String,
    pub industry: String,
    /// Two-letter GST state code.
    pub state: String,
    pub status: String,
    pub revenue_band: Option<String>,
    pub asking_price_paise: i64,
    /// Asking price ÷ latest revenue, when revenue is positive.
    pub asking_to_revenue: Option<f64>,
    /// Asking price ÷ latest EBITDA, when EBITDA is positive.
    pub asking_to_ebitda: Option<f64>,
    /// See the module docs; smaller is nearer.
    pub distance: f64,
}

/// The `n` candidates nearest to `subject`, skipping `exclude` (the listing valued), duplicates
/// and listings whose status is not in [`COMPARABLE_STATUSES`].
pub fn nearest_comparables(
    subject: &ValuationInput,
    exclude: Option<&ListingId>,
    candidates: &[Listing],
    n: usize,
) -> Vec<Comparable> {
    let mut seen = std::collections::HashSet::new();
    let mut scored: Vec<(f64, &Listing)> = candidates
        .iter()
        .filter(|l| Some(&l.id) != exclude && COMPARABLE_STATUSES.contains(&l.status))
        .filter(|l| seen.insert(l.id.clone()))
        .map(|l| (distance(subject, l), l))
        .collect();
    scored.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    scored
        .into_iter()
        .take(n)
        .map(|(d, l)| comparable(l, d))
        .collect()
}

fn distance(subject: &ValuationInput, l: &Listing) -> f64 {
    let c = &l.content;
    let industry = if c.industry.id == subject.industry.id {
        0.0
    } else {
        1.0
    };
    let state = match subject.state {
        Some(s) if s.code == c.state.code => 0.0,
        _ => 0.5,
    };
    let ours = subject.latest().map_or(0.0, |y| f(y.revenue));
    let theirs = c.latest().map_or(0.0, |y| f(y.revenue));
    let size = if ours > 0.0 && theirs > 0.0 {
        (theirs / ours).log10().abs()
    } else {
        1.0
    };
    industry + state + size
}

fn comparable(l: &Listing, distance: f64) -> Comparable {
    let c = &l.content;
    let asking = f(c.asking_price);
    let ratio = |d: f64| (d > 0.0).then(|| round2(asking / d));
    let latest = c.latest();
    Comparable {
        listing_id: l.id.to_string(),
        headline: format!("{} business in {}", c.industry.label, c.state.name),
        industry: c.industry.id.into(),
        state: c.state.code.into(),
        status: l.status.as_str().into(),
        revenue_band: latest.map(|y| revenue_band(y.revenue).to_string()),
        asking_price_paise: c.asking_price.get(),
        asking_to_revenue: latest.and_then(|y| ratio(f(y.revenue))),
        asking_to_ebitda: latest.and_then(|y| ratio(f(y.ebitda))),
        distance: round2(distance),
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listing::{industry, state, DealType, ListingContent};
    use crate::money::Paise;
    use crate::types::UserId;
    use crate::valuation::test_support::{input, year, CRORE};

    fn listing(ind: &str, st: &str, revenue: i64, status: ListingStatus) -> Listing {
        let now = chrono::Utc::now();
        Listing {
            id: ListingId::generate(),
            seller_id: UserId::generate(),
            content: ListingContent {
                title: "Secret Name Pvt Ltd".into(),
                description: "A business of some kind for the tests here.".into(),
                industry: industry(ind).unwrap(),
                city: "Secretpur".into(),
                state: state(st).unwrap(),
                year_established: 2010,
                employees: 10,
                deal_type: DealType::FullSale,
                asking_price: Paise::new(2 * revenue),
                anonymous: true,
                financials: vec![year(2026, revenue, revenue / 10)],
            },
            status,
            rejection_reason: None,
            version: 1,
            created_at: now,
            updated_at: now,
            published_at: None,
        }
    }

    #[test]
    fn nearest_come_first_with_their_multiples() {
        let subject = input(vec![year(2026, 10 * CRORE, CRORE)]);
        let same = listing("machinery", "Maharashtra", 10 * CRORE, ListingStatus::Sold);
        let bigger = listing(
            "machinery",
            "Maharashtra",
            300 * CRORE,
            ListingStatus::Published,
        );
        let elsewhere = listing(
            "machinery",
            "Gujarat",
            10 * CRORE,
            ListingStatus::UnderOffer,
        );
        let other = listing(
            "software",
            "Maharashtra",
            10 * CRORE,
            ListingStatus::Published,
        );
        let draft = listing("machinery", "Maharashtra", 10 * CRORE, ListingStatus::Draft);
        let all = [
            other.clone(),
            draft,
            bigger.clone(),
            elsewhere.clone(),
            same.clone(),
        ];
        let got = nearest_comparables(&subject, None, &all, 5);
        let ids: Vec<&str> = got.iter().map(|c| c.listing_id.as_str()).collect();
        let want = [&same, &elsewhere, &other, &bigger].map(|l| l.id.as_str());
        assert_eq!(ids, want, "drafts left out, nearest first");
        assert_eq!(got[0].asking_to_revenue, Some(2.0));
        assert_eq!(got[0].asking_to_ebitda, Some(20.0));
        assert_eq!((got[0].distance, got[1].distance), (0.0, 0.5));
        assert!(!got[0].headline.contains("Secret"), "no title or city");
        let without = nearest_comparables(&subject, Some(&same.id), &all, 2);
        assert_eq!(without.len(), 2);
        assert!(without.iter().all(|c| c.listing_id != same.id.as_str()));
    }
}
