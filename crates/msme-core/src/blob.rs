use async_trait::async_trait;

use crate::error::BoxError;

/// Failure of a blob store. Never carries credentials.
#[derive(Debug, thiserror::Error)]
#[error("blob store ({backend}) failed to {op} `{key}`")]
pub struct BlobError {
    pub backend: &'static str,
    pub op: &'static str,
    pub key: String,
    #[source]
    pub source: BoxError,
}

/// Where file contents live: a directory under the data dir, or an S3 bucket.
/// Keys are `/`-separated, made by the core (`documents/<id>`), never from user input.
#[async_trait]
pub trait BlobStore: Send + Sync {
    fn name(&self) -> &'static str;
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError>;
    /// `None` when there is no such blob.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BlobError>;
    /// Succeeds when the blob is already gone.
    async fn delete(&self, key: &str) -> Result<(), BlobError>;
    /// Every key that starts with `prefix`, for sweeping orphans.
    async fn list(&self, prefix: &str) -> Result<Vec<String>, BlobError>;
}
