//! Blob stores for the MSME Exchange: where uploaded documents and images live.
//!
//! Two implementations of [`msme_core::ports::BlobStore`]:
//! - [`FsBlobStore`], the default: one file per key under a directory in the data dir, written
//!   atomically (temporary file, fsync, rename).
//! - [`S3BlobStore`]: an S3 bucket (AWS or any S3-compatible server) through `object_store`,
//!   configured by [`S3Config`], usually read from the environment by [`S3Config::from_env`].
//!
//! Both refuse the same unsafe keys (see [`key`]), so a key that works on one works on the other.
//! The `contract` feature exposes [`contract`], the one suite that every store's tests run.

#![forbid(unsafe_code)]

mod config;
#[cfg(feature = "contract")]
pub mod contract;
mod fs;
pub mod key;
mod s3;

pub use config::S3Config;
pub use fs::FsBlobStore;
pub use s3::S3BlobStore;

/// An error whose whole text is a message; used where the cause must be rewritten (to drop a
/// secret) or where there is no lower-level cause.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct Message(pub(crate) String);
