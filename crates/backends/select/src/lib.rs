//! # msme-backends
//!
//! Settings for an MSME Exchange deployment, and opening the backends they name. The backend is
//! chosen here, once, from the database URL (`sqlite://...` or `postgres://...`); nothing else
//! in the code base branches on it.
#![forbid(unsafe_code)]

mod failpoint;
mod open;
mod payments;
mod search;
mod settings;
mod valuation;

pub use failpoint::{ABORT_BEFORE_INDEX_WRITE, FAILPOINT_VAR};
pub use open::{
    model_engine, open_database, open_platform, open_platform_unsynced, open_store, Database,
    OpenError,
};
pub use payments::PaymentSettings;
pub use search::open_search_index;
pub use settings::{
    init, BlobSettings, InitReport, Overrides, Settings, SettingsError, SmsSettings,
};

/// Re-exported so embedders can name the concrete stores.
pub use msme_postgres::{PgSearchIndex, PgStore};
pub use msme_sandbox::{SandboxGateway, SandboxStore};
pub use msme_search_tantivy::TantivyIndex;
pub use msme_sqlite::SqliteStore;
