//! Cases for [`ListingStore::query_listings`](msme_core::ports::ListingStore::query_listings):
//! every filter, every sort, and keyset paging.
//!
//! Orders, with the id breaking ties so that keyset cursors are exact:
//! - `newest`: `created_at` descending, then id descending;
//! - `price_asc`: asking price ascending, then id ascending;
//! - `price_desc`: asking price descending, then id descending.
//!
//! Ids compare as their canonical lower-case UUID text, byte by byte. Price bounds are
//! inclusive; the city matches without regard to (ASCII) case.

use std::cmp::Reverse;
use std::sync::Arc;

use msme_core::listing::{
    industry, state, DealType, Listing, ListingCursor, ListingQuery, ListingSort, ListingStatus,
};
use msme_core::money::Paise;
use msme_core::ports::Store;
use msme_core::types::UserId;

use crate::fixtures::market::{listing, stored_listing};
use crate::fixtures::stored_user;

/// One listing per line: seller, industry, state, city, deal type, price, status, created.
/// Prices and creation times repeat, so ties on the sort key are covered.
const MARKET: &str = "
    a|machinery|Maharashtra|Pune|full_sale|100|published|10
    a|machinery|Maharashtra|Mumbai|partial_stake|200|draft|20
    b|textiles_apparel|Tamil Nadu|Tiruppur|full_sale|300|published|20
    b|machinery|Gujarat|Rajkot|asset_sale|200|under_offer|30
    a|food_processing|Maharashtra|PUNE|full_sale|500|published|40
    b|machinery|Karnataka|Bengaluru|full_sale|200|sold|30
    a|textiles_apparel|Tamil Nadu|Coimbatore|partial_stake|50|published|50
    b|software|Karnataka|Bengaluru|full_sale|200|published|10";

/// Builds one listing of [`MARKET`].
fn shaped(line: &str, a: &UserId, b: &UserId) -> Listing {
    let f: Vec<&str> = line.trim().split('|').collect();
    let number = |i: usize| f[i].parse::<i64>().expect("number");
    let mut l = listing(if f[0] == "b" { b } else { a }, number(7));
    let c = &mut l.content;
    c.industry = industry(f[1]).expect("industry");
    c.state = state(f[2]).expect("state");
    c.city = f[3].into();
    c.deal_type = DealType::parse(f[4]).expect("deal type");
    c.asking_price = Paise::new(number(5));
    l.status = ListingStatus::parse(f[6]).expect("status");
    l
}

/// Stores the listings of [`MARKET`] for two sellers; returns them and the sellers.
async fn market(store: &Arc<dyn Store>) -> (Vec<Listing>, UserId, UserId) {
    let (a, b) = (
        stored_user(store, 1).await.id,
        stored_user(store, 2).await.id,
    );
    let mut all = Vec::new();
    for line in MARKET.lines().filter(|l| !l.trim().is_empty()) {
        all.push(stored_listing(store, shaped(line, &a, &b)).await);
    }
    (all, a, b)
}

/// `listings` that pass `keep`, in `sort` order.
fn expected(
    listings: &[Listing],
    sort: ListingSort,
    keep: impl Fn(&Listing) -> bool,
) -> Vec<Listing> {
    let mut out: Vec<Listing> = listings.iter().filter(|l| keep(l)).cloned().collect();
    match sort {
        ListingSort::Newest => out.sort_by_key(|l| Reverse((l.created_at, l.id.clone()))),
        ListingSort::PriceAsc => out.sort_by_key(|l| (l.content.asking_price, l.id.clone())),
        ListingSort::PriceDesc => {
            out.sort_by_key(|l| Reverse((l.content.asking_price, l.id.clone())))
        }
    }
    out
}

/// Every page of `query`, following cursors; checks each page but the last is full.
async fn all_pages(store: &Arc<dyn Store>, mut query: ListingQuery) -> Vec<Listing> {
    let mut seen: Vec<Listing> = Vec::new();
    loop {
        let page = store.query_listings(&query).await.expect("query");
        assert!(
            page.len() <= query.limit as usize,
            "a page holds at most `limit`"
        );
        let Some(last) = page.last() else { break };
        query.after = Some(ListingCursor::after(last, query.sort));
        let full = page.len() == query.limit as usize;
        seen.extend(page);
        if !full {
            break;
        }
        assert!(seen.len() <= 100, "paging does not end");
    }
    seen
}

type Keep = Box<dyn Fn(&Listing) -> bool>;

/// A named query, built from the default by `set`, and which listings it must keep.
fn case(
    name: &'static str,
    set: impl FnOnce(&mut ListingQuery),
    keep: Keep,
) -> (&'static str, ListingQuery, Keep) {
    let mut q = ListingQuery::default();
    set(&mut q);
    (name, q, keep)
}

fn filter_cases(a: &UserId, b: &UserId) -> Vec<(&'static str, ListingQuery, Keep)> {
    let public = vec![ListingStatus::Published, ListingStatus::UnderOffer];
    let (a, a2, b, b2) = (a.clone(), a.clone(), b.clone(), b.clone());
    let price = |l: &Listing| l.content.asking_price.get();
    vec![
        case("no filter", |_| (), Box::new(|_| true)),
        case(
            "statuses",
            |q| q.statuses = public.clone(),
            Box::new(|l| l.status.is_public()),
        ),
        case(
            "seller",
            |q| q.seller = Some(b),
            Box::new(move |l| l.seller_id == b2),
        ),
        case(
            "industry",
            |q| q.industry = industry("machinery").ok(),
            Box::new(|l| l.content.industry.id == "machinery"),
        ),
        case(
            "state",
            |q| q.state = state("Maharashtra").ok(),
            Box::new(|l| l.content.state.code == "MH"),
        ),
        case(
            "city",
            |q| q.city = Some("pUnE".into()),
            Box::new(|l| l.content.city.eq_ignore_ascii_case("pune")),
        ),
        case(
            "deal type",
            |q| q.deal_type = Some(DealType::FullSale),
            Box::new(|l| l.content.deal_type == DealType::FullSale),
        ),
        case(
            "min price",
            |q| q.min_price = Some(Paise::new(200)),
            Box::new(move |l| price(l) >= 200),
        ),
        case(
            "max price",
            |q| q.max_price = Some(Paise::new(200)),
            Box::new(move |l| price(l) <= 200),
        ),
        case(
            "together",
            |q| {
                (q.statuses, q.seller, q.state) = (public, Some(a2), state("MH").ok());
                (q.min_price, q.max_price) = (Some(Paise::new(100)), Some(Paise::new(499)));
            },
            Box::new(move |l| {
                l.status.is_public()
                    && l.seller_id == a
                    && l.content.state.code == "MH"
                    && (100..=499).contains(&price(l))
            }),
        ),
    ]
}

/// Each filter alone and together selects exactly the matching listings, newest first.
pub async fn query_listings_applies_every_filter(store: Arc<dyn Store>) {
    let (all, a, b) = market(&store).await;
    for (what, query, keep) in filter_cases(&a, &b) {
        let got = store.query_listings(&query).await.expect(what);
        let want = expected(&all, ListingSort::Newest, keep);
        let selective = !want.is_empty() && want.len() < all.len();
        assert!(
            selective || what == "no filter",
            "{what}: the fixture must test it"
        );
        assert_eq!(ids(&got), ids(&want), "{what}");
    }
    let nothing = ListingQuery {
        city: Some("Atlantis".into()),
        ..ListingQuery::default()
    };
    assert!(store
        .query_listings(&nothing)
        .await
        .expect("none")
        .is_empty());
}

/// Every sort pages through everything exactly once, in order, ties on the key included.
pub async fn query_listings_sorts_and_pages_exactly_once(store: Arc<dyn Store>) {
    let (all, _, _) = market(&store).await;
    for sort in [
        ListingSort::Newest,
        ListingSort::PriceAsc,
        ListingSort::PriceDesc,
    ] {
        let want = expected(&all, sort, |_| true);
        for limit in [1, 2, 3, 50] {
            let got = all_pages(
                &store,
                ListingQuery {
                    sort,
                    limit,
                    ..ListingQuery::default()
                },
            )
            .await;
            assert_eq!(ids(&got), ids(&want), "{sort:?} in pages of {limit}");
        }
        let public = vec![ListingStatus::Published, ListingStatus::UnderOffer];
        let query = ListingQuery {
            sort,
            limit: 2,
            statuses: public,
            ..ListingQuery::default()
        };
        let want = expected(&all, sort, |l| l.status.is_public());
        assert_eq!(
            ids(&all_pages(&store, query).await),
            ids(&want),
            "{sort:?}, public"
        );
    }
    let first_page = ListingQuery {
        limit: 3,
        ..ListingQuery::default()
    };
    let first = store.query_listings(&first_page).await.expect("first page");
    assert_eq!(first, expected(&all, ListingSort::Newest, |_| true)[..3]);
}

fn ids(ls: &[Listing]) -> Vec<String> {
    ls.iter().map(|l| l.id.to_string()).collect()
}
