//! The storage contract suite, run on SQLite.

use std::sync::{Arc, Mutex};

use msme_sqlite::SqliteStore;
use tempfile::TempDir;

/// Keeps each test's directory alive while the test uses its store. Kept under cargo's
/// target tmp dir, so what outlives the run stays in `target/`, not in `/tmp`.
static DIRS: Mutex<Vec<TempDir>> = Mutex::new(Vec::new());

async fn fresh_store() -> Arc<SqliteStore> {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("msme.db"))
        .await
        .expect("open a fresh store");
    DIRS.lock().unwrap_or_else(|e| e.into_inner()).push(dir);
    Arc::new(store)
}

msme_contract::contract_tests!(fresh_store);
