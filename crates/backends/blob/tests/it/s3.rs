//! The blob contract on [`S3BlobStore`] against a real S3-compatible server.
//!
//! Set `MSME_TEST_S3_ENDPOINT` (e.g. `eval "$(bash .ci/start-s3.sh)"`, which starts moto). Each
//! test gets a fresh bucket. Unset, the suite fails under CI and is skipped elsewhere.

use std::io::Write;
use std::sync::Once;

use msme_blob::{S3BlobStore, S3Config};
use msme_core::ports::BlobStore;
use msme_core::types::Secret;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path;
use object_store::{Attribute, ObjectStoreExt};

const SECRET: &str = "test-secret-do-not-print-4f1c";

fn config(endpoint: &str, bucket: &str) -> S3Config {
    S3Config {
        endpoint: Some(endpoint.to_owned()),
        region: "ap-south-1".to_owned(),
        bucket: bucket.to_owned(),
        access_key_id: "msme-test".to_owned(),
        secret_access_key: Secret::new(SECRET),
        allow_http: endpoint.starts_with("http://"),
    }
}

/// The test server's URL; `None` (after saying so) when the suite is to be skipped.
fn endpoint() -> Option<String> {
    match std::env::var("MSME_TEST_S3_ENDPOINT") {
        Ok(url) if !url.is_empty() => Some(url.trim_end_matches('/').to_owned()),
        _ if std::env::var_os("CI").is_some() => {
            panic!("CI is set but MSME_TEST_S3_ENDPOINT is not: run `eval \"$(bash .ci/start-s3.sh)\"` first")
        }
        _ => {
            static SAID: Once = Once::new();
            SAID.call_once(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "S3 suite skipped: set MSME_TEST_S3_ENDPOINT"
                );
            });
            None
        }
    }
}

/// Creates a bucket with a fresh name. The test server accepts unsigned requests.
async fn create_bucket(endpoint: &str) -> String {
    let bucket = format!("msme-test-{}", uuid::Uuid::new_v4().simple());
    let body = "<CreateBucketConfiguration><LocationConstraint>ap-south-1</LocationConstraint>\
                </CreateBucketConfiguration>";
    let response = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("creating bucket at {endpoint}: {e}"));
    let status = response.status();
    assert!(
        status.is_success(),
        "creating bucket: {status}: {}",
        response.text().await.unwrap_or_default()
    );
    bucket
}

/// A store on a fresh bucket; the guard is the bucket's name (buckets live as long as the server).
async fn open() -> Option<(String, Box<dyn BlobStore>)> {
    let endpoint = endpoint()?;
    let bucket = create_bucket(&endpoint).await;
    let store = S3BlobStore::new(config(&endpoint, &bucket)).expect("S3 store");
    Some((bucket, Box::new(store)))
}

msme_blob::blob_contract_tests!(open);

#[tokio::test]
async fn debug_never_prints_the_secret() {
    let store = S3BlobStore::new(config("http://127.0.0.1:9", "docs")).unwrap();
    let shown = format!("{store:?}");
    assert!(shown.contains("docs"), "{shown}");
    assert!(!shown.contains(SECRET), "{shown}");
}

#[tokio::test]
async fn an_unreachable_server_is_an_error_without_the_secret() {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    let store = S3BlobStore::new(config("http://127.0.0.1:9", "docs")).unwrap();
    let err = store.get("documents/1").await.expect_err("not a miss");
    let text = format!("{err} {err:?} {}", std::error::Error::source(&err).unwrap());
    assert_eq!((err.backend, err.op), ("s3", "get"));
    assert!(!text.contains(SECRET), "{text}");
    let err = store
        .put("documents/1", vec![1], "image/png")
        .await
        .unwrap_err();
    assert!(!format!("{err:?}").contains(SECRET));
}

#[tokio::test]
async fn a_missing_bucket_is_an_error_not_a_missing_blob() {
    let Some(endpoint) = endpoint() else { return };
    let store = S3BlobStore::new(config(&endpoint, "msme-test-no-such-bucket")).unwrap();
    let result = store.get("documents/1").await;
    assert!(result.is_err(), "{result:?}");
    assert!(store.delete("documents/1").await.is_err());
    assert!(store.list("documents/").await.is_err());
}

#[tokio::test]
async fn uploads_carry_their_content_type() {
    let Some(endpoint) = endpoint() else { return };
    let bucket = create_bucket(&endpoint).await;
    let store = S3BlobStore::new(config(&endpoint, &bucket)).unwrap();
    store
        .put("documents/1", b"%PDF".to_vec(), "application/pdf")
        .await
        .unwrap();
    // Read it back signed, straight through object_store: the bucket is private.
    let direct = AmazonS3Builder::new()
        .with_endpoint(&endpoint)
        .with_allow_http(true)
        .with_region("ap-south-1")
        .with_bucket_name(&bucket)
        .with_access_key_id("msme-test")
        .with_secret_access_key(SECRET)
        .build()
        .unwrap();
    let found = direct.get(&Path::from("documents/1")).await.unwrap();
    let content_type = found.attributes.get(&Attribute::ContentType).cloned();
    assert_eq!(content_type.as_deref(), Some("application/pdf"));
}
