//! How well a listing fits a buyer, as numbers: one feature per aspect (sector, location,
//! deal type, ticket, valuation, revenue, margin, keywords, KYC), each in −1…1 (keywords and
//! KYC 0…1), 0 where the buyer states no preference.
//!
//! Matching sees a listing only as search does ([`SearchDoc`]): an anonymous listing's
//! title, description and city never decide a match nor appear in its reasons.

use std::collections::HashMap;

use super::BuyerPreferences;
use crate::listing::{DealType, Industry, ListingId, State};
use crate::money::Paise;
use crate::search::{words, SearchDoc};
use crate::types::UserId;

/// The features, in the order of every feature vector and weight vector.
pub const FEATURES: [&str; 9] = [
    "sector",
    "location",
    "deal_type",
    "ticket",
    "valuation",
    "revenue",
    "margin",
    "keywords",
    "verified",
];

/// How many features there are.
pub const N_FEATURES: usize = FEATURES.len();

/// One feature vector.
pub type Features = [f64; N_FEATURES];

/// The lowest and highest value of each feature.
pub const FEATURE_RANGES: [(f64, f64); N_FEATURES] = [
    (-1.0, 1.0),
    (-1.0, 1.0),
    (-1.0, 1.0),
    (-1.0, 1.0),
    (-1.0, 1.0),
    (-1.0, 1.0),
    (-1.0, 1.0),
    (0.0, 1.0),
    (0.0, 1.0),
];

/// Words interned as numbers, so candidates keep their words small and keyword checks are a
/// binary search.
#[derive(Debug, Default)]
pub struct Vocabulary {
    ids: HashMap<String, u32>,
}

impl Vocabulary {
    fn intern(&mut self, w: String) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(w).or_insert(next)
    }

    fn get(&self, w: &str) -> Option<u32> {
        self.ids.get(w).copied()
    }
}

/// A public listing as matching sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub id: ListingId,
    pub seller: UserId,
    pub industry: &'static Industry,
    pub state: &'static State,
    /// Lower-cased; `None` for anonymous listings.
    pub city: Option<String>,
    pub deal_type: DealType,
    pub asking_price: Paise,
    pub revenue: Option<Paise>,
    pub ebitda_margin_bps: Option<i64>,
    pub verified: bool,
    /// Value of the newest kept valuation, if any.
    pub valuation: Option<Paise>,
    /// The words search indexes (teaser words only for anonymous listings), sorted, once each.
    words: Box<[u32]>,
}

impl Candidate {
    /// The candidate for an indexed listing of `seller`.
    pub fn new(
        doc: &SearchDoc,
        seller: UserId,
        valuation: Option<Paise>,
        vocab: &mut Vocabulary,
    ) -> Self {
        let mut text = format!("{} {}", doc.industry.label, doc.state.name);
        if let Some(n) = &doc.named {
            text = format!("{} {} {} {text}", n.title, n.description, n.city);
        }
        let mut ids: Vec<u32> = words(&text).into_iter().map(|w| vocab.intern(w)).collect();
        ids.sort_unstable();
        ids.dedup();
        Self {
            id: doc.id.clone(),
            seller,
            industry: doc.industry,
            state: doc.state,
            city: doc.named.as_ref().map(|n| n.city.trim().to_lowercase()),
            deal_type: doc.deal_type,
            asking_price: doc.asking_price,
            revenue: doc.revenue,
            ebitda_margin_bps: doc.ebitda_margin_bps,
            verified: doc.verified,
            valuation,
            words: ids.into_boxed_slice(),
        }
    }

    fn has_word(&self, w: u32) -> bool {
        self.words.binary_search(&w).is_ok()
    }
}

/// A buyer's preferences made ready to compare with many candidates.
#[derive(Clone, Debug)]
pub struct Wants<'a> {
    pub preferences: &'a BuyerPreferences,
    /// Each keyword's words; `None` when a word is in no candidate (it cannot match).
    keywords: Vec<Option<Vec<u32>>>,
    cities: Vec<String>,
    /// Sectors and states by id and code: cheaper to compare than the records.
    sector_ids: Vec<&'static str>,
    state_codes: Vec<&'static str>,
}

impl<'a> Wants<'a> {
    pub fn new(preferences: &'a BuyerPreferences, vocab: &Vocabulary) -> Self {
        let keywords = preferences
            .keywords
            .iter()
            .map(|k| words(k).iter().map(|w| vocab.get(w)).collect())
            .collect();
        let cities = preferences
            .cities
            .iter()
            .map(|c| c.trim().to_lowercase())
            .collect();
        Self {
            preferences,
            keywords,
            cities,
            sector_ids: preferences.sectors.iter().map(|i| i.id).collect(),
            state_codes: preferences.states.iter().map(|s| s.code).collect(),
        }
    }

    /// Whether the candidate has every word of the keyword at `i`.
    fn keyword_matches(&self, i: usize, c: &Candidate) -> bool {
        self.keywords[i]
            .as_ref()
            .is_some_and(|ids| ids.iter().all(|w| c.has_word(*w)))
    }

    /// The keywords every word of which the candidate has.
    pub(crate) fn matched_keywords(&self, c: &Candidate) -> Vec<&'a str> {
        (0..self.keywords.len())
            .filter(|&i| self.keyword_matches(i, c))
            .map(|i| self.preferences.keywords[i].as_str())
            .collect()
    }

    pub(crate) fn city_matches(&self, c: &Candidate) -> bool {
        c.city
            .as_ref()
            .is_some_and(|city| self.cities.contains(city))
    }
}

/// +1 when `value` is among `wanted`, −1 when not, 0 when nothing is wanted.
fn one_of<T: PartialEq>(wanted: &[T], value: &T) -> f64 {
    match (wanted.is_empty(), wanted.iter().any(|w| w == value)) {
        (true, _) => 0.0,
        (false, true) => 1.0,
        (false, false) => -1.0,
    }
}

/// 1 inside `[min, max]`, falling by 4 per unit of relative distance outside (0 at 25 %
/// out, −1 at 50 %); 0 without bounds.
pub(crate) fn within(value: Paise, min: Option<Paise>, max: Option<Paise>) -> f64 {
    let v = value.get() as f64;
    let off = match (min, max) {
        (None, None) => return 0.0,
        (_, Some(hi)) if value > hi => v / (hi.get().max(1) as f64) - 1.0,
        (Some(lo), _) if value < lo => 1.0 - v / (lo.get().max(1) as f64),
        _ => 0.0,
    };
    (1.0 - 4.0 * off).max(-1.0)
}

fn location(w: &Wants, c: &Candidate) -> f64 {
    let p = w.preferences;
    if w.city_matches(c) {
        1.0
    } else if w.state_codes.contains(&c.state.code) {
        0.7
    } else if !p.states.is_empty() || (!p.cities.is_empty() && c.city.is_some()) {
        -1.0
    } else {
        0.0
    }
}

fn valuation(c: &Candidate) -> f64 {
    match c.valuation {
        Some(v) if v.get() > 0 => {
            let above = c.asking_price.get() as f64 / v.get() as f64 - 1.0;
            (-2.0 * above).clamp(-1.0, 1.0)
        }
        _ => 0.0,
    }
}

fn revenue(p: &BuyerPreferences, c: &Candidate) -> f64 {
    match (
        p.revenue_min.is_some() || p.revenue_max.is_some(),
        c.revenue,
    ) {
        (false, _) => 0.0,
        (true, None) => -0.5,
        (true, Some(r)) => within(r, p.revenue_min, p.revenue_max),
    }
}

fn margin(p: &BuyerPreferences, c: &Candidate) -> f64 {
    match (p.ebitda_margin_min_pct, c.ebitda_margin_bps) {
        (None, _) => 0.0,
        (Some(_), None) => -0.5,
        (Some(min), Some(bps)) => {
            let short = (f64::from(min) * 100.0 - bps as f64) / 100.0;
            if short <= 0.0 {
                1.0
            } else {
                (1.0 - short / 5.0).max(-1.0)
            }
        }
    }
}

/// The feature vector of a candidate for a buyer.
pub fn features(w: &Wants, c: &Candidate) -> Features {
    let p = w.preferences;
    let keywords = if p.keywords.is_empty() {
        0.0
    } else {
        let n = (0..w.keywords.len())
            .filter(|&i| w.keyword_matches(i, c))
            .count();
        n as f64 / p.keywords.len() as f64
    };
    [
        one_of(&w.sector_ids, &c.industry.id),
        location(w, c),
        one_of(&p.deal_types, &c.deal_type),
        within(c.asking_price, p.ticket_min, p.ticket_max),
        valuation(c),
        revenue(p, c),
        margin(p, c),
        keywords,
        if c.verified { 1.0 } else { 0.0 },
    ]
}
