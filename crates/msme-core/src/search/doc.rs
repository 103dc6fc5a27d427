//! What the index holds of a listing.

use chrono::{DateTime, Utc};

use crate::listing::{DealType, Industry, Listing, ListingId, State};
use crate::money::Paise;

/// The text of a named listing that only a full view shows: never built for an anonymous one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedText {
    pub title: String,
    pub description: String,
    pub city: String,
}

/// A public listing as the search index holds it.
///
/// Confidentiality lives here, not in each backend: for an anonymous listing `named` is `None`,
/// so its title, description and city are never handed to an index and cannot be found by
/// words or the city filter. What stays searchable is what its teaser shows (industry, state,
/// price) and the figures the filters need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchDoc {
    pub id: ListingId,
    /// The listing's version when indexed; `msme search check` compares it with the store.
    pub version: i64,
    /// `None` for anonymous listings.
    pub named: Option<NamedText>,
    pub industry: &'static Industry,
    pub state: &'static State,
    pub deal_type: DealType,
    pub asking_price: Paise,
    /// Revenue of the latest fiscal year; `None` without financials.
    pub revenue: Option<Paise>,
    /// EBITDA margin of the latest fiscal year in basis points; `None` without revenue.
    pub ebitda_margin_bps: Option<i64>,
    pub year_established: i32,
    /// The seller's KYC is verified.
    pub verified: bool,
    pub published_at: Option<DateTime<Utc>>,
}

impl SearchDoc {
    /// The document for a listing; `verified` is whether its seller's KYC is verified.
    pub fn from_listing(l: &Listing, verified: bool) -> Self {
        let c = &l.content;
        let named = (!c.anonymous).then(|| NamedText {
            title: c.title.clone(),
            description: c.description.clone(),
            city: c.city.clone(),
        });
        Self {
            id: l.id.clone(),
            version: l.version,
            named,
            industry: c.industry,
            state: c.state,
            deal_type: c.deal_type,
            asking_price: c.asking_price,
            revenue: c.latest().map(|y| y.revenue),
            ebitda_margin_bps: c.latest().and_then(|y| y.ebitda_margin_bps()),
            year_established: c.year_established,
            verified,
            published_at: l.published_at,
        }
    }

    /// The asking-price band this listing is counted in.
    pub fn price_band(&self) -> PriceBand {
        PriceBand::of(self.asking_price)
    }
}

const LAKH: i64 = 1_00_000_00;
const CRORE: i64 = 1_00_00_000_00;

/// Asking-price bands for the price facet. Each band includes its lower bound and excludes its
/// upper: under ₹50 lakh, ₹50 lakh to ₹1 crore, ₹1 to 5 crore, ₹5 to 25 crore, ₹25 crore and
/// over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PriceBand {
    Under50Lakh,
    From50LakhTo1Crore,
    From1To5Crore,
    From5To25Crore,
    From25Crore,
}

impl PriceBand {
    pub const ALL: [PriceBand; 5] = [
        PriceBand::Under50Lakh,
        PriceBand::From50LakhTo1Crore,
        PriceBand::From1To5Crore,
        PriceBand::From5To25Crore,
        PriceBand::From25Crore,
    ];

    /// Wire name, used as the facet value.
    pub fn as_str(self) -> &'static str {
        match self {
            PriceBand::Under50Lakh => "under_50_lakh",
            PriceBand::From50LakhTo1Crore => "50_lakh_to_1_crore",
            PriceBand::From1To5Crore => "1_to_5_crore",
            PriceBand::From5To25Crore => "5_to_25_crore",
            PriceBand::From25Crore => "25_crore_and_over",
        }
    }

    /// The band an asking price falls in.
    pub fn of(price: Paise) -> Self {
        match price.get() {
            p if p < 50 * LAKH => PriceBand::Under50Lakh,
            p if p < CRORE => PriceBand::From50LakhTo1Crore,
            p if p < 5 * CRORE => PriceBand::From1To5Crore,
            p if p < 25 * CRORE => PriceBand::From5To25Crore,
            _ => PriceBand::From25Crore,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::listing::{ListingContent, ListingStatus};

    pub(crate) fn listing(anonymous: bool) -> Listing {
        let input = crate::testing::listing_input(anonymous);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
        let now = DateTime::from_timestamp_micros(1_768_000_000_000_000).unwrap();
        Listing {
            id: ListingId::generate(),
            seller_id: crate::types::UserId::generate(),
            content: ListingContent::parse(&input, today).unwrap(),
            status: ListingStatus::Published,
            rejection_reason: None,
            version: 7,
            created_at: now,
            updated_at: now,
            published_at: Some(now),
        }
    }

    #[test]
    fn a_named_listing_is_indexed_with_its_text_and_figures() {
        let d = SearchDoc::from_listing(&listing(false), true);
        assert_eq!(d.named.as_ref().unwrap().city, "Pune");
        assert_eq!((d.version, d.verified), (7, true));
        assert_eq!(d.revenue, Some(Paise::new(8 * CRORE)));
        assert_eq!(d.ebitda_margin_bps, Some(1500));
        assert_eq!(d.price_band(), PriceBand::From5To25Crore);
    }

    #[test]
    fn an_anonymous_listing_gives_the_index_no_title_description_or_city() {
        let d = SearchDoc::from_listing(&listing(true), false);
        assert_eq!(d.named, None);
        assert!(!format!("{d:?}").contains("Pune"));
        assert!(!format!("{d:?}").contains("CNC"));
    }

    #[test]
    fn price_bands_include_their_lower_bound() {
        let band = |p: i64| PriceBand::of(Paise::new(p));
        assert_eq!(band(50 * LAKH - 1), PriceBand::Under50Lakh);
        assert_eq!(band(50 * LAKH), PriceBand::From50LakhTo1Crore);
        assert_eq!(band(CRORE), PriceBand::From1To5Crore);
        assert_eq!(band(5 * CRORE), PriceBand::From5To25Crore);
        assert_eq!(band(25 * CRORE), PriceBand::From25Crore);
    }
}
