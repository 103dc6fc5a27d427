//! The listings the contract searches, built the way the indexer builds them: a real
//! [`Listing`] through [`SearchDoc::from_listing`].

use chrono::{DateTime, Duration, NaiveDate, Utc};
use msme_core::listing::{FinancialsInput, Listing, ListingContent, ListingId, ListingInput};
use msme_core::ports::SearchIndex;
use msme_core::search::{SearchDoc, SearchFilters, SearchRequest, SearchSort};
use msme_core::types::UserId;

pub(crate) const LAKH: i64 = 1_00_000_00;
pub(crate) const CRORE: i64 = 1_00_00_000_00;

/// One listing of the catalog, by the name the cases use.
pub(crate) struct Spec {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub industry: &'static str,
    pub city: &'static str,
    pub state: &'static str,
    pub deal_type: &'static str,
    pub price: i64,
    /// Latest revenue and EBITDA; `None`: no financials.
    pub figures: Option<(i64, i64)>,
    pub year: i32,
    pub anonymous: bool,
    pub verified: bool,
    /// Published this many days after the first.
    pub day: i64,
}

/// The catalog: six listings with known words, figures and order.
pub(crate) const CATALOG: [Spec; 6] = [
    Spec {
        name: "cnc",
        title: "Precision CNC machining unit",
        description: "Job shop serving auto OEMs with export customers.",
        industry: "machinery",
        city: "Pune",
        state: "Maharashtra",
        deal_type: "full_sale",
        price: 12 * CRORE,
        figures: Some((8 * CRORE, 120 * LAKH)),
        year: 2008,
        anonymous: false,
        verified: true,
        day: 1,
    },
    Spec {
        name: "bakery",
        title: "Artisan bakery chain",
        description: "Twelve outlets baking breads and cakes, with its own flour mill.",
        industry: "food_processing",
        city: "Bengaluru",
        state: "Karnataka",
        deal_type: "asset_sale",
        price: 80 * LAKH,
        figures: Some((2 * CRORE, 16 * LAKH)),
        year: 2015,
        anonymous: false,
        verified: false,
        day: 2,
    },
    Spec {
        name: "textile",
        title: "Cotton textile mill",
        description: "Spinning and weaving mill, a mill town's oldest employer.",
        industry: "textiles_apparel",
        city: "Surat",
        state: "Gujarat",
        deal_type: "partial_stake",
        price: 30 * CRORE,
        figures: Some((45 * CRORE, 990 * LAKH)),
        year: 1995,
        anonymous: false,
        verified: true,
        day: 3,
    },
    Spec {
        name: "secret",
        title: "Confidential formulation plant",
        description: "WHO-GMP formulation plant near Hyderabad with export licences.",
        industry: "pharmaceuticals",
        city: "Hyderabad",
        state: "Telangana",
        deal_type: "full_sale",
        price: 4 * CRORE,
        figures: None,
        year: 2012,
        anonymous: true,
        verified: true,
        day: 4,
    },
    Spec {
        name: "it",
        title: "Software services firm",
        description: "Custom software development for cooperative banks.",
        industry: "it_services",
        city: "Pune",
        state: "Maharashtra",
        deal_type: "full_sale",
        price: 40 * LAKH,
        figures: Some((150 * LAKH, 450_000_00)),
        year: 2019,
        anonymous: false,
        verified: false,
        day: 5,
    },
    Spec {
        name: "cafe",
        title: "Café and restaurant",
        description: "Busy café by the beach, open all year round.",
        industry: "restaurants",
        city: "Panaji",
        state: "Goa",
        deal_type: "asset_sale",
        price: 60 * LAKH,
        figures: None,
        year: 2020,
        anonymous: false,
        verified: false,
        day: 6,
    },
];

fn first_day() -> DateTime<Utc> {
    DateTime::from_timestamp_micros(1_767_225_600_000_000).expect("a valid time")
}

/// The public listing a spec describes, with a fresh id, at version 1.
pub(crate) fn listing(s: &Spec) -> Listing {
    let input = ListingInput {
        title: s.title.into(),
        description: s.description.into(),
        industry: s.industry.into(),
        city: s.city.into(),
        state: s.state.into(),
        year_established: s.year,
        employees: 10,
        deal_type: s.deal_type.into(),
        asking_price_paise: s.price,
        anonymous: s.anonymous,
        financials: s
            .figures
            .map(|(revenue, ebitda)| FinancialsInput {
                fiscal_year: 2025,
                revenue_paise: revenue,
                ebitda_paise: ebitda,
                ..FinancialsInput::default()
            })
            .into_iter()
            .collect(),
    };
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a valid date");
    let content = ListingContent::parse(&input, today).expect("a valid fixture");
    let at = first_day() + Duration::days(s.day);
    Listing::published(ListingId::generate(), UserId::generate(), content, at)
}

/// The catalog as indexed: each listing's name and document.
pub(crate) struct Catalog {
    pub docs: Vec<(&'static str, SearchDoc)>,
}

impl Catalog {
    /// Clears the index and fills it with the catalog.
    pub(crate) async fn load(index: &dyn SearchIndex) -> Catalog {
        index.clear().await.expect("clear");
        let docs: Vec<_> = CATALOG
            .iter()
            .map(|s| (s.name, SearchDoc::from_listing(&listing(s), s.verified)))
            .collect();
        let all: Vec<SearchDoc> = docs.iter().map(|(_, d)| d.clone()).collect();
        index.upsert(&all).await.expect("upsert");
        Catalog { docs }
    }

    pub(crate) fn doc(&self, name: &str) -> &SearchDoc {
        &self
            .docs
            .iter()
            .find(|(n, _)| *n == name)
            .expect("a catalog name")
            .1
    }

    fn name_of(&self, id: &ListingId) -> &'static str {
        self.docs
            .iter()
            .find(|(_, d)| &d.id == id)
            .map_or("(not in the catalog)", |(n, _)| n)
    }

    /// The names of the first page of hits, in order.
    pub(crate) async fn names(
        &self,
        index: &dyn SearchIndex,
        r: &SearchRequest,
    ) -> Vec<&'static str> {
        let results = index.search(r).await.expect("search");
        results
            .hits
            .iter()
            .map(|h| self.name_of(&h.listing_id))
            .collect()
    }

    /// The names of every hit of `query` under `filters`, sorted by name.
    pub(crate) async fn matching(
        &self,
        index: &dyn SearchIndex,
        query: &str,
        filters: SearchFilters,
    ) -> Vec<&'static str> {
        let mut names = self
            .names(index, &request(query, filters, SearchSort::Relevance))
            .await;
        names.sort_unstable();
        names
    }
}

/// A request for the first 50 hits.
pub(crate) fn request(query: &str, filters: SearchFilters, sort: SearchSort) -> SearchRequest {
    SearchRequest {
        query: query.into(),
        filters,
        sort,
        limit: 50,
        cursor: None,
    }
}
