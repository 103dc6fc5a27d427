//! Contract cases on filters, facets, sort orders and cursor paging.

use std::collections::HashSet;

use msme_core::listing::{industry, state, DealType};
use msme_core::money::Paise;
use msme_core::ports::{SearchError, SearchIndex};
use msme_core::search::{SearchDoc, SearchFilters, SearchSort};

use super::fixtures::{listing, request, Catalog, CATALOG, CRORE, LAKH};

fn paise(p: i64) -> Option<Paise> {
    Some(Paise::new(p))
}

fn with(change: impl FnOnce(&mut SearchFilters)) -> SearchFilters {
    let mut f = SearchFilters::default();
    change(&mut f);
    f
}

/// Each filter alone, and two together, leave exactly the listings that pass.
pub async fn every_filter_narrows_hits(index: &dyn SearchIndex) {
    let c = Catalog::load(index).await;
    let mh = || Some(state("MH").expect("a state"));
    let cases: Vec<(SearchFilters, &[&str])> = vec![
        (with(|f| f.industry = industry("machinery").ok()), &["cnc"]),
        (with(|f| f.state = mh()), &["cnc", "it"]),
        (with(|f| f.city = Some(" PUNE ".into())), &["cnc", "it"]),
        (
            with(|f| f.deal_type = Some(DealType::AssetSale)),
            &["bakery", "cafe"],
        ),
        (
            with(|f| {
                f.asking_price_min_paise = paise(50 * LAKH);
                f.asking_price_max_paise = paise(CRORE);
            }),
            &["bakery", "cafe"],
        ),
        (
            with(|f| f.asking_price_min_paise = paise(12 * CRORE)),
            &["cnc", "textile"],
        ),
        (
            with(|f| f.revenue_min_paise = paise(5 * CRORE)),
            &["cnc", "textile"],
        ),
        (
            with(|f| f.revenue_max_paise = paise(2 * CRORE)),
            &["bakery", "it"],
        ),
        (
            with(|f| f.ebitda_margin_min_pct = Some(15)),
            &["cnc", "textile"],
        ),
        (
            with(|f| f.ebitda_margin_max_pct = Some(10)),
            &["bakery", "it"],
        ),
        (
            with(|f| {
                f.ebitda_margin_min_pct = Some(22);
                f.ebitda_margin_max_pct = Some(30);
            }),
            &["textile"],
        ),
        (
            with(|f| f.year_established_min = Some(2015)),
            &["bakery", "cafe", "it"],
        ),
        (
            with(|f| f.year_established_max = Some(2012)),
            &["cnc", "secret", "textile"],
        ),
        (
            with(|f| {
                f.year_established_min = Some(2010);
                f.year_established_max = Some(2019);
            }),
            &["bakery", "it", "secret"],
        ),
        (
            with(|f| f.verified_only = true),
            &["cnc", "secret", "textile"],
        ),
        (
            with(|f| {
                f.state = mh();
                f.verified_only = true;
            }),
            &["cnc"],
        ),
    ];
    for (filters, expected) in cases {
        let got = c.matching(index, "", filters.clone()).await;
        assert_eq!(got, expected, "filters {filters:?}");
    }
    assert_eq!(
        c.matching(index, "software", with(|f| f.state = mh()))
            .await,
        ["it"]
    );
}

fn counts(pairs: &[(&str, u64)]) -> Vec<(String, u64)> {
    pairs.iter().map(|(v, n)| (v.to_string(), *n)).collect()
}

/// Facets count every hit of the query and filters (not only the page), count descending
/// then value ascending, without zero counts.
pub async fn facets_count_every_hit(index: &dyn SearchIndex) {
    Catalog::load(index).await;
    let mut all = request("", SearchFilters::default(), SearchSort::Newest);
    all.limit = 1;
    let r = index.search(&all).await.expect("search");
    assert_eq!((r.total, r.hits.len()), (6, 1));
    let f = r.facets;
    assert_eq!(
        f.deal_type,
        counts(&[("full_sale", 3), ("asset_sale", 2), ("partial_stake", 1)])
    );
    assert_eq!(
        f.state,
        counts(&[("MH", 2), ("GA", 1), ("GJ", 1), ("KA", 1), ("TS", 1)])
    );
    assert_eq!(f.industry.len(), 6);
    assert_eq!(
        f.price_band,
        counts(&[
            ("50_lakh_to_1_crore", 2),
            ("1_to_5_crore", 1),
            ("25_crore_and_over", 1),
            ("5_to_25_crore", 1),
            ("under_50_lakh", 1)
        ])
    );
    let mh = SearchFilters {
        state: Some(state("MH").unwrap()),
        ..SearchFilters::default()
    };
    let r = index
        .search(&request("", mh, SearchSort::Newest))
        .await
        .expect("search");
    assert_eq!(
        r.facets.industry,
        counts(&[("it_services", 1), ("machinery", 1)])
    );
    assert_eq!(r.facets.deal_type, counts(&[("full_sale", 2)]));
    let mill = request("mill", SearchFilters::default(), SearchSort::Relevance);
    let r = index.search(&mill).await.expect("search");
    assert_eq!(r.facets.state, counts(&[("GJ", 1), ("KA", 1)]));
}

/// Each sort order, ties and missing values included.
pub async fn each_sort_orders_hits(index: &dyn SearchIndex) {
    let c = Catalog::load(index).await;
    let by = |sort| request("", SearchFilters::default(), sort);
    let price_asc = ["it", "cafe", "bakery", "secret", "cnc", "textile"];
    assert_eq!(c.names(index, &by(SearchSort::PriceAsc)).await, price_asc);
    let mut price_desc = price_asc;
    price_desc.reverse();
    assert_eq!(c.names(index, &by(SearchSort::PriceDesc)).await, price_desc);
    let newest = ["cafe", "it", "secret", "textile", "bakery", "cnc"];
    assert_eq!(c.names(index, &by(SearchSort::Newest)).await, newest);
    // Relevance without words is newest first.
    assert_eq!(c.names(index, &by(SearchSort::Relevance)).await, newest);
    // Without financials last, ties by id.
    let revenue = c.names(index, &by(SearchSort::RevenueDesc)).await;
    assert_eq!(revenue[..4], ["textile", "cnc", "bakery", "it"]);
    let mut tail = [("secret", &c.doc("secret").id), ("cafe", &c.doc("cafe").id)];
    tail.sort_by_key(|(_, id)| *id);
    assert_eq!(revenue[4..], [tail[0].0, tail[1].0]);
}

/// A word in the title ranks above the same word only in the description.
pub async fn relevance_ranks_title_matches_first(index: &dyn SearchIndex) {
    let c = Catalog::load(index).await;
    let r = request("mill", SearchFilters::default(), SearchSort::Relevance);
    assert_eq!(c.names(index, &r).await, ["textile", "bakery"]);
    let r = index.search(&r).await.expect("search");
    assert!(r.hits[0].score > r.hits[1].score);
}

/// The sort value of a document, as a number that may not decrease along the pages.
fn rank(d: &SearchDoc, sort: SearchSort) -> i64 {
    match sort {
        SearchSort::Relevance => 0,
        SearchSort::PriceAsc => d.asking_price.get(),
        SearchSort::PriceDesc => -d.asking_price.get(),
        SearchSort::RevenueDesc => -d.revenue.map_or(-1, Paise::get),
        SearchSort::Newest => -d.published_at.map_or(0, |t| t.timestamp_micros()),
    }
}

/// Follows the cursor from the first page to the last, pages of 4, and returns the hits.
async fn page_through<'d>(
    index: &dyn SearchIndex,
    docs: &'d [SearchDoc],
    sort: SearchSort,
) -> Vec<&'d SearchDoc> {
    let query = if sort == SearchSort::Relevance {
        "business"
    } else {
        ""
    };
    let mut r = request(query, SearchFilters::default(), sort);
    r.limit = 4;
    let mut seen = Vec::new();
    loop {
        let page = index.search(&r).await.expect("search");
        assert_eq!(page.total, docs.len() as u64, "{sort:?}");
        assert!(page.hits.len() <= 4);
        for h in &page.hits {
            seen.push(
                docs.iter()
                    .find(|d| d.id == h.listing_id)
                    .expect("an indexed id"),
            );
        }
        match page.next_cursor {
            Some(next) => r.cursor = Some(next),
            None => return seen,
        }
    }
}

/// 23 listings with tied prices, revenues and times: under every sort, pages of 4 give every
/// hit exactly once, in order, with the same total; the last page has no cursor. A cursor is
/// refused under another sort.
pub async fn cursor_pages_through_every_hit_once(index: &dyn SearchIndex) {
    index.clear().await.expect("clear");
    let docs: Vec<SearchDoc> = (0..23)
        .map(|i: i64| {
            let mut l = listing(&CATALOG[(i % 6) as usize]);
            l.content.title = format!("{} business", l.content.title);
            l.content.asking_price = Paise::new((1 + i % 3) * CRORE);
            l.content.anonymous = false;
            l.published_at = l.published_at.map(|t| t + chrono::Duration::hours(i % 4));
            SearchDoc::from_listing(&l, false)
        })
        .collect();
    index.upsert(&docs).await.expect("upsert");
    for sort in SearchSort::ALL {
        let seen = page_through(index, &docs, sort).await;
        let ids: HashSet<_> = seen.iter().map(|d| d.id.clone()).collect();
        assert_eq!(
            (seen.len(), ids.len()),
            (23, 23),
            "{sort:?}: every hit once"
        );
        let ranks: Vec<i64> = seen.iter().map(|d| rank(d, sort)).collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{sort:?}: in order");
    }
    let mut r = request("", SearchFilters::default(), SearchSort::PriceAsc);
    r.limit = 4;
    let cursor = index
        .search(&r)
        .await
        .expect("search")
        .next_cursor
        .expect("more pages");
    r.sort = SearchSort::PriceDesc;
    r.cursor = Some(cursor);
    assert!(matches!(
        index.search(&r).await,
        Err(SearchError::InvalidCursor)
    ));
}
