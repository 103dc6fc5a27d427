//! # msme
//!
//! The MSME Exchange SDK: a marketplace where Indian micro, small and medium enterprises are
//! bought and sold. This facade re-exports the domain ([`core`]) and the backends
//! ([`backends`]), so an application needs one dependency.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use msme::backends::{init, open_platform, Overrides, Settings};
//! let settings = Settings::load(&Overrides { data_dir: Some("./msme-data".into()), database_url: None })?;
//! init(&settings)?;
//! let platform = open_platform(&Settings::load(&Overrides { data_dir: Some("./msme-data".into()), database_url: None })?).await?;
//! platform.store().health().await?;
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]

pub use msme_backends as backends;
pub use msme_core as core;
pub use msme_core::{Platform, RequestMeta};
