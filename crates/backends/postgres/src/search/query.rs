//! One search: the words with their misspellings, the filters, and one statement that answers
//! the page, the facet counts and the total in one scan of the hits.
//!
//! The SQL is assembled from fixed fragments; every value travels as a bind parameter.

use std::collections::HashMap;

use msme_core::listing::ListingId;
use msme_core::ports::SearchError;
use msme_core::search::{
    order_key_asc, order_key_score, query_words, Facets, QueryWord, SearchCursor, SearchFilters,
    SearchHit, SearchRequest, SearchResults, SearchSort,
};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder, Row};

use super::err;
use super::words::Lexeme;

/// Trigram similarity a candidate spelling needs. Low on purpose: a 9-letter word with two
/// transposed pairs shares only a ninth of its trigrams with the right word; the exact edit
/// distance, counted in Rust, then decides.
const CANDIDATE_SIMILARITY: &str = "0.1";

/// How much a match counts by field: description (D), state (C), industry and city (B),
/// title (A), as tantivy weighs the fields (1, 1, 2, 3).
const RANK_WEIGHTS: &str = "{0.33, 0.33, 0.67, 1.0}";

const SIGN: u64 = 1 << 63;

/// Where the previous page ended, as this index compares it.
enum After {
    Score(f32, String),
    Key(i64, String),
}

fn after(r: &SearchRequest) -> Result<Option<After>, SearchError> {
    let Some(c) = &r.cursor else { return Ok(None) };
    if c.sort != r.effective_sort() {
        return Err(SearchError::InvalidCursor);
    }
    let id = c.id.as_str().to_owned();
    Ok(Some(if c.sort == SearchSort::Relevance {
        let bits = u32::try_from(c.key).map_err(|_| SearchError::InvalidCursor)?;
        After::Score(f32::from_bits(!bits), id)
    } else {
        After::Key((c.key ^ SIGN) as i64, id)
    }))
}

/// For each query word, what it matches: its exact terms, its prefix (the last word), and the
/// indexed terms within a typo budget of it or its stem.
async fn alternatives(
    conn: &mut PgConnection,
    query_words: &[QueryWord],
) -> Result<Vec<Vec<Lexeme>>, SearchError> {
    let mut groups: Vec<Vec<Lexeme>> = query_words
        .iter()
        .map(|w| {
            let exact = w.exact().into_iter().map(|t| Lexeme::Term(t.to_owned()));
            let prefix = w.prefix.then(|| Lexeme::Prefix(w.word.clone()));
            exact.chain(prefix).collect()
        })
        .collect();
    // What typos are counted from: (query word, probe, budget).
    let probes: Vec<(usize, &str, i32)> = query_words
        .iter()
        .enumerate()
        .flat_map(|(i, w)| {
            let probes = w.typo_probes().into_iter();
            probes.map(move |(probe, budget)| (i, probe, i32::from(budget)))
        })
        .collect();
    if probes.is_empty() {
        return Ok(groups);
    }
    sqlx::query("SELECT set_config('pg_trgm.similarity_threshold', $1, true)")
        .bind(CANDIDATE_SIMILARITY)
        .execute(&mut *conn)
        .await
        .map_err(err("search"))?;
    let len = |w: &str| w.chars().count() as i32;
    let wanted: Vec<&str> = probes.iter().map(|(_, p, _)| *p).collect();
    let lo: Vec<i32> = probes.iter().map(|(_, p, b)| len(p) - b).collect();
    let hi: Vec<i32> = probes.iter().map(|(_, p, b)| len(p) + b).collect();
    let rows = sqlx::query(
        "SELECT q.i, t.term FROM UNNEST($1::text[], $2::int[], $3::int[])
             WITH ORDINALITY AS q(word, lo, hi, i)
         JOIN LATERAL (SELECT term FROM search_terms
                       WHERE term % q.word AND char_length(term) BETWEEN q.lo AND q.hi) t
         ON TRUE",
    )
    .bind(&wanted)
    .bind(&lo)
    .bind(&hi)
    .fetch_all(&mut *conn)
    .await
    .map_err(err("search"))?;
    for row in rows {
        let i: i64 = row.try_get("i").map_err(err("search"))?;
        let term: String = row.try_get("term").map_err(err("search"))?;
        let (at, _, _) = probes[(i - 1) as usize];
        if query_words[at].within_typos(&term) {
            let candidate = Lexeme::Term(term);
            if !groups[at].contains(&candidate) {
                groups[at].push(candidate);
            }
        }
    }
    Ok(groups)
}

/// The sort value of a row as one ascending `BIGINT` (not used for relevance).
fn key_sql(sort: SearchSort) -> &'static str {
    match sort {
        SearchSort::Relevance => "0::bigint",
        SearchSort::PriceAsc => "asking_price_paise",
        SearchSort::PriceDesc => "-asking_price_paise",
        SearchSort::RevenueDesc => "COALESCE(-revenue_paise, 9223372036854775807)",
        SearchSort::Newest => "COALESCE(-published_micros, 9223372036854775807)",
    }
}

fn push_filters(b: &mut QueryBuilder<Postgres>, f: &SearchFilters) {
    if let Some(i) = f.industry {
        b.push(" AND industry = ").push_bind(i.id);
    }
    if let Some(s) = f.state {
        b.push(" AND state = ").push_bind(s.code);
    }
    if let Some(city) = f.city_key() {
        b.push(" AND city_key = ").push_bind(city);
    }
    if let Some(d) = f.deal_type {
        b.push(" AND deal_type = ").push_bind(d.as_str());
    }
    if f.verified_only {
        b.push(" AND verified");
    }
    let paise = |p: Option<msme_core::money::Paise>| p.map(|p| p.get());
    let pct = |p: Option<i32>| p.map(|p| i64::from(p) * 100);
    let ranges = [
        ("asking_price_paise >= ", paise(f.asking_price_min_paise)),
        ("asking_price_paise <= ", paise(f.asking_price_max_paise)),
        ("revenue_paise >= ", paise(f.revenue_min_paise)),
        ("revenue_paise <= ", paise(f.revenue_max_paise)),
        ("ebitda_margin_bps >= ", pct(f.ebitda_margin_min_pct)),
        ("ebitda_margin_bps <= ", pct(f.ebitda_margin_max_pct)),
        (
            "year_established >= ",
            f.year_established_min.map(i64::from),
        ),
        (
            "year_established <= ",
            f.year_established_max.map(i64::from),
        ),
    ];
    for (sql, value) in ranges {
        if let Some(v) = value {
            b.push(" AND ").push(sql).push_bind(v);
        }
    }
}

/// The statement: the hits once, then the page after the cursor and the facet counts (with
/// the total as the empty grouping set) over them.
fn statement(
    r: &SearchRequest,
    text: Option<(String, String)>,
    after: Option<After>,
) -> QueryBuilder<Postgres> {
    let sort = r.effective_sort();
    let mut b = QueryBuilder::new(
        "WITH hits AS MATERIALIZED (SELECT listing_id, version, industry, state, deal_type, \
         price_band, ",
    );
    b.push(key_sql(sort)).push(" AS k, ");
    match (&text, sort) {
        (Some((all, exact)), SearchSort::Relevance) => {
            b.push("(ts_rank(")
                .push_bind(RANK_WEIGHTS)
                .push("::real[], words, ");
            b.push_bind(all.clone()).push("::tsquery) + ts_rank(");
            b.push_bind(RANK_WEIGHTS).push("::real[], words, ");
            b.push_bind(exact.clone()).push("::tsquery))::real");
        }
        _ => {
            b.push("0::real");
        }
    }
    b.push(" AS score FROM search_documents WHERE TRUE");
    if let Some((all, _)) = text {
        b.push(" AND words @@ ").push_bind(all).push("::tsquery");
    }
    push_filters(&mut b, &r.filters);
    b.push(") (SELECT 0 AS part, listing_id AS value, version, k, score, 0::bigint AS n FROM hits WHERE TRUE");
    match after {
        Some(After::Score(s, id)) => {
            b.push(" AND (score < ").push_bind(s);
            b.push(" OR (score = ").push_bind(s);
            b.push(" AND listing_id > ").push_bind(id).push("))");
        }
        Some(After::Key(k, id)) => {
            b.push(" AND (k, listing_id) > (").push_bind(k);
            b.push(", ").push_bind(id).push(")");
        }
        None => {}
    }
    b.push(if sort == SearchSort::Relevance {
        " ORDER BY score DESC, listing_id ASC"
    } else {
        " ORDER BY k ASC, listing_id ASC"
    });
    b.push(" LIMIT ")
        .push_bind(i64::from(r.limit.max(1)) + 1)
        .push(")");
    b.push(
        " UNION ALL (SELECT CASE WHEN GROUPING(industry) = 0 THEN 1 \
         WHEN GROUPING(state) = 0 THEN 2 WHEN GROUPING(deal_type) = 0 THEN 3 \
         WHEN GROUPING(price_band) = 0 THEN 4 ELSE 5 END, \
         COALESCE(industry, state, deal_type, price_band, ''), 0::bigint, 0::bigint, \
         0::real, count(*) FROM hits \
         GROUP BY GROUPING SETS ((industry), (state), (deal_type), (price_band), ()))",
    );
    b
}

/// One page of hits, with the total and facets over all of them.
pub(super) async fn search(pool: &PgPool, r: &SearchRequest) -> Result<SearchResults, SearchError> {
    let sort = r.effective_sort();
    let after = after(r)?;
    let query_words = query_words(&r.query);
    let mut tx = pool
        .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await
        .map_err(err("begin"))?;
    let groups = alternatives(&mut tx, &query_words).await?;
    let exact: Vec<&str> = query_words.iter().flat_map(QueryWord::exact).collect();
    let text = super::words::tsquery(&groups).zip(super::words::any_of(&exact));
    let rows = statement(r, text, after)
        .build()
        .fetch_all(&mut *tx)
        .await
        .map_err(err("search"))?;
    tx.commit().await.map_err(err("commit"))?;
    results(&rows, sort, r.limit.max(1) as usize)
}

/// A row of the page: its position, version and score.
struct Row0 {
    key: u64,
    id: String,
    version: i64,
    score: f32,
}

fn results(rows: &[PgRow], sort: SearchSort, limit: usize) -> Result<SearchResults, SearchError> {
    let mut page = Vec::new();
    let mut counts: [HashMap<String, u64>; 4] = Default::default();
    let mut total = 0;
    for row in rows {
        let part: i32 = row.try_get("part").map_err(err("read"))?;
        let value: String = row.try_get("value").map_err(err("read"))?;
        let n: i64 = row.try_get("n").map_err(err("read"))?;
        match part {
            0 => {
                let k: i64 = row.try_get("k").map_err(err("read"))?;
                let score: f32 = row.try_get("score").map_err(err("read"))?;
                page.push(Row0 {
                    key: if sort == SearchSort::Relevance {
                        order_key_score(score)
                    } else {
                        order_key_asc(k)
                    },
                    id: value,
                    version: row.try_get("version").map_err(err("read"))?,
                    score,
                });
            }
            1..=4 => {
                counts[(part - 1) as usize].insert(value, n as u64);
            }
            _ => total = n as u64,
        }
    }
    page.sort_by(|a, b| (a.key, &a.id).cmp(&(b.key, &b.id)));
    let more = page.len() > limit;
    page.truncate(limit);
    let next_cursor = more.then(|| page.last()).flatten().map(|h| SearchCursor {
        sort,
        key: h.key,
        id: ListingId::from_trusted(h.id.clone()),
    });
    let facets = Facets::from_counts(counts);
    Ok(SearchResults {
        hits: page
            .into_iter()
            .map(|h| SearchHit {
                listing_id: ListingId::from_trusted(h.id),
                version: h.version,
                score: h.score,
            })
            .collect(),
        facets,
        total,
        next_cursor,
    })
}
