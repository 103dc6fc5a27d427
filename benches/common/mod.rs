//! What every benchmark here starts from: a multi-threaded runtime, a scratch SQLite database,
//! a scratch PostgreSQL one when `MSME_TEST_POSTGRES_URL` is set, and a platform on either
//! (with the sandbox gateway on the database's books).
#![allow(dead_code)] // each benchmark uses a different part

use std::future::Future;

use msme::backends::{open_database, Database};
use msme::core::types::Secret;
use msme::core::PlatformBuilder;
use msme::Platform;
use msme_postgres::testing::TestDb;

pub const SECRET: &str = "bench secret that is long enough for HS256 keys";

/// Runs the benchmark to its end on a multi-threaded runtime.
pub fn run(bench: impl Future<Output = ()>) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(bench);
}

pub fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// A fresh SQLite database in `dir`.
pub async fn sqlite(dir: &tempfile::TempDir) -> Database {
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    open_database(&url).await.expect("sqlite")
}

/// A scratch PostgreSQL database (drop it with `drop_now`), or `None`, said, without
/// `MSME_TEST_POSTGRES_URL`.
pub async fn postgres() -> Option<(TestDb, Database)> {
    let Ok(url) = std::env::var("MSME_TEST_POSTGRES_URL") else {
        println!("postgres: skipped (set MSME_TEST_POSTGRES_URL)");
        return None;
    };
    let db = TestDb::create(&url).await;
    let opened = open_database(&db.url).await.expect("postgres");
    Some((db, opened))
}

/// A platform on `db` with the sandbox gateway, to add to before `build`.
pub fn builder(db: &Database) -> PlatformBuilder {
    Platform::builder(db.store.clone(), Secret::new(SECRET)).gateway(db.sandbox_gateway())
}

/// [`builder`], built.
pub fn platform(db: &Database) -> Platform {
    builder(db).build().expect("platform")
}
