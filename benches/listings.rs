//! Listing throughput, printed as figures: creating listings (each with three years of
//! financials, one durable transaction and audit entry apiece) and fetching them by id, on
//! SQLite and on PostgreSQL.
//!
//! `cargo bench --bench listings` (set `MSME_TEST_POSTGRES_URL` to include PostgreSQL).

use std::time::Instant;

use msme::backends::Database;
use msme::core::auth::NewAccount;
use msme::core::listing::ListingInput;
use msme::core::rbac::Actor;
use msme::core::types::{ListingId, UserId};
use msme::{Platform, RequestMeta};

const CREATES: usize = 2_000;
const FETCHES: usize = 20_000;

mod common;

fn main() {
    common::run("msme listing benchmark", run());
}

async fn run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sqlite = common::sqlite(&dir).await;
    measure("sqlite", sqlite).await;
    if let Some((db, pg)) = common::postgres().await {
        measure("postgres", pg).await;
        db.drop_now().await;
    }
}

async fn measure(backend: &str, db: Database) {
    let p = common::platform(&db);
    let account = NewAccount::parse(
        "Bench Seller",
        "9000000101",
        None,
        "bench-password-1",
        "seller",
    )
    .expect("account");
    let made = p
        .users()
        .create(&RequestMeta::default(), &Actor::operator(), account)
        .await;
    let seller = made.expect("seller").user.id;
    let start = Instant::now();
    let ids = create_all(&p, &seller).await;
    common::report(
        &format!("listing create ({backend}, durable, 3 fiscal years each)"),
        ids.len(),
        start.elapsed(),
    );
    let start = Instant::now();
    for i in 0..FETCHES {
        p.listings()
            .get(&Actor::operator(), &ids[i % ids.len()])
            .await
            .expect("fetch");
    }
    common::report(
        &format!("listing fetch by id ({backend}, full view, 1 client)"),
        FETCHES,
        start.elapsed(),
    );
    let clients = 8;
    let start = Instant::now();
    fetch_concurrently(&p, &ids, clients).await;
    common::report(
        &format!("listing fetch by id ({backend}, {clients} clients)"),
        FETCHES,
        start.elapsed(),
    );
}

/// Creates the demo generator's listings, each in its own transaction, a quarter at a time.
async fn create_all(p: &Platform, seller: &UserId) -> Vec<ListingId> {
    let inputs: Vec<ListingInput> = msme::demo::generate(7, CREATES)
        .listings
        .into_iter()
        .map(|l| l.input)
        .collect();
    let mut ids = Vec::with_capacity(CREATES);
    for chunk in inputs.chunks(CREATES / 4) {
        let tasks: Vec<_> = chunk
            .iter()
            .cloned()
            .map(|input| {
                let (p, seller) = (p.clone(), seller.clone());
                tokio::spawn(async move {
                    let rows = [(1, input)];
                    let made = p
                        .listings()
                        .import(
                            &RequestMeta::default(),
                            &Actor::operator(),
                            &seller,
                            &rows,
                            false,
                        )
                        .await;
                    made.expect("create")
                        .listings
                        .into_iter()
                        .map(|(_, id)| id)
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for t in tasks {
            ids.extend(t.await.expect("task"));
        }
    }
    ids
}

async fn fetch_concurrently(p: &Platform, ids: &[ListingId], clients: usize) {
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let (p, ids) = (p.clone(), ids.to_vec());
            tokio::spawn(async move {
                for i in 0..FETCHES / clients {
                    let id = &ids[(i * clients + c) % ids.len()];
                    p.listings()
                        .get(&Actor::operator(), id)
                        .await
                        .expect("fetch");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
}
