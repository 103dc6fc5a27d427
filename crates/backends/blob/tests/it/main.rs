//! The blob stores: a directory, and S3 against a real S3-compatible server.
//!
//! One test binary for the crate (each file a module): every extra binary links the whole
//! dependency tree again, which costs build time and disk.

mod fs;
mod s3;
