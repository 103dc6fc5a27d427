//! What every benchmark here starts from: a multi-threaded runtime, a scratch SQLite database,
//! a scratch PostgreSQL one when `MSME_TEST_POSTGRES_URL` is set, and a platform on either
//! (with the sandbox gateway on the database's books).
#![allow(dead_code)] // each benchmark uses a different part

use std::future::Future;
use std::time::Duration;

use msme::backends::{open_database, Database};
use msme::core::types::Secret;
use msme::core::PlatformBuilder;
use msme::Platform;
use msme_postgres::testing::TestDb;

pub const SECRET: &str = "bench secret that is long enough for HS256 keys";

/// Prints the heading with the machine's CPU count, then runs the benchmark to its end on a
/// multi-threaded runtime.
pub fn run(heading: &str, bench: impl Future<Output = ()>) {
    println!("{heading} ({} CPUs)", cpus());
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

/// The count named by the environment variable `var`, or `default`.
pub fn count_from_env(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One figure: `n` operations in `elapsed`, as a rate and a time each.
pub fn report(what: &str, n: usize, elapsed: Duration) {
    let per_sec = n as f64 / elapsed.as_secs_f64();
    let micros = elapsed.as_secs_f64() * 1e6 / n as f64;
    println!(
        "{what:<64} {per_sec:>10.0} /s {micros:>9.1} µs each ({n} in {:.2}s)",
        elapsed.as_secs_f64()
    );
}

/// One figure given as a rate (a peer's, measured elsewhere in the run).
pub fn report_rate(what: &str, per_sec: f64) {
    println!(
        "{what:<64} {per_sec:>10.0} /s {:>9.1} µs each",
        1e6 / per_sec
    );
}
