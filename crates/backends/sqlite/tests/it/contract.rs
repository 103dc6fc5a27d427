//! The storage contract suite and the flow cases, run on SQLite.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use msme_contract::flow_fixtures::{FlowStore, SandboxBooks};
use msme_sqlite::SqliteStore;
use rusqlite::Connection;
use tempfile::TempDir;

/// Keeps each test's directory alive while the test uses its store. Kept under cargo's
/// target tmp dir, so what outlives the run stays in `target/`, not in `/tmp`.
static DIRS: Mutex<Vec<TempDir>> = Mutex::new(Vec::new());

/// A fresh store, and the path of its file.
async fn store_and_path() -> (SqliteStore, PathBuf) {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let path = dir.path().join("msme.db");
    let store = SqliteStore::open(&path).await.expect("open a fresh store");
    DIRS.lock().unwrap_or_else(|e| e.into_inner()).push(dir);
    (store, path)
}

async fn fresh_store() -> Arc<SqliteStore> {
    Arc::new(store_and_path().await.0)
}

/// The sandbox gateway's rows in the store's file, on a connection of their own.
struct Books(PathBuf);

impl Books {
    fn connection(&self) -> Connection {
        Connection::open(&self.0).expect("open the store's file")
    }
}

#[async_trait::async_trait]
impl SandboxBooks for Books {
    async fn count(&self, kind: &str, status: &str) -> i64 {
        let sql = "SELECT count(*) FROM sandbox_objects WHERE kind = ?1 AND status = ?2";
        let count = self
            .connection()
            .query_row(sql, (kind, status), |r| r.get(0));
        count.expect("count sandbox objects")
    }

    async fn take_off(&self, kind: &str, paise: i64) {
        let sql = "UPDATE sandbox_objects SET amount = amount - ?2 WHERE kind = ?1";
        self.connection()
            .execute(sql, (kind, paise))
            .expect("tamper");
    }

    async fn set_status(&self, kind: &str, status: &str) {
        let sql = "UPDATE sandbox_objects SET status = ?2 WHERE kind = ?1";
        self.connection()
            .execute(sql, (kind, status))
            .expect("tamper");
    }
}

async fn fresh_flow_store() -> FlowStore {
    let (store, path) = store_and_path().await;
    let store = Arc::new(store);
    FlowStore {
        store: store.clone(),
        sandbox: store,
        books: Box::new(Books(path)),
    }
}

msme_contract::contract_tests!(fresh_store);
msme_contract::flow_tests!(fresh_flow_store);
