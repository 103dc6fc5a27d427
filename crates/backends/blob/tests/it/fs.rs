//! The blob contract on [`FsBlobStore`], plus what only a directory store can show.

use std::path::Path;

use msme_blob::FsBlobStore;
use msme_core::ports::BlobStore;
use tempfile::TempDir;

/// A store rooted in a fresh temporary directory's `blobs/` (not yet created).
async fn open() -> Option<(TempDir, Box<dyn BlobStore>)> {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = FsBlobStore::new(dir.path().join("blobs"));
    Some((dir, Box::new(store)))
}

msme_blob::blob_contract_tests!(open);

#[tokio::test]
async fn the_whole_contract_in_order_on_one_store() {
    let (_dir, store) = open().await.unwrap();
    msme_blob::contract::run_contract(&*store).await;
}

/// Every file under `dir`, as paths relative to it, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                let rel = entry.path().strip_prefix(dir).unwrap().to_owned();
                out.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

#[tokio::test]
async fn keys_are_files_under_the_root_and_nothing_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let store = FsBlobStore::new(dir.path().join("blobs"));
    store
        .put("documents/42", b"pan card".to_vec(), "image/png")
        .await
        .unwrap();
    for key in ["../outside", "documents/../../outside", "/tmp/outside"] {
        assert!(store.put(key, b"x".to_vec(), "text/plain").await.is_err());
    }
    assert_eq!(files_under(dir.path()), ["blobs/documents/42"]);
    assert_eq!(
        std::fs::read(dir.path().join("blobs/documents/42")).unwrap(),
        b"pan card"
    );
}

#[tokio::test]
async fn a_failed_write_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let store = FsBlobStore::new(dir.path().to_path_buf());
    store
        .put("documents/7/page-1", b"x".to_vec(), "image/png")
        .await
        .unwrap();
    // `documents/7` is a directory, so a blob cannot take its name: the rename fails.
    let err = store
        .put("documents/7", b"y".to_vec(), "image/png")
        .await
        .unwrap_err();
    assert_eq!(
        (err.backend, err.op, err.key.as_str()),
        ("fs", "put", "documents/7")
    );
    assert_eq!(files_under(dir.path()), ["documents/7/page-1"]);
}

#[tokio::test]
async fn delete_removes_directories_it_empties() {
    let dir = tempfile::tempdir().unwrap();
    let store = FsBlobStore::new(dir.path().to_path_buf());
    store
        .put("documents/9/a/b/c", b"x".to_vec(), "text/plain")
        .await
        .unwrap();
    store
        .put("documents/keep", b"x".to_vec(), "text/plain")
        .await
        .unwrap();
    store.delete("documents/9/a/b/c").await.unwrap();
    assert!(!dir.path().join("documents/9").exists());
    assert!(dir.path().join("documents").is_dir());
    assert!(dir.path().exists(), "the root itself stays");
}

#[tokio::test]
async fn leftover_temporary_files_are_not_listed() {
    let dir = tempfile::tempdir().unwrap();
    let store = FsBlobStore::new(dir.path().to_path_buf());
    store
        .put("documents/1", b"x".to_vec(), "text/plain")
        .await
        .unwrap();
    // What a crash between create and rename leaves.
    std::fs::write(dir.path().join("documents/.tmp-crashed"), b"half").unwrap();
    assert_eq!(store.list("").await.unwrap(), ["documents/1"]);
}

#[tokio::test]
async fn a_missing_root_lists_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = FsBlobStore::new(dir.path().join("not-yet"));
    assert_eq!(store.list("").await.unwrap(), Vec::<String>::new());
    assert_eq!(store.get("documents/1").await.unwrap(), None);
    store.delete("documents/1").await.unwrap();
}
