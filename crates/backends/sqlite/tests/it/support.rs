//! What the SQLite tests share: a store file of their own, and the store on it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use msme_core::ports::Store;
use msme_sqlite::SqliteStore;
use tempfile::TempDir;

/// A fresh directory and the path of a store file in it (not created yet). The directory goes
/// when the `TempDir` is dropped, so a test keeps it as long as it uses the file.
pub fn db_file() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("msme.db");
    (dir, path)
}

/// The store on the file at `path`, created and migrated if need be.
pub async fn open(path: &Path) -> Arc<dyn Store> {
    Arc::new(SqliteStore::open(path).await.expect("open"))
}
