//! A relevance set: queries as people type them (plurals, misspellings, beginnings of words,
//! the old names of cities) over the demo marketplace, each judged against what its intended
//! form asks for, scored by NDCG@10.
//!
//! A listing's grade for an intended query: 3 when every intended word is in its title, 2 when
//! each is at least in the title, industry or city, 1 when each is somewhere in its indexed
//! text, 0 otherwise ("in" by the word itself, its stem, or another name of the place, as an
//! exact search would count it). The index answers the typed form; its first ten hits are
//! scored against the ideal order of all graded listings.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use msme_core::listing::{Listing, ListingContent, ListingId};
use msme_core::ports::SearchIndex;
use msme_core::search::{indexed_words, query_words, SearchDoc, SearchFilters, SearchSort};
use msme_core::types::UserId;

use super::fixtures::request;

/// How many listings the demo marketplace of the set has.
pub const LISTINGS: usize = 3_000;

/// (what is typed, what is meant).
pub const CASES: &[(&str, &str)] = &[
    // Plurals and other forms of a word.
    ("textiles", "textile"),
    ("bakeries", "bakery"),
    ("restaurants", "restaurant"),
    ("hotels", "hotel"),
    ("hospitals", "hospital"),
    ("schools", "school"),
    ("tanneries", "tannery"),
    ("garment", "garments"),
    ("component", "components"),
    ("manufacturers", "manufacturer"),
    ("distributors", "distributor"),
    ("moulded", "moulding"),
    ("forged", "forging"),
    ("recycled plastic", "plastic recycling"),
    ("dental clinics", "dental clinic"),
    // Misspellings.
    ("textle", "textile"),
    ("txtile", "textile"),
    ("textil", "textile"),
    ("bakry", "bakery"),
    ("resturant", "restaurant"),
    ("hospitl", "hospital"),
    ("pharmaceutcals", "pharmaceuticals"),
    ("furnitre", "furniture"),
    ("leathr", "leather"),
    ("machning", "machining"),
    ("hydralic", "hydraulic"),
    ("alumnium", "aluminium"),
    ("ceramik", "ceramic"),
    ("logistcs", "logistics"),
    ("warehosing", "warehousing"),
    ("diagnostc", "diagnostic"),
    ("transfomer", "transformer"),
    ("recyclng", "recycling"),
    ("footwaer", "footwear"),
    // The beginning of the last word, as it is typed.
    ("hydrau", "hydraulic"),
    ("switchg", "switchgear"),
    ("orthop", "orthopaedic"),
    ("briqu", "briquette"),
    ("ayurv", "ayurvedic"),
    ("namk", "namkeen"),
    ("microfin", "microfinance"),
    ("entert", "entertainment"),
    ("laund", "laundry"),
    ("effl", "effluent"),
    ("extrus", "extrusion"),
    // Cities by their other names.
    ("bangalore", "bengaluru"),
    ("gurgaon", "gurugram"),
    ("bombay", "mumbai"),
    ("madras", "chennai"),
    ("calcutta", "kolkata"),
    ("mysore", "mysuru"),
    ("mangalore", "mangaluru"),
    ("belgaum", "belagavi"),
    ("hubli", "hubballi"),
    ("baroda", "vadodara"),
    ("poona", "pune"),
    // A bit of everything.
    ("cnc machning", "cnc machining"),
    ("bakry cafe", "bakery cafe"),
    ("powerlom weaving", "powerloom weaving"),
    ("roftop solar", "rooftop solar"),
    ("gujrat textiles", "gujarat textile"),
];

/// What the set measured on one index.
#[derive(Clone, Debug)]
pub struct RelevanceReport {
    /// (typed query, NDCG@10), in the order of [`CASES`].
    pub cases: Vec<(&'static str, f64)>,
}

impl RelevanceReport {
    pub fn mean(&self) -> f64 {
        self.cases.iter().map(|(_, n)| n).sum::<f64>() / self.cases.len() as f64
    }

    pub fn worst(&self) -> (&'static str, f64) {
        self.cases
            .iter()
            .copied()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .expect("cases")
    }
}

/// The demo marketplace's listings (every one published), as the indexer makes them.
pub fn demo_docs() -> Vec<SearchDoc> {
    let demo = msme_demo::generate(7, LISTINGS);
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date");
    let at = DateTime::<Utc>::from_timestamp(1_767_225_600, 0).expect("a time");
    demo.listings
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let content = ListingContent::parse(&l.input, today).expect("demo listings parse");
            let at = at + chrono::Duration::minutes(i as i64);
            let listing =
                Listing::published(ListingId::generate(), UserId::generate(), content, at);
            SearchDoc::from_listing(&listing, i % 3 == 0)
        })
        .collect()
}

/// The terms of a text, as a set.
fn terms(text: &str) -> HashSet<String> {
    indexed_words(text)
        .into_iter()
        .flat_map(|w| std::iter::once(w.word).chain(w.stem))
        .collect()
}

/// A listing's grade for the intended query (see the module's text).
pub fn grade(d: &SearchDoc, intended: &str) -> u32 {
    let named = d.named.as_ref();
    let title = terms(named.map_or("", |n| n.title.as_str()));
    let middle: HashSet<String> = terms(d.industry.label)
        .into_iter()
        .chain(terms(named.map_or("", |n| n.city.as_str())))
        .collect();
    let rest: HashSet<String> = terms(d.state.name)
        .into_iter()
        .chain(terms(named.map_or("", |n| n.description.as_str())))
        .collect();
    query_words(intended)
        .iter()
        .map(|w| {
            let exact = w.exact();
            let has = |set: &HashSet<String>| exact.iter().any(|t| set.contains(*t));
            if has(&title) {
                3
            } else if has(&middle) {
                2
            } else if has(&rest) {
                1
            } else {
                0
            }
        })
        .min()
        .unwrap_or(0)
}

/// NDCG@10 of `ranked` grades against the ideal order of `all` grades.
pub fn ndcg_at_10(ranked: &[u32], all: &[u32]) -> f64 {
    let dcg = |grades: &[u32]| -> f64 {
        grades
            .iter()
            .take(10)
            .enumerate()
            .map(|(i, g)| (2f64.powi(*g as i32) - 1.0) / ((i + 2) as f64).log2())
            .sum()
    };
    let mut ideal = all.to_vec();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let best = dcg(&ideal);
    if best == 0.0 {
        return 1.0;
    }
    dcg(ranked) / best
}

/// Loads the demo marketplace into `index` (cleared first) and scores every case on it.
pub async fn measure(index: &dyn SearchIndex) -> RelevanceReport {
    let docs = demo_docs();
    index.clear().await.expect("clear");
    for chunk in docs.chunks(500) {
        index.upsert(chunk).await.expect("upsert");
    }
    let empty: Vec<&str> = CASES
        .iter()
        .map(|(_, intended)| *intended)
        .filter(|intended| docs.iter().all(|d| grade(d, intended) == 0))
        .collect();
    assert!(
        empty.is_empty(),
        "nothing in the demo marketplace for {empty:?}"
    );
    let mut cases = Vec::with_capacity(CASES.len());
    for (typed, intended) in CASES {
        let all: Vec<u32> = docs.iter().map(|d| grade(d, intended)).collect();
        let mut r = request(typed, SearchFilters::default(), SearchSort::Relevance);
        r.limit = 10;
        let results = index.search(&r).await.expect("search");
        let ranked: Vec<u32> = results
            .hits
            .iter()
            .map(|h| {
                let d = docs.iter().find(|d| d.id == h.listing_id);
                d.map_or(0, |d| grade(d, intended))
            })
            .collect();
        cases.push((*typed, ndcg_at_10(&ranked, &all)));
    }
    RelevanceReport { cases }
}

/// The set as a contract case: every index finds what people mean (mean NDCG@10 of at least
/// 0.9, none below 0.5). Prints the figures.
pub async fn people_find_what_they_mean(index: &dyn SearchIndex) {
    let report = measure(index).await;
    for (typed, ndcg) in &report.cases {
        println!("{:>10} NDCG@10 {ndcg:.3}  {typed}", index.name());
    }
    let (worst, low) = report.worst();
    println!(
        "{:>10} NDCG@10 mean {:.3} over {} queries, worst {low:.3} ({worst})",
        index.name(),
        report.mean(),
        report.cases.len()
    );
    assert!(report.mean() >= 0.9, "mean NDCG@10 {:.3}", report.mean());
    assert!(low >= 0.5, "{worst:?}: NDCG@10 {low:.3}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndcg_is_one_for_the_ideal_order_and_less_for_another() {
        let all = [3, 0, 2, 1, 0];
        assert!((ndcg_at_10(&[3, 2, 1], &all) - 1.0).abs() < 1e-9);
        assert!(ndcg_at_10(&[1, 2, 3], &all) < 1.0);
        assert_eq!(ndcg_at_10(&[], &all), 0.0);
        assert_eq!(
            ndcg_at_10(&[], &[0, 0]),
            1.0,
            "nothing to find: nothing missed"
        );
    }

    #[test]
    fn the_set_has_at_least_fifty_queries() {
        assert!(CASES.len() >= 50);
    }
}
