//! [`FsBlobStore`]: one file per key under a root directory.

use std::fs::{self, File};
use std::io::{self, ErrorKind, Write};
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use msme_core::ports::{BlobError, BlobStore};

use crate::key::{self, Shown};

const BACKEND: &str = "fs";

/// Blobs as files under `root`: key `documents/42` is the file `root/documents/42`.
///
/// A write goes to a temporary dot-file in the target's directory, is fsynced, renamed over the
/// target and the directory fsynced, so a reader sees the old blob or the new one, never part of
/// one, and a crash leaves at most a dot-file (which [`BlobStore::list`] skips). Empty
/// directories left by [`BlobStore::delete`] are removed. Unlike S3, a key cannot be both a blob
/// and a directory: writing `a/b` while `a` is a blob fails.
#[derive(Debug, Clone)]
pub struct FsBlobStore {
    root: PathBuf,
}

impl FsBlobStore {
    /// A store rooted at `root`. Touches nothing yet: directories are made on the first write.
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    /// The directory that holds the blobs.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path_of(&self, key: &str) -> PathBuf {
        key.split('/')
            .fold(self.root.clone(), |path, s| path.join(s))
    }

    /// Runs blocking file-system work on tokio's blocking pool.
    async fn blocking<T: Send + 'static>(
        &self,
        op: &'static str,
        key: &str,
        work: impl FnOnce() -> io::Result<T> + Send + 'static,
    ) -> Result<T, BlobError> {
        let joined = tokio::task::spawn_blocking(work).await;
        let result = joined.unwrap_or_else(|e| Err(io::Error::other(e)));
        result.map_err(|e| error(op, key, e))
    }
}

fn error(op: &'static str, key: &str, source: impl Into<msme_core::error::BoxError>) -> BlobError {
    BlobError {
        backend: BACKEND,
        op,
        key: Shown(key).to_string(),
        source: source.into(),
    }
}

/// A key that names no blob because a directory is in the way, one way or the other.
fn is_absent(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::NotFound | ErrorKind::IsADirectory | ErrorKind::NotADirectory
    )
}

#[async_trait]
impl BlobStore for FsBlobStore {
    fn name(&self) -> &'static str {
        BACKEND
    }

    async fn put(&self, key: &str, bytes: Vec<u8>, _content_type: &str) -> Result<(), BlobError> {
        key::check_key(key).map_err(|e| error("put", key, e))?;
        let path = self.path_of(key);
        self.blocking("put", key, move || write_atomically(&path, &bytes))
            .await
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BlobError> {
        key::check_key(key).map_err(|e| error("get", key, e))?;
        match tokio::fs::read(self.path_of(key)).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if is_absent(&e) => Ok(None),
            Err(e) => Err(error("get", key, e)),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        key::check_key(key).map_err(|e| error("delete", key, e))?;
        let (root, path) = (self.root.clone(), self.path_of(key));
        self.blocking("delete", key, move || remove_and_prune(&root, &path))
            .await
    }

    async fn list(&self, prefix: &str) -> Result<Vec<String>, BlobError> {
        key::check_prefix(prefix).map_err(|e| error("list", prefix, e))?;
        let (dir, _) = key::split_prefix(prefix);
        let start = if dir.is_empty() {
            self.root.clone()
        } else {
            self.path_of(dir)
        };
        let (dir, prefix_owned) = (dir.to_owned(), prefix.to_owned());
        let mut keys = self
            .blocking("list", prefix, move || {
                let mut keys = Vec::new();
                walk(&start, &dir, &mut keys)?;
                keys.retain(|k| k.starts_with(&prefix_owned));
                Ok(keys)
            })
            .await?;
        keys.sort();
        Ok(keys)
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().expect("a key path is under the root");
    // A concurrent delete may prune the directory between creating it and creating the
    // temporary file in it; it cannot once the file is there, so one retry is enough.
    let mut temp = match create_temp_in(dir) {
        Err(e) if e.kind() == ErrorKind::NotFound => create_temp_in(dir)?,
        other => other?,
    };
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    // On failure the returned temporary file is dropped, which removes it.
    temp.persist(path).map_err(|e| e.error)?;
    File::open(dir)?.sync_all()
}

fn create_temp_in(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    fs::create_dir_all(dir)?;
    tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)
}

/// Removes the file at `path` if it is there, then every directory above it that is left empty,
/// up to (not including) `root`.
fn remove_and_prune(root: &Path, path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if is_absent(&e) => return Ok(()),
        Err(e) => return Err(e),
    }
    let mut dir = path.parent();
    while let Some(d) = dir.filter(|d| *d != root && d.starts_with(root)) {
        // Fails (and stops) at the first directory that is not empty, which is the usual case.
        if fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

/// Collects the keys of the files under `dir`, whose key prefix is `key_dir` (no trailing `/`).
/// Skips dot-files (temporary files, never keys), symbolic links and names that are not UTF-8.
fn walk(dir: &Path, key_dir: &str, keys: &mut Vec<String>) -> io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if is_absent(&e) => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let key = if key_dir.is_empty() {
            name
        } else {
            format!("{key_dir}/{name}")
        };
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&entry.path(), &key, keys)?;
        } else if kind.is_file() {
            keys.push(key);
        }
    }
    Ok(())
}
