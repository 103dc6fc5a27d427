//! [`PgSearchIndex`]: the search index in PostgreSQL itself (tsvector with a GIN index, and
//! pg_trgm for misspellings), so every server process on one database shares one index.
//!
//! It keeps the rules of `msme_core::search` as tantivy does and passes the same contract
//! suite (`msme_contract::search`). Words are analysed in Rust; misspelt query words find
//! their candidates in `search_terms` by trigram similarity, and the candidates are kept only
//! within the word's typo budget, counted exactly in Rust as tantivy counts it.

mod query;
mod words;

use async_trait::async_trait;
use msme_core::error::StoreError;
use msme_core::listing::ListingId;
use msme_core::ports::{SearchError, SearchIndex};
use msme_core::search::{SearchDoc, SearchRequest, SearchResults, ANALYSIS};
use sqlx::{PgPool, Row};

use crate::PgStore;

const BACKEND: &str = "postgres";

/// Maps a query's failure: a lost database is `Unavailable` (as the store reports it), the
/// rest an index failure of `op`, with the cause kept for the log.
pub(crate) fn err(op: &'static str) -> impl FnOnce(sqlx::Error) -> SearchError {
    move |e| match crate::error::store_error(e) {
        StoreError::Unavailable(cause) => SearchError::Store(StoreError::Unavailable(cause)),
        StoreError::Backend(cause) => SearchError::index(BACKEND, op, cause),
        other => SearchError::index(BACKEND, op, other),
    }
}

/// The PostgreSQL search index. Cheap to clone; shares the store's pool.
#[derive(Clone, Debug)]
pub struct PgSearchIndex {
    pool: PgPool,
}

impl PgStore {
    /// The search index in this store's database (made by its migrations).
    pub fn search_index(&self) -> PgSearchIndex {
        PgSearchIndex {
            pool: self.pool.clone(),
        }
    }
}

/// The columns of one document, as bound arrays for one multi-row upsert.
#[derive(Default)]
struct Columns {
    id: Vec<String>,
    version: Vec<i64>,
    words: Vec<String>,
    industry: Vec<&'static str>,
    state: Vec<&'static str>,
    deal_type: Vec<&'static str>,
    price_band: Vec<&'static str>,
    city_key: Vec<Option<String>>,
    verified: Vec<bool>,
    price: Vec<i64>,
    revenue: Vec<Option<i64>>,
    margin: Vec<Option<i64>>,
    year: Vec<i32>,
    published: Vec<Option<i64>>,
}

impl Columns {
    fn push(&mut self, d: &SearchDoc, literal: String) {
        self.id.push(d.id.as_str().to_owned());
        self.version.push(d.version);
        self.words.push(literal);
        self.industry.push(d.industry.id);
        self.state.push(d.state.code);
        self.deal_type.push(d.deal_type.as_str());
        self.price_band.push(d.price_band().as_str());
        let city = d.named.as_ref().map(|n| n.city.trim().to_ascii_lowercase());
        self.city_key.push(city);
        self.verified.push(d.verified);
        self.price.push(d.asking_price.get());
        self.revenue.push(d.revenue.map(|r| r.get()));
        self.margin.push(d.ebitda_margin_bps);
        self.year.push(d.year_established);
        self.published
            .push(d.published_at.map(|t| t.timestamp_micros()));
    }
}

const UPSERT: &str = "
    INSERT INTO search_documents (listing_id, version, words, industry, state, deal_type,
        price_band, city_key, verified, asking_price_paise, revenue_paise, ebitda_margin_bps,
        year_established, published_micros)
    SELECT id, version, words::tsvector, industry, state, deal_type, price_band, city_key,
        verified, price, revenue, margin, year, published
    FROM UNNEST($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[],
        $7::text[], $8::text[], $9::bool[], $10::bigint[], $11::bigint[], $12::bigint[],
        $13::int[], $14::bigint[])
        AS d(id, version, words, industry, state, deal_type, price_band, city_key, verified,
             price, revenue, margin, year, published)
    ON CONFLICT (listing_id) DO UPDATE SET
        version = EXCLUDED.version, words = EXCLUDED.words, industry = EXCLUDED.industry,
        state = EXCLUDED.state, deal_type = EXCLUDED.deal_type,
        price_band = EXCLUDED.price_band, city_key = EXCLUDED.city_key,
        verified = EXCLUDED.verified, asking_price_paise = EXCLUDED.asking_price_paise,
        revenue_paise = EXCLUDED.revenue_paise, ebitda_margin_bps = EXCLUDED.ebitda_margin_bps,
        year_established = EXCLUDED.year_established,
        published_micros = EXCLUDED.published_micros";

#[async_trait]
impl SearchIndex for PgSearchIndex {
    fn name(&self) -> &'static str {
        BACKEND
    }

    #[tracing::instrument(skip_all, fields(docs = docs.len()))]
    async fn upsert(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        if docs.is_empty() {
            return Ok(());
        }
        let mut c = Columns::default();
        let mut terms = std::collections::BTreeSet::new();
        // The same id twice in one statement would fail the upsert: the last one wins.
        let mut seen = std::collections::HashSet::new();
        for d in docs.iter().rev().filter(|d| seen.insert(&d.id)) {
            let (literal, words) = words::tsvector(d);
            terms.extend(words);
            c.push(d, literal);
        }
        let mut tx = self.pool.begin().await.map_err(err("begin"))?;
        // Terms in sorted order, so concurrent writers lock them in one order.
        let terms: Vec<String> = terms.into_iter().collect();
        sqlx::query(
            "INSERT INTO search_terms (term) SELECT t FROM UNNEST($1::text[]) AS t ORDER BY t
             ON CONFLICT DO NOTHING",
        )
        .bind(&terms)
        .execute(&mut *tx)
        .await
        .map_err(err("add terms"))?;
        sqlx::query(UPSERT)
            .bind(&c.id)
            .bind(&c.version)
            .bind(&c.words)
            .bind(&c.industry)
            .bind(&c.state)
            .bind(&c.deal_type)
            .bind(&c.price_band)
            .bind(&c.city_key)
            .bind(&c.verified)
            .bind(&c.price)
            .bind(&c.revenue)
            .bind(&c.margin)
            .bind(&c.year)
            .bind(&c.published)
            .execute(&mut *tx)
            .await
            .map_err(err("upsert"))?;
        tx.commit().await.map_err(err("commit"))
    }

    #[tracing::instrument(skip_all, fields(ids = ids.len()))]
    async fn remove(&self, ids: &[ListingId]) -> Result<(), SearchError> {
        let ids: Vec<&str> = ids.iter().map(ListingId::as_str).collect();
        sqlx::query("DELETE FROM search_documents WHERE listing_id = ANY($1)")
            .bind(&ids)
            .execute(&self.pool)
            .await
            .map_err(err("remove"))?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    async fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        query::search(&self.pool, request).await
    }

    #[tracing::instrument(skip_all)]
    async fn indexed_versions(&self) -> Result<Vec<(ListingId, i64)>, SearchError> {
        let rows =
            sqlx::query("SELECT listing_id, version FROM search_documents ORDER BY listing_id")
                .fetch_all(&self.pool)
                .await
                .map_err(err("list"))?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get("listing_id").map_err(err("list"))?;
                let version: i64 = r.try_get("version").map_err(err("list"))?;
                Ok((ListingId::from_trusted(id), version))
            })
            .collect()
    }

    #[tracing::instrument(skip_all)]
    async fn clear(&self) -> Result<(), SearchError> {
        let mut tx = self.pool.begin().await.map_err(err("begin"))?;
        for sql in ["DELETE FROM search_documents", "DELETE FROM search_terms"] {
            sqlx::query(sql)
                .execute(&mut *tx)
                .await
                .map_err(err("clear"))?;
        }
        sqlx::query("UPDATE search_analysis SET analysis = $1")
            .bind(ANALYSIS as i32)
            .execute(&mut *tx)
            .await
            .map_err(err("clear"))?;
        tx.commit().await.map_err(err("commit"))
    }

    #[tracing::instrument(skip_all)]
    async fn analysis(&self) -> Result<u32, SearchError> {
        let analysis: i32 = sqlx::query_scalar("SELECT analysis FROM search_analysis")
            .fetch_one(&self.pool)
            .await
            .map_err(err("read the analysis"))?;
        Ok(analysis as u32)
    }
}
