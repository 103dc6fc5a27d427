//! The search contract: what every [`SearchIndex`] must do, written once and run on each
//! implementation (tantivy in `msme-search-tantivy`, PostgreSQL full-text search in
//! `msme-postgres`).
//!
//! Each case clears the index, loads its own listings and panics on a broken promise, so the
//! cases must not run concurrently on one index. A backend's test file runs every case as its
//! own test, each on a fresh index, with [`crate::search_contract_tests!`], or all of them in
//! order on one index with [`run_contract`].
//!
//! Exact-match result sets are the contract; relevance is only checked where any sensible
//! ranking agrees (a word in the title ranks above the same word only in the description).

mod fixtures;
mod order;
pub mod relevance;

use msme_core::ports::SearchIndex;
use msme_core::search::{SearchFilters, SearchSort};

pub use order::{
    cursor_pages_through_every_hit_once, each_sort_orders_hits, every_filter_narrows_hits,
    facets_count_every_hit, relevance_ranks_title_matches_first,
};

use fixtures::{request, Catalog};

/// Every case, in order, on one index.
pub async fn run_contract(index: &dyn SearchIndex) {
    exact_words_hit(index).await;
    typos_within_the_budget_hit(index).await;
    stems_places_and_prefixes_hit(index).await;
    anonymous_listings_hide_their_words_and_city(index).await;
    every_filter_narrows_hits(index).await;
    facets_count_every_hit(index).await;
    each_sort_orders_hits(index).await;
    relevance_ranks_title_matches_first(index).await;
    cursor_pages_through_every_hit_once(index).await;
    upsert_replaces_by_id(index).await;
    remove_takes_listings_out(index).await;
    clear_empties_the_index(index).await;
}

/// Defines one `#[tokio::test]` per contract case. `$open` is an async fn returning
/// `Option<(guard, index)>`: the guard (a temporary directory, a database) lives as long as the
/// test, the index derefs to `dyn SearchIndex`, and `None` skips the case (the opener says why).
#[macro_export]
macro_rules! search_contract_tests {
    ($open:path) => {
        $crate::search_contract_tests!(@cases $open;
            exact_words_hit, typos_within_the_budget_hit, stems_places_and_prefixes_hit,
            anonymous_listings_hide_their_words_and_city, every_filter_narrows_hits,
            facets_count_every_hit, each_sort_orders_hits, relevance_ranks_title_matches_first,
            cursor_pages_through_every_hit_once, upsert_replaces_by_id, remove_takes_listings_out,
            clear_empties_the_index);
        #[tokio::test]
        async fn people_find_what_they_mean() {
            let Some((_guard, index)) = $open().await else { return };
            $crate::search::relevance::people_find_what_they_mean(&*index).await;
        }
    };
    (@cases $open:path; $($case:ident),*) => {$(
        #[tokio::test]
        async fn $case() {
            let Some((_guard, index)) = $open().await else { return };
            $crate::search::$case(&*index).await;
        }
    )*};
}

async fn hits(index: &dyn SearchIndex, catalog: &Catalog, query: &str) -> Vec<&'static str> {
    catalog
        .matching(index, query, SearchFilters::default())
        .await
}

/// Words of title, description, industry, state and city find listings, whatever their case
/// and accents; every word of the query must match.
pub async fn exact_words_hit(index: &dyn SearchIndex) {
    let c = Catalog::load(index).await;
    let cases: [(&str, &[&str]); 9] = [
        ("machining", &["cnc"]),
        ("BAKERY", &["bakery"]),
        ("pune", &["cnc", "it"]),
        ("maharashtra", &["cnc", "it"]),
        ("machinery", &["cnc"]),
        ("software banks", &["it"]),
        ("software bakery", &[]),
        ("cafe", &["cafe"]),
        ("Café", &["cafe"]),
    ];
    for (query, expected) in cases {
        assert_eq!(hits(index, &c, query).await, expected, "query {query:?}");
    }
    let blank = request("", SearchFilters::default(), SearchSort::Relevance);
    let blank = index.search(&blank).await.expect("search");
    assert_eq!(blank.total, 6, "blank query matches all");
}

/// Misspellings within the typo budget still find the word; shorter words must be exact.
pub async fn typos_within_the_budget_hit(index: &dyn SearchIndex) {
    let c = Catalog::load(index).await;
    let cases: [(&str, &[&str]); 7] = [
        ("machinng", &["cnc"]),     // 8 letters, one deletion
        ("bakry", &["bakery"]),     // 5 letters, one deletion
        ("spinnign", &["textile"]), // 8 letters, one transposition
        ("kustomerz", &["cnc"]),    // 9 letters, two substitutions
        ("kustomrz", &[]),          // 8 letters, two edits: over the budget
        ("pume", &[]),              // 4 letters: exact only
        ("mils", &[]),              // 4 letters: exact only
    ];
    for (query, expected) in cases {
        assert_eq!(hits(index, &c, query).await, expected, "query {query:?}");
    }
}

/// A plural or another form of a word, a misspelling of its stem, another name of a place,
/// and the beginning of the last word each find what the word finds.
pub async fn stems_places_and_prefixes_hit(index: &dyn SearchIndex) {
    let c = Catalog::load(index).await;
    let cases: [(&str, &[&str]); 15] = [
        ("textile", &["textile"]),
        ("textiles", &["textile"]),        // the industry label's plural
        ("textil", &["textile"]),          // the stem itself
        ("textle", &["textile"]),          // stem `textl`, one edit from `textil`
        ("txtile", &["textile"]),          // stem `txtil`, one edit from `textil`
        ("bakeries", &["bakery"]),         // stem `bakeri`, as `bakery`'s
        ("mills", &["bakery", "textile"]), // stem `mill`
        ("weaves", &["textile"]),          // `weaving` and `weaves` stem to `weav`
        ("Bangalore", &["bakery"]),        // the city is Bengaluru
        ("bengaluru", &["bakery"]),
        ("poona pune", &["cnc", "it"]),
        ("sof", &["it"]), // search as you type: the last word's beginning
        ("pune sof", &["it"]),
        ("sof pune", &[]), // only the last word is a prefix
        ("c", &[]),        // one letter is not a prefix yet
    ];
    for (query, expected) in cases {
        assert_eq!(hits(index, &c, query).await, expected, "query {query:?}");
    }
}

/// An anonymous listing is found by its teaser text (industry, state) but never by its title,
/// description or city, neither by words nor by the city filter.
pub async fn anonymous_listings_hide_their_words_and_city(index: &dyn SearchIndex) {
    let c = Catalog::load(index).await;
    for query in [
        "confidential",
        "formulation",
        "hyderabad",
        "licences",
        "plant",
    ] {
        assert_eq!(
            hits(index, &c, query).await,
            Vec::<&str>::new(),
            "query {query:?}"
        );
    }
    assert_eq!(hits(index, &c, "export").await, ["cnc"]);
    assert_eq!(hits(index, &c, "pharmaceuticals").await, ["secret"]);
    assert_eq!(hits(index, &c, "telangana").await, ["secret"]);
    let by_city = SearchFilters {
        city: Some("Hyderabad".into()),
        ..SearchFilters::default()
    };
    assert_eq!(c.matching(index, "", by_city).await, Vec::<&str>::new());
    // A named listing that turns anonymous loses its words on the next upsert.
    let mut cnc = c.doc("cnc").clone();
    cnc.named = None;
    cnc.version += 1;
    index.upsert(&[cnc]).await.expect("upsert");
    assert_eq!(hits(index, &c, "machining").await, Vec::<&str>::new());
    assert_eq!(hits(index, &c, "machinery").await, ["cnc"]);
}

/// An upsert replaces the listing with the same id: new words, new version, no duplicate.
pub async fn upsert_replaces_by_id(index: &dyn SearchIndex) {
    let c = Catalog::load(index).await;
    let mut cnc = c.doc("cnc").clone();
    let named = cnc.named.as_mut().expect("cnc is named");
    named.title = "Precision CNC turning unit".into();
    cnc.version = 2;
    index.upsert(&[cnc.clone()]).await.expect("upsert");
    index.upsert(&[cnc.clone()]).await.expect("upsert again");
    assert_eq!(hits(index, &c, "machining").await, Vec::<&str>::new());
    assert_eq!(hits(index, &c, "turning").await, ["cnc"]);
    let versions = index.indexed_versions().await.expect("versions");
    assert_eq!(versions.len(), 6);
    assert!(versions.contains(&(cnc.id.clone(), 2)));
}

/// Removed listings are found no more; removing an absent id succeeds.
pub async fn remove_takes_listings_out(index: &dyn SearchIndex) {
    let c = Catalog::load(index).await;
    let gone = [c.doc("cnc").id.clone(), c.doc("it").id.clone()];
    index.remove(&gone).await.expect("remove");
    index.remove(&gone).await.expect("remove again");
    assert_eq!(hits(index, &c, "pune").await, Vec::<&str>::new());
    let versions = index.indexed_versions().await.expect("versions");
    assert_eq!(versions.len(), 4);
    assert!(versions.iter().all(|(id, _)| !gone.contains(id)));
}

/// Clear leaves nothing to find, and what comes next is indexed under the current analysis.
pub async fn clear_empties_the_index(index: &dyn SearchIndex) {
    Catalog::load(index).await;
    index.clear().await.expect("clear");
    let analysis = index.analysis().await.expect("analysis");
    assert_eq!(analysis, msme_core::search::ANALYSIS);
    let all = request("", SearchFilters::default(), SearchSort::Newest);
    let all = index.search(&all).await.expect("search");
    assert_eq!((all.total, all.hits.len()), (0, 0));
    assert_eq!(index.indexed_versions().await.expect("versions"), vec![]);
}
