//! The baseline: SQLite FTS5 over the same rows, answering the same queries with the same
//! page, total and facet counts (it has no typo tolerance, so misspelt words find nothing).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use msme_core::search::{words, SearchDoc, SearchRequest};
use rusqlite::{params, Connection};

/// An FTS5 index and two connections to query it with.
pub struct Fts5 {
    readers: Vec<Mutex<Connection>>,
}

const SCHEMA: &str = "
    CREATE TABLE docs (
        rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, industry TEXT NOT NULL,
        state TEXT NOT NULL, deal_type TEXT NOT NULL, price_band TEXT NOT NULL,
        city_key TEXT, verified INTEGER NOT NULL, price INTEGER NOT NULL, revenue INTEGER,
        margin_bps INTEGER, year INTEGER NOT NULL, published INTEGER);
    CREATE VIRTUAL TABLE docs_fts USING fts5(
        title, industry_label, city, state_name, description,
        content='', tokenize='unicode61 remove_diacritics 2');";

impl Fts5 {
    /// Builds the index at `path` from `docs` in batches of `batch`; returns it and how long
    /// the writes took.
    pub fn build(path: &Path, docs: &[SearchDoc], batch: usize) -> (Fts5, Duration) {
        let mut w = Connection::open(path).expect("open");
        w.pragma_update(None, "journal_mode", "wal").expect("wal");
        w.execute_batch(SCHEMA).expect("schema");
        let started = Instant::now();
        for (b, chunk) in docs.chunks(batch).enumerate() {
            let tx = w.transaction().expect("begin");
            for (i, d) in chunk.iter().enumerate() {
                insert(&tx, (b * batch + i + 1) as i64, d);
            }
            tx.commit().expect("commit");
        }
        let took = started.elapsed();
        let readers = (0..2)
            .map(|_| Mutex::new(Connection::open(path).expect("open")))
            .collect();
        (Fts5 { readers }, took)
    }

    /// Runs one query on reader `r`; returns the total hits.
    pub fn search(&self, r: usize, q: &SearchRequest) -> u64 {
        let conn = self.readers[r % 2].lock().expect("reader");
        run(&conn, q)
    }
}

fn insert(tx: &rusqlite::Transaction<'_>, rowid: i64, d: &SearchDoc) {
    let named = d.named.as_ref();
    let city = named.map(|n| n.city.trim().to_ascii_lowercase());
    tx.prepare_cached(
        "INSERT INTO docs VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )
    .expect("prepare")
    .execute(params![
        rowid,
        d.id.as_str(),
        d.industry.id,
        d.state.code,
        d.deal_type.as_str(),
        d.price_band().as_str(),
        city,
        d.verified,
        d.asking_price.get(),
        d.revenue.map(|r| r.get()),
        d.ebitda_margin_bps,
        d.year_established,
        d.published_at.map(|t| t.timestamp_micros()),
    ])
    .expect("insert doc");
    tx.prepare_cached("INSERT INTO docs_fts (rowid, title, industry_label, city, state_name, description) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .expect("prepare")
        .execute(params![
            rowid,
            named.map(|n| n.title.as_str()),
            d.industry.label,
            named.map(|n| n.city.as_str()),
            d.state.name,
            named.map(|n| n.description.as_str()),
        ])
        .expect("insert text");
}

/// The filters of a request as SQL on `docs` (the subset the benchmark's queries use).
fn filters(q: &SearchRequest) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let (mut sql, mut values) = (String::new(), Vec::new());
    if let Some(s) = q.filters.state {
        sql.push_str(" AND d.state = ?");
        values.push(Value::Text(s.code.to_string()));
    }
    if let Some(p) = q.filters.asking_price_max_paise {
        sql.push_str(" AND d.price <= ?");
        values.push(Value::Integer(p.get()));
    }
    (sql, values)
}

/// The page (top 21 by BM25, weighted by field as tantivy is), then every hit's facet values
/// for the total and the counts.
fn run(conn: &Connection, q: &SearchRequest) -> u64 {
    let terms: Vec<String> = words(&q.query).iter().map(|w| format!("\"{w}\"")).collect();
    let (extra, values) = filters(q);
    let mut args = vec![rusqlite::types::Value::Text(terms.join(" "))];
    args.extend(values);
    let page = format!(
        "SELECT d.id FROM docs_fts f JOIN docs d ON d.rowid = f.rowid \
         WHERE docs_fts MATCH ?{extra} ORDER BY bm25(docs_fts, 3.0, 2.0, 2.0, 1.0, 1.0) LIMIT 21"
    );
    let mut st = conn.prepare_cached(&page).expect("prepare page");
    let ids: Vec<String> = st
        .query_map(rusqlite::params_from_iter(args.iter()), |r| r.get(0))
        .expect("page")
        .collect::<Result<_, _>>()
        .expect("rows");
    let facets = format!(
        "SELECT d.industry, d.state, d.deal_type, d.price_band FROM docs_fts f \
         JOIN docs d ON d.rowid = f.rowid WHERE docs_fts MATCH ?{extra}"
    );
    let mut st = conn.prepare_cached(&facets).expect("prepare facets");
    let mut counts: [HashMap<String, u64>; 4] = Default::default();
    let mut total = 0;
    let mut rows = st
        .query(rusqlite::params_from_iter(args.iter()))
        .expect("facets");
    while let Some(r) = rows.next().expect("row") {
        total += 1;
        for (k, c) in counts.iter_mut().enumerate() {
            *c.entry(r.get::<_, String>(k).expect("facet")).or_default() += 1;
        }
    }
    std::hint::black_box((ids, counts));
    total
}
