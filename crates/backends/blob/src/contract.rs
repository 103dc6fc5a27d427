//! The blob contract: what every [`BlobStore`] must do, written once and run on each store.
//!
//! Each case works under its own `contract/<case>/` prefix and panics on a broken promise. A
//! store's test file runs every case as its own test with [`crate::blob_contract_tests!`], or all
//! of them in order with [`run_contract`].

use futures_util::future::join_all;
use msme_core::ports::BlobStore;

/// Every case, in order, on one store, which must start empty.
pub async fn run_contract(store: &dyn BlobStore) {
    list_everything(store).await;
    round_trip_all_byte_values(store).await;
    overwrite_replaces(store).await;
    get_missing_is_none(store).await;
    delete_is_idempotent(store).await;
    list_by_prefix(store).await;
    large_blob(store).await;
    nested_keys(store).await;
    concurrent_writes_are_whole(store).await;
    refuses_unsafe_keys(store).await;
}

/// Defines one `#[tokio::test]` per contract case. `$open` is an async fn returning
/// `Option<(guard, store)>`: the guard (a temporary directory, a bucket) lives as long as the
/// test, the store derefs to `dyn BlobStore`, and `None` skips the case (the opener says why).
#[macro_export]
macro_rules! blob_contract_tests {
    ($open:path) => {
        $crate::blob_contract_tests!(@cases $open;
            list_everything, round_trip_all_byte_values, overwrite_replaces, get_missing_is_none,
            delete_is_idempotent, list_by_prefix, large_blob, nested_keys,
            concurrent_writes_are_whole, refuses_unsafe_keys);
    };
    (@cases $open:path; $($case:ident),*) => {$(
        #[tokio::test]
        async fn $case() {
            let Some((_guard, store)) = $open().await else { return };
            $crate::contract::$case(&*store).await;
        }
    )*};
}

async fn put(store: &dyn BlobStore, key: &str, bytes: &[u8]) {
    let name = store.name();
    store
        .put(key, bytes.to_vec(), "application/octet-stream")
        .await
        .unwrap_or_else(|e| panic!("{name}: put {key}: {e}"));
}

async fn get(store: &dyn BlobStore, key: &str) -> Option<Vec<u8>> {
    let name = store.name();
    store
        .get(key)
        .await
        .unwrap_or_else(|e| panic!("{name}: get {key}: {e}"))
}

async fn list(store: &dyn BlobStore, prefix: &str) -> Vec<String> {
    let name = store.name();
    let mut keys = store
        .list(prefix)
        .await
        .unwrap_or_else(|e| panic!("{name}: list {prefix:?}: {e}"));
    keys.sort();
    keys
}

/// On an empty store, listing the empty prefix returns exactly the keys written.
pub async fn list_everything(store: &dyn BlobStore) {
    assert_eq!(
        list(store, "").await,
        Vec::<String>::new(),
        "store not empty"
    );
    put(store, "contract/everything/one", b"1").await;
    put(store, "contract/everything/deeper/two", b"2").await;
    assert_eq!(
        list(store, "").await,
        ["contract/everything/deeper/two", "contract/everything/one"]
    );
    for key in ["contract/everything/one", "contract/everything/deeper/two"] {
        store.delete(key).await.expect("delete");
    }
    assert_eq!(list(store, "").await, Vec::<String>::new());
}

/// Binary data comes back byte for byte, every byte value included; so does an empty blob.
pub async fn round_trip_all_byte_values(store: &dyn BlobStore) {
    let all: Vec<u8> = (0..=255).collect();
    put(store, "contract/bytes/all", &all).await;
    assert_eq!(get(store, "contract/bytes/all").await, Some(all));
    put(store, "contract/bytes/empty", b"").await;
    assert_eq!(get(store, "contract/bytes/empty").await, Some(vec![]));
}

/// A second put replaces the blob whole, even with shorter contents.
pub async fn overwrite_replaces(store: &dyn BlobStore) {
    put(
        store,
        "contract/overwrite/doc",
        b"the first, longer version",
    )
    .await;
    put(store, "contract/overwrite/doc", b"second").await;
    assert_eq!(
        get(store, "contract/overwrite/doc").await.as_deref(),
        Some(&b"second"[..])
    );
    assert_eq!(
        list(store, "contract/overwrite/").await,
        ["contract/overwrite/doc"]
    );
}

/// A key never written reads as `None`, including one that is only a prefix of other keys.
pub async fn get_missing_is_none(store: &dyn BlobStore) {
    assert_eq!(get(store, "contract/missing/never-written").await, None);
    put(store, "contract/missing/dir/child", b"x").await;
    assert_eq!(get(store, "contract/missing/dir").await, None);
    assert_eq!(
        get(store, "contract/missing/dir/child/grandchild").await,
        None
    );
}

/// Delete removes the blob and succeeds again when it is gone or was never there.
pub async fn delete_is_idempotent(store: &dyn BlobStore) {
    put(store, "contract/delete/doc", b"x").await;
    store.delete("contract/delete/doc").await.expect("delete");
    assert_eq!(get(store, "contract/delete/doc").await, None);
    assert_eq!(list(store, "contract/delete/").await, Vec::<String>::new());
    store
        .delete("contract/delete/doc")
        .await
        .expect("delete again");
    store
        .delete("contract/delete/never")
        .await
        .expect("delete missing");
    store
        .delete("contract/delete/no/such/dir")
        .await
        .expect("delete deep");
}

/// List returns exactly the keys that start with the prefix, which need not end at a `/`.
pub async fn list_by_prefix(store: &dyn BlobStore) {
    let keys = [
        "contract/list/a/1",
        "contract/list/a/2",
        "contract/list/a/sub/3",
        "contract/list/ab/4",
        "contract/list/b/5",
    ];
    for key in keys {
        put(store, key, key.as_bytes()).await;
    }
    assert_eq!(list(store, "contract/list/").await, keys);
    assert_eq!(list(store, "contract/list/a/").await, keys[..3]);
    assert_eq!(list(store, "contract/list/a").await, keys[..4]);
    assert_eq!(list(store, "contract/list/a/sub/").await, keys[2..3]);
    assert_eq!(list(store, "contract/list/b/5").await, keys[4..]);
    assert_eq!(list(store, "contract/list/c").await, Vec::<String>::new());
    assert_eq!(list(store, "contract/nothing/").await, Vec::<String>::new());
}

/// A 5 MiB blob (a large scanned document) round-trips intact.
pub async fn large_blob(store: &dyn BlobStore) {
    let big: Vec<u8> = (0..5 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    put(store, "contract/large/scan.pdf", &big).await;
    let back = get(store, "contract/large/scan.pdf")
        .await
        .expect("present");
    assert_eq!(back.len(), big.len());
    assert!(back == big, "5 MiB blob came back altered");
}

/// Deeply nested keys work, and deleting one leaves its siblings and lets the path be reused.
pub async fn nested_keys(store: &dyn BlobStore) {
    let deep = "contract/nested/a/b/c/d/e/report.pdf";
    put(store, deep, b"deep").await;
    put(store, "contract/nested/a/sibling", b"sib").await;
    assert_eq!(get(store, deep).await.as_deref(), Some(&b"deep"[..]));
    store.delete(deep).await.expect("delete deep");
    assert_eq!(
        list(store, "contract/nested/").await,
        ["contract/nested/a/sibling"]
    );
    assert_eq!(
        get(store, "contract/nested/a/sibling").await.as_deref(),
        Some(&b"sib"[..])
    );
    put(store, "contract/nested/a/b/c/again", b"again").await;
    assert_eq!(
        get(store, "contract/nested/a/b/c/again").await.as_deref(),
        Some(&b"again"[..])
    );
}

/// Concurrent writes to one key leave one writer's contents whole, never a mix.
pub async fn concurrent_writes_are_whole(store: &dyn BlobStore) {
    let versions: Vec<Vec<u8>> = (0..8u8).map(|v| vec![v; 256 * 1024]).collect();
    let writes = versions.iter().map(|v| put(store, "contract/race/doc", v));
    join_all(writes).await;
    let back = get(store, "contract/race/doc").await.expect("present");
    assert!(versions.contains(&back), "a mix of concurrent writes");
    assert_eq!(list(store, "contract/race/").await, ["contract/race/doc"]);
}

/// Keys that could escape the store or differ between stores are refused by every operation.
pub async fn refuses_unsafe_keys(store: &dyn BlobStore) {
    let unsafe_keys = [
        "",
        "/etc/passwd",
        "../escape",
        "contract/../../escape",
        "contract/./x",
        "contract//x",
        "contract/x/",
        "contract/.hidden",
        "contract\\..\\escape",
        "contract/nul\0x",
    ];
    let before = list(store, "").await;
    for key in unsafe_keys {
        let name = store.name();
        assert!(
            store.put(key, b"x".to_vec(), "text/plain").await.is_err(),
            "{name}: put {key:?}"
        );
        assert!(store.get(key).await.is_err(), "{name}: get {key:?}");
        assert!(store.delete(key).await.is_err(), "{name}: delete {key:?}");
    }
    for prefix in ["/", "../", "contract/../", "contract//"] {
        assert!(store.list(prefix).await.is_err(), "list {prefix:?}");
    }
    assert_eq!(list(store, "").await, before, "an unsafe key was written");
}
