//! Events per second through the runtime, printed as figures beside the job queues a user
//! would pick instead: a consumer catching up from the start of a stream of committed events,
//! in batches, with its lease and compare-and-set cursor written per batch (as `msme worker`
//! runs it), on SQLite and PostgreSQL, for
//! - a no-op consumer (the runtime's own cost: read, decode, lease, advance), and
//! - the real search indexer (each batch reloads the listings its events name and writes them
//!   to tantivy or the PostgreSQL index).
//!
//! The peers are River's published 46,000 jobs/s (Go, PostgreSQL, batched completions) and
//! graphile-worker's 15,600 jobs/s (Node.js, PostgreSQL, unbatched), measured on their authors'
//! machines: the ratios are indicative, not a side-by-side run (neither runs here without its
//! toolchain).
//!
//! `cargo bench --bench runtime` (set `MSME_TEST_POSTGRES_URL` to include PostgreSQL;
//! `MSME_BENCH_EVENTS` for more or fewer events).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use msme::backends::Database;
use msme::core::audit::{AuditActor, AuditEvent};
use msme::core::auth::NewAccount;
use msme::core::clock::SystemClock;
use msme::core::events::Event;
use msme::core::listing::ListingAction;
use msme::core::ports::{EventLog, SearchIndex, Store};
use msme::core::rbac::Actor;
use msme::core::runtime::{Consumer, HandlerError, Runtime};
use msme::core::search::INDEXER_CONSUMER;
use msme::core::types::ListingId;
use msme::{Platform, RequestMeta};

/// River's benchmark (riverqueue.com, "46,000 jobs/sec" on an M1 with batched completion).
const RIVER_JOBS_PER_S: f64 = 46_000.0;
/// graphile-worker's README: "~15,600 jobs per second" unbatched on a 12-core machine.
const GRAPHILE_JOBS_PER_S: f64 = 15_600.0;
/// Listings the indexer's events name.
const LISTINGS: usize = 200;

mod common;

fn main() {
    common::run(
        &format!(
            "msme runtime benchmark, {} events in batches of 500",
            events()
        ),
        run(),
    );
}

async fn run() {
    println!("  River (published)                          {RIVER_JOBS_PER_S:>9.0} jobs/s");
    println!("  graphile-worker (published, unbatched)     {GRAPHILE_JOBS_PER_S:>9.0} jobs/s");
    let dir = tempfile::tempdir().expect("tempdir");
    let sqlite = common::sqlite(&dir).await;
    let index =
        msme_search_tantivy::TantivyIndex::open(&dir.path().join("search")).expect("tantivy");
    measure("sqlite + tantivy", sqlite, Arc::new(index)).await;
    let Some((db, pg)) = common::postgres().await else {
        return;
    };
    let index = pg.index.clone().expect("the database's own index");
    measure("postgres", pg, index).await;
    db.drop_now().await;
}

/// Counts what it is handed, and does nothing else.
#[derive(Default)]
struct NoOp(AtomicU64);

#[async_trait::async_trait]
impl Consumer for NoOp {
    fn name(&self) -> &str {
        "bench-noop"
    }
    fn wants(&self, _: &Event) -> bool {
        true
    }
    async fn handle(&self, events: &[Event]) -> Result<(), HandlerError> {
        self.0.fetch_add(events.len() as u64, Ordering::Relaxed);
        Ok(())
    }
}

async fn measure(backend: &str, db: Database, index: Arc<dyn SearchIndex>) {
    let store = db.store.clone();
    let p = common::builder(&db)
        .search(index)
        .build()
        .expect("platform");
    let listings = published_listings(&p).await;
    let head = append(&store, &listings, events()).await;

    let noop = Arc::new(NoOp::default());
    let log: Arc<dyn EventLog> = store.clone();
    let rt = Runtime::new(log, Arc::new(SystemClock)).with(noop.clone());
    let start = Instant::now();
    let done = rt.catch_up("bench-noop").await.expect("catch up");
    report(
        &format!("no-op consumer ({backend})"),
        done.events,
        start.elapsed(),
    );
    assert_eq!(done.cursor, head);
    assert_eq!(noop.0.load(Ordering::Relaxed), head as u64);

    let rt = p.runtime();
    let start = Instant::now();
    let done = rt.catch_up(INDEXER_CONSUMER).await.expect("catch up");
    report(
        &format!("search indexer ({backend}, {LISTINGS} listings named)"),
        done.events,
        start.elapsed(),
    );
    assert_eq!((done.cursor, done.dead_letters), (head, 0));
}

/// Published listings of one seller, made through the platform.
async fn published_listings(p: &Platform) -> Vec<ListingId> {
    let meta = RequestMeta::default();
    let operator = Actor::operator();
    let account = NewAccount::parse(
        "Bench Seller",
        "9000000102",
        None,
        "bench-password-1",
        "seller",
    )
    .expect("account");
    let seller = p
        .users()
        .create(&meta, &operator, account)
        .await
        .expect("seller")
        .user
        .id;
    let rows: Vec<(usize, _)> = msme::demo::generate(11, LISTINGS)
        .listings
        .into_iter()
        .map(|l| l.input)
        .enumerate()
        .collect();
    let made = p
        .listings()
        .import(&meta, &operator, &seller, &rows, false)
        .await
        .expect("import");
    let ids: Vec<ListingId> = made.listings.into_iter().map(|(_, id)| id).collect();
    for id in &ids {
        for action in ListingAction::TO_PUBLISHED {
            p.listings()
                .transition(&meta, &operator, id, action, None)
                .await
                .expect("publish");
        }
    }
    ids
}

/// Appends `n` listing events (each naming one of `listings`), 16 at a time; answers the head.
async fn append(store: &Arc<dyn Store>, listings: &[ListingId], n: usize) -> i64 {
    let start = Instant::now();
    let event = |i: usize| AuditEvent {
        at: chrono::Utc::now(),
        actor: AuditActor::System,
        action: "listing.updated".into(),
        entity_type: "listing".into(),
        entity_id: listings[i % listings.len()].as_str().to_string(),
        request_id: None,
        details: "{}".into(),
    };
    let indices: Vec<usize> = (0..n).collect();
    for chunk in indices.chunks(16) {
        let appends = chunk.iter().map(|&i| store.append_audit(event(i)));
        for done in futures_util::future::join_all(appends).await {
            done.expect("append");
        }
    }
    let head = store.audit_head().await.expect("head").expect("events").0;
    println!(
        "  (appended {n} events in {:.1} s; stream head {head})",
        start.elapsed().as_secs_f64()
    );
    head
}

fn report(what: &str, n: u64, elapsed: Duration) {
    let rate = n as f64 / elapsed.as_secs_f64();
    println!(
        "  {what:<42} {rate:>9.0} events/s  ({:.2}x River, {:.2}x graphile-worker)",
        rate / RIVER_JOBS_PER_S,
        rate / GRAPHILE_JOBS_PER_S
    );
}

fn events() -> usize {
    common::count_from_env("MSME_BENCH_EVENTS", 50_000)
}
