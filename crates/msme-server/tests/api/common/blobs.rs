//! A tiny blob store over a directory, for tests only: the real one lives in its own crate and
//! is not what these tests are about.

use std::path::PathBuf;

use msme_core::ports::{BlobError, BlobStore};

/// Files under `root`, one per key.
pub struct DirBlobs {
    pub root: PathBuf,
}

impl DirBlobs {
    fn path(&self, key: &str) -> PathBuf {
        self.root.join(key)
    }
}

fn failed(op: &'static str, key: &str, e: std::io::Error) -> BlobError {
    BlobError {
        backend: "test-dir",
        op,
        key: key.to_string(),
        source: Box::new(e),
    }
}

#[async_trait::async_trait]
impl BlobStore for DirBlobs {
    fn name(&self) -> &'static str {
        "test-dir"
    }

    async fn put(&self, key: &str, bytes: Vec<u8>, _content_type: &str) -> Result<(), BlobError> {
        let path = self.path(key);
        let dir = path.parent().expect("keys have a folder").to_path_buf();
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| failed("put", key, e))?;
        tokio::fs::write(path, bytes)
            .await
            .map_err(|e| failed("put", key, e))
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BlobError> {
        match tokio::fs::read(self.path(key)).await {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(failed("get", key, e)),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        match tokio::fs::remove_file(self.path(key)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(failed("delete", key, e)),
            _ => Ok(()),
        }
    }

    async fn list(&self, prefix: &str) -> Result<Vec<String>, BlobError> {
        let dir = self.path("documents");
        let mut keys = Vec::new();
        if let Ok(mut entries) = tokio::fs::read_dir(dir).await {
            while let Ok(Some(e)) = entries.next_entry().await {
                let key = format!("documents/{}", e.file_name().to_string_lossy());
                if key.starts_with(prefix) {
                    keys.push(key);
                }
            }
        }
        Ok(keys)
    }
}
