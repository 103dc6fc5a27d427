//! [`S3BlobStore`]: blobs in an S3 bucket, through `object_store`.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use futures_util::TryStreamExt;
use msme_core::ports::{BlobError, BlobStore};
use msme_core::types::Secret;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{
    Attribute, Attributes, ObjectStore, ObjectStoreExt, PutOptions, PutPayload, RetryConfig,
};

use crate::key::{self, Shown};
use crate::{Message, S3Config};

const BACKEND: &str = "s3";

/// Blobs in one S3 bucket (AWS, or an S3-compatible server at [`S3Config::endpoint`]).
///
/// Transient failures are retried up to 3 times within 30 seconds (object_store's defaults are 10
/// times within 3 minutes), so an upload to an unreachable bucket fails while its request is
/// still worth answering. `Debug` and every error leave the secret key out.
pub struct S3BlobStore {
    store: AmazonS3,
    bucket: String,
    endpoint: Option<String>,
    secret: Secret,
}

impl fmt::Debug for S3BlobStore {
    // object_store's own `Debug` for `AmazonS3` prints the credentials: never delegate to it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3BlobStore")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl S3BlobStore {
    /// A store on `config.bucket`, which must exist. Makes no request yet; fails only on settings
    /// that cannot work (such as a malformed endpoint URL).
    pub fn new(config: S3Config) -> Result<Self, BlobError> {
        let mut builder = AmazonS3Builder::new()
            .with_region(&config.region)
            .with_bucket_name(&config.bucket)
            .with_access_key_id(&config.access_key_id)
            .with_secret_access_key(config.secret_access_key.expose())
            .with_allow_http(config.allow_http)
            .with_retry(RetryConfig {
                max_retries: 3,
                retry_timeout: Duration::from_secs(30),
                ..RetryConfig::default()
            });
        if let Some(endpoint) = &config.endpoint {
            // Path-style: S3-compatible servers (and `127.0.0.1`) have no per-bucket host names.
            builder = builder
                .with_endpoint(endpoint)
                .with_virtual_hosted_style_request(false);
        }
        let store = builder.build().map_err(|e| BlobError {
            backend: BACKEND,
            op: "open bucket",
            key: config.bucket.clone(),
            source: redact(&e, &config.secret_access_key).into(),
        })?;
        Ok(Self {
            store,
            bucket: config.bucket,
            endpoint: config.endpoint,
            secret: config.secret_access_key,
        })
    }

    fn error(&self, op: &'static str, key: &str, e: &dyn StdError) -> BlobError {
        BlobError {
            backend: BACKEND,
            op,
            key: Shown(key).to_string(),
            source: redact(e, &self.secret).into(),
        }
    }

    fn path(&self, op: &'static str, key: &str) -> Result<Path, BlobError> {
        key::check_key(key).map_err(|e| self.error(op, key, &e))?;
        Path::parse(key).map_err(|e| self.error(op, key, &e))
    }
}

/// object_store reports a missing bucket as it does a missing object (both are HTTP 404 to it);
/// only S3's error code in the response body, which its message carries, tells them apart. A
/// missing bucket is a misconfiguration, never "no such blob".
fn is_missing_blob(e: &object_store::Error) -> bool {
    matches!(e, object_store::Error::NotFound { .. }) && !e.to_string().contains("NoSuchBucket")
}

/// The error's whole chain as one message, with the secret cut out wherever it appears (no
/// object_store error is known to carry it; this makes sure none ever does).
fn redact(e: &dyn StdError, secret: &Secret) -> Message {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text = format!("{text}: {cause_text}");
        }
        source = cause.source();
    }
    if !secret.expose().is_empty() {
        text = text.replace(secret.expose(), "[redacted]");
    }
    Message(text)
}

#[async_trait]
impl BlobStore for S3BlobStore {
    fn name(&self) -> &'static str {
        BACKEND
    }

    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError> {
        let path = self.path("put", key)?;
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, content_type.to_owned().into());
        let options = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        self.store
            .put_opts(&path, PutPayload::from(bytes), options)
            .await
            .map_err(|e| self.error("put", key, &e))?;
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BlobError> {
        let path = self.path("get", key)?;
        let found = match self.store.get(&path).await {
            Ok(found) => found,
            Err(e) if is_missing_blob(&e) => return Ok(None),
            Err(e) => return Err(self.error("get", key, &e)),
        };
        let bytes = found
            .bytes()
            .await
            .map_err(|e| self.error("get", key, &e))?;
        Ok(Some(bytes.into()))
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        let path = self.path("delete", key)?;
        match self.store.delete(&path).await {
            Ok(()) => Ok(()),
            Err(e) if is_missing_blob(&e) => Ok(()),
            Err(e) => Err(self.error("delete", key, &e)),
        }
    }

    async fn list(&self, prefix: &str) -> Result<Vec<String>, BlobError> {
        key::check_prefix(prefix).map_err(|e| self.error("list", prefix, &e))?;
        // object_store lists whole segments (`a/b` does not match `a/bc`): list the directory
        // part and keep the keys that start with the full prefix.
        let (dir, _) = key::split_prefix(prefix);
        let dir = (!dir.is_empty())
            .then(|| Path::parse(dir))
            .transpose()
            .map_err(|e| self.error("list", prefix, &e))?;
        let objects: Vec<_> = self
            .store
            .list(dir.as_ref())
            .try_collect()
            .await
            .map_err(|e| self.error("list", prefix, &e))?;
        let mut keys: Vec<String> = objects
            .into_iter()
            .map(|meta| meta.location.to_string())
            .filter(|k| k.starts_with(prefix))
            .collect();
        keys.sort();
        Ok(keys)
    }
}
