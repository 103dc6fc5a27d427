//! # msme
//!
//! The MSME Exchange SDK: a marketplace where Indian micro, small and medium enterprises are
//! bought and sold. This facade re-exports the domain ([`core`]), the backends ([`backends`]),
//! the PDF valuation report ([`report`]) and the demo marketplace generator ([`demo`]), so an
//! application needs one dependency.
//!
//! A marketplace on a SQLite file in a fresh directory: register a seller and sign in.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use msme::backends::{init, open_platform, Overrides, Settings};
//! use msme::core::auth::{LoginId, NewAccount};
//! use msme::core::types::{Mobile, Password};
//! use msme::RequestMeta;
//!
//! let dir = tempfile::tempdir()?;
//! let overrides = Overrides { data_dir: Some(dir.path().into()), database_url: None };
//! init(&Settings::load(&overrides)?)?; // creates msme.toml with a fresh JWT secret
//! let platform = open_platform(&Settings::load(&overrides)?).await?;
//!
//! let meta = RequestMeta::default();
//! let account = NewAccount::parse("Asha Rao", "98765 43210", None, "chai-and-ledgers", "seller")?;
//! platform.auth().register(&meta, account).await?;
//! let id = LoginId::Mobile(Mobile::parse("+91 98765 43210")?);
//! let tokens = platform.auth().login(&meta, &id, &Password::parse("chai-and-ledgers")?, None).await?;
//! let actor = platform.auth().authenticate(&tokens.access_token).await?;
//! assert_eq!(actor.role().as_str(), "seller");
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]

pub use msme_backends as backends;
pub use msme_core as core;
pub use msme_core::{Platform, RequestMeta};
pub use msme_demo as demo;
pub use msme_report as report;
