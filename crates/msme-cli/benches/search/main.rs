//! Search and matching figures over the demo generator's listings (100,000 by default; set
//! `MSME_BENCH_LISTINGS` for fewer): indexing rate, p50/p99 latency of plain, filtered and
//! misspelt queries, and queries per second with two workers, on tantivy, on PostgreSQL (when
//! `MSME_TEST_POSTGRES_URL` names a server) and on SQLite FTS5 as the baseline, over the same
//! rows and queries; matching one buyer against every listing; and the resident memory of a
//! real `msme serve` with the index loaded.
//!
//! `cargo bench -p msme-cli --bench search` (a release build). Prints figures; checks nothing.

mod data;
mod fts5;
mod measure;
mod postgres;
mod server;

use std::sync::Arc;
use std::time::Instant;

use msme_core::ports::SearchIndex;
use msme_core::search::SearchDoc;

use data::{Queries, Rows};
use measure::{latency, qps, Latency};

/// Documents per write, on every backend.
const BATCH: usize = 1000;
/// Times each query set is run for the latency figures.
const ROUNDS: usize = 3;
/// Seconds of each two-worker throughput run.
const QPS_SECS: f64 = 5.0;

/// One backend's figures.
pub struct Figures {
    pub name: &'static str,
    pub docs_per_sec: f64,
    pub plain: Latency,
    pub filtered: Latency,
    pub misspelt: Latency,
    pub qps: f64,
}

fn print(f: &Figures) {
    println!("{}", f.name);
    println!(
        "  indexing   {:>10.0} listings/s (batches of {BATCH})",
        f.docs_per_sec
    );
    println!("  plain      {}", f.plain);
    println!("  filtered   {}", f.filtered);
    println!("  misspelt   {}", f.misspelt);
    println!(
        "  throughput {:>10.0} queries/s (2 workers, plain queries)",
        f.qps
    );
}

/// Indexes `docs` into `index` in batches; returns listings per second.
async fn index_all(index: &dyn SearchIndex, docs: &[SearchDoc]) -> f64 {
    index.clear().await.expect("clear");
    let started = Instant::now();
    for chunk in docs.chunks(BATCH) {
        index.upsert(chunk).await.expect("upsert");
    }
    docs.len() as f64 / started.elapsed().as_secs_f64()
}

/// The figures of any [`SearchIndex`].
pub async fn bench_index(
    name: &'static str,
    index: Arc<dyn SearchIndex>,
    rows: &Rows,
    q: &Queries,
) -> Figures {
    let docs_per_sec = index_all(&*index, &rows.docs).await;
    let run = |index: Arc<dyn SearchIndex>| {
        move |r: &msme_core::search::SearchRequest| {
            let (index, r) = (index.clone(), r.clone());
            async move { index.search(&r).await.expect("search").total }
        }
    };
    let plain = latency(&q.plain, ROUNDS, run(index.clone())).await;
    let filtered = latency(&q.filtered, ROUNDS, run(index.clone())).await;
    let misspelt = latency(&q.misspelt, ROUNDS, run(index.clone())).await;
    let queries = Arc::new(q.plain.clone());
    let throughput = qps(queries, QPS_SECS, move |qs, i| {
        let index = index.clone();
        async move {
            index.search(&qs[i]).await.expect("search");
        }
    })
    .await;
    Figures {
        name,
        docs_per_sec,
        plain,
        filtered,
        misspelt,
        qps: throughput,
    }
}

async fn bench_fts5(dir: &std::path::Path, rows: &Rows, q: &Queries) -> Figures {
    let (fts, took) = fts5::Fts5::build(&dir.join("fts5.db"), &rows.docs, BATCH);
    let fts = Arc::new(fts);
    let run = |r: &msme_core::search::SearchRequest| {
        let total = fts.search(0, r);
        async move { total }
    };
    let plain = latency(&q.plain, ROUNDS, run).await;
    let filtered = latency(&q.filtered, ROUNDS, run).await;
    let misspelt = latency(&q.misspelt, ROUNDS, run).await;
    let queries = Arc::new(q.plain.clone());
    let shared = fts.clone();
    let throughput = qps(queries, QPS_SECS, move |qs, i| {
        let fts = shared.clone();
        async move {
            tokio::task::spawn_blocking(move || fts.search(i, &qs[i]))
                .await
                .expect("search");
        }
    })
    .await;
    Figures {
        name: "SQLite FTS5 (baseline; no typo tolerance)",
        docs_per_sec: rows.docs.len() as f64 / took.as_secs_f64(),
        plain,
        filtered,
        misspelt,
        qps: throughput,
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n: usize = std::env::var("MSME_BENCH_LISTINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let rows = data::rows(n);
    let q = data::queries(&rows, 100);
    println!(
        "search benchmark: {n} generated listings (demo generator, seed 2026) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!("queries: {} plain, {} filtered (state and price ceiling), {} misspelt; 20 hits a page with total and facets\n", q.plain.len(), q.filtered.len(), q.misspelt.len());
    let tantivy = msme_backends::TantivyIndex::open(&dir.path().join("tantivy")).expect("tantivy");
    print(&bench_index("tantivy (embedded)", Arc::new(tantivy), &rows, &q).await);
    match postgres::bench(&rows, &q).await {
        Some(f) => print(&f),
        None => println!("PostgreSQL: skipped (set MSME_TEST_POSTGRES_URL)"),
    }
    print(&bench_fts5(dir.path(), &rows, &q).await);
    println!();
    server::matching_in_process(&rows);
    server::run(dir.path(), &rows, &q).await;
}
