//! The SMS channels against local servers that check the providers' documented requests.
//!
//! One test binary for the crate (each file a module): every extra binary links the whole
//! dependency tree again, which costs build time and disk.

mod common;

mod msg91;
mod twilio;
