//! The rows and queries every backend gets: the demo generator's listings, all published,
//! and queries drawn from their titles.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use msme_core::listing::{Listing, ListingContent, ListingId};
use msme_core::money::Paise;
use msme_core::search::{words, SearchDoc, SearchFilters, SearchRequest, SearchSort};
use msme_core::types::UserId;
use msme_demo::{generate, SplitMix64};

/// Generated listings, as stored and as indexed.
pub struct Rows {
    pub listings: Vec<Listing>,
    pub docs: Vec<SearchDoc>,
    /// The seller accounts the listings belong to (ids only).
    pub sellers: Vec<UserId>,
}

/// At most this many seller accounts own the listings (each stored account costs a commit).
const MAX_SELLERS: usize = 1000;

/// `n` demo listings (seed 2026), every one published at its own time, owned by up to
/// [`MAX_SELLERS`] sellers; one seller in three has verified KYC.
pub fn rows(n: usize) -> Rows {
    let market = generate(2026, n);
    let today = NaiveDate::from_ymd_opt(2026, 4, 1).expect("date");
    let start = DateTime::<Utc>::from_timestamp(1_767_225_600, 0).expect("time");
    let seller_count = market
        .accounts
        .iter()
        .filter(|a| a.role == msme_core::types::Role::Seller)
        .count()
        .min(MAX_SELLERS);
    let sellers: Vec<UserId> = (0..seller_count).map(|_| UserId::generate()).collect();
    let mut listings = Vec::with_capacity(n);
    let mut docs = Vec::with_capacity(n);
    for (i, l) in market.listings.iter().enumerate() {
        let content = ListingContent::parse(&l.input, today).expect("demo listings parse");
        let at = start + Duration::seconds(i as i64 * 37);
        let seller = sellers[l.seller % seller_count].clone();
        let listing = Listing::published(ListingId::generate(), seller, content, at);
        docs.push(SearchDoc::from_listing(
            &listing,
            (l.seller % seller_count) % 3 == 0,
        ));
        listings.push(listing);
    }
    Rows {
        listings,
        docs,
        sellers,
    }
}

/// The three kinds of query measured.
pub struct Queries {
    /// One word from a listing's title.
    pub plain: Vec<SearchRequest>,
    /// The same word, with the listing's state and an asking-price ceiling.
    pub filtered: Vec<SearchRequest>,
    /// The same word misspelt within its typo budget (a deletion or a swap of neighbours).
    pub misspelt: Vec<SearchRequest>,
}

fn request(query: String, filters: SearchFilters) -> SearchRequest {
    SearchRequest {
        query,
        filters,
        sort: SearchSort::Relevance,
        limit: 20,
        cursor: None,
    }
}

/// One edit inside the word: drop its middle letter (5 to 8 letters) or swap two middle
/// neighbours (9 or more), so every misspelling stays within the typo budget.
fn misspell(w: &str) -> String {
    let mut c: Vec<char> = w.chars().collect();
    let mid = c.len() / 2;
    if c.len() >= 9 {
        c.swap(mid, mid + 1);
    } else {
        c.remove(mid);
    }
    c.into_iter().collect()
}

/// `n` queries of each kind, drawn from the titles of named listings (seeded).
pub fn queries(rows: &Rows, n: usize) -> Queries {
    let mut rng = SplitMix64::new(7);
    let mut q = Queries {
        plain: Vec::new(),
        filtered: Vec::new(),
        misspelt: Vec::new(),
    };
    while q.plain.len() < n {
        let d = &rows.docs[rng.below(rows.docs.len())];
        let Some(named) = &d.named else { continue };
        let Some(word) = words(&named.title)
            .into_iter()
            .filter(|w| w.len() >= 6)
            .max_by_key(|w| w.len())
        else {
            continue;
        };
        let ceiling = Paise::new(d.asking_price.get().saturating_mul(3));
        let filters = SearchFilters {
            state: Some(d.state),
            asking_price_max_paise: Some(ceiling),
            ..SearchFilters::default()
        };
        q.misspelt
            .push(request(misspell(&word), SearchFilters::default()));
        q.filtered.push(request(word.clone(), filters));
        q.plain.push(request(word, SearchFilters::default()));
    }
    q
}
