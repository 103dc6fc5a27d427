//! Opening the backends that settings name.

use std::path::PathBuf;
use std::sync::Arc;

use msme_core::clock::SystemClock;
use msme_core::error::{StoreError, ValidationError};
use msme_core::ports::{PaymentGateway, SearchIndex, SmsChannel, Store};
use msme_core::Platform;
use msme_sandbox::{SandboxGateway, SandboxStore};

use crate::settings::{BlobSettings, Settings, SmsSettings};

/// Every model kind this build knows: trees and ridge trained in process, CatBoost files.
pub fn model_engine() -> std::sync::Arc<dyn msme_core::model::ModelEngine> {
    std::sync::Arc::new(msme_core::model::Engines::new(vec![
        std::sync::Arc::new(msme_models::InProcessEngine),
        std::sync::Arc::new(msme_catboost::CatBoostEngine),
    ]))
}

/// Why a platform could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("database URL must start with sqlite:// or postgres:// (got `{0}`)")]
    UnknownScheme(String),
    #[error("no JWT secret is configured: run `msme init` or set JWT_SECRET")]
    MissingSecret,
    #[error("invalid setting: {0}")]
    Invalid(#[from] ValidationError),
    #[error("SMS provider settings: {0}")]
    Sms(#[from] msme_sms::SetupError),
    #[error("file storage: {0}")]
    Blobs(#[from] msme_core::ports::BlobError),
    #[error("payment gateway: {0}")]
    Payments(#[from] msme_razorpay::SetupError),
    #[error("search index: {0}")]
    Search(#[from] msme_core::ports::SearchError),
    #[error("cannot open the {backend} database")]
    Store {
        backend: &'static str,
        #[source]
        source: StoreError,
    },
}

/// Which backend a URL names.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    Sqlite(PathBuf),
    Postgres,
}

fn target(url: &str) -> Result<Target, OpenError> {
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        if path.is_empty() {
            return Err(OpenError::UnknownScheme(url.to_string()));
        }
        return Ok(Target::Sqlite(PathBuf::from(path)));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Target::Postgres);
    }
    // Never echo a URL that might carry a password.
    let scheme = url
        .split("://")
        .next()
        .unwrap_or("")
        .chars()
        .take(20)
        .collect();
    Err(OpenError::UnknownScheme(scheme))
}

/// Opens (and migrates) the store a database URL names.
pub async fn open_store(url: &str) -> Result<Arc<dyn Store>, OpenError> {
    Ok(open_database(url).await?.store)
}

/// What one database holds: the platform's store, the sandbox gateway's books and, on
/// PostgreSQL, the search index.
pub struct Database {
    pub store: Arc<dyn Store>,
    pub sandbox: Arc<dyn SandboxStore>,
    pub index: Option<Arc<dyn SearchIndex>>,
}

impl Database {
    fn of<S: Store + SandboxStore + 'static>(
        store: S,
        index: Option<Arc<dyn SearchIndex>>,
    ) -> Self {
        let store = Arc::new(store);
        Database {
            store: store.clone(),
            sandbox: store,
            index,
        }
    }

    /// The sandbox gateway on this database's books, on the system clock.
    pub fn sandbox_gateway(&self) -> Arc<dyn PaymentGateway> {
        Arc::new(SandboxGateway::new(
            self.sandbox.clone(),
            Arc::new(SystemClock),
        ))
    }
}

/// The database a URL names, opened and migrated.
pub async fn open_database(url: &str) -> Result<Database, OpenError> {
    match target(url)? {
        Target::Sqlite(path) => {
            let store = msme_sqlite::SqliteStore::open(&path)
                .await
                .map_err(|source| OpenError::Store {
                    backend: "sqlite",
                    source,
                })?;
            Ok(Database::of(store, None))
        }
        Target::Postgres => {
            let store = msme_postgres::PgStore::connect(url)
                .await
                .map_err(|source| OpenError::Store {
                    backend: "postgres",
                    source,
                })?;
            let index: Arc<dyn SearchIndex> = Arc::new(store.search_index());
            Ok(Database::of(store, Some(index)))
        }
    }
}

/// Opens the store, SMS channel and search index the settings name, and builds the platform
/// on them: on PostgreSQL the index is in the database (shared by every process on it), on
/// SQLite it is tantivy in the data directory. The index then catches up with the audit log, so listing changes committed
/// before a crash (and never indexed) are searchable once this returns.
pub async fn open_platform(settings: &Settings) -> Result<Platform, OpenError> {
    let platform = open_platform_unsynced(settings).await?;
    crate::search::catch_up(&platform).await?;
    Ok(platform)
}

/// [`open_platform`] without the catch-up: the index stays as the last process left it, for
/// `msme search check` to report what a crash left out.
pub async fn open_platform_unsynced(settings: &Settings) -> Result<Platform, OpenError> {
    let secret = settings
        .jwt_secret
        .clone()
        .ok_or(OpenError::MissingSecret)?;
    let database = open_database(&settings.database_url).await?;
    let gateway = match settings.payments.gateway()? {
        Some(gateway) => gateway,
        None => database.sandbox_gateway(),
    };
    let mut builder = Platform::builder(database.store, secret)
        .gateway(gateway)
        .blobs(blob_store(&settings.blobs)?)
        .valuation_assumptions(settings.valuation.clone())
        .model_engine(model_engine());
    if let Some(channel) = sms_channel(&settings.sms)? {
        builder = builder.sms(channel);
    }
    let index = match database.index {
        Some(index) => Some(index),
        None => crate::search::open_search_index(settings)?,
    };
    if let Some(index) = index {
        builder = builder.search(crate::failpoint::wrap(index));
    }
    Ok(builder.build()?)
}

fn blob_store(blobs: &BlobSettings) -> Result<Arc<dyn msme_core::ports::BlobStore>, OpenError> {
    Ok(match blobs {
        BlobSettings::Dir(dir) => Arc::new(msme_blob::FsBlobStore::new(dir.clone())),
        BlobSettings::S3(config) => Arc::new(msme_blob::S3BlobStore::new(config.clone())?),
    })
}

fn sms_channel(sms: &SmsSettings) -> Result<Option<Arc<dyn SmsChannel>>, OpenError> {
    let channel: Arc<dyn SmsChannel> = match sms {
        SmsSettings::Outbox => return Ok(None),
        SmsSettings::Twilio {
            account_sid,
            auth_token,
            from,
            base_url,
        } => Arc::new(msme_sms::TwilioChannel::try_new(msme_sms::TwilioConfig {
            account_sid: account_sid.clone(),
            auth_token: auth_token.clone(),
            from: from.clone(),
            base_url: base_url.clone(),
        })?),
        SmsSettings::Msg91 {
            api_key,
            sender_id,
            template_id,
            base_url,
        } => Arc::new(msme_sms::Msg91Channel::try_new(msme_sms::Msg91Config {
            api_key: api_key.clone(),
            sender_id: sender_id.clone(),
            template_id: template_id.clone(),
            base_url: base_url.clone(),
        })?),
    };
    Ok(Some(channel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_their_backend() {
        assert_eq!(
            target("sqlite://./d/msme.db").unwrap(),
            Target::Sqlite("./d/msme.db".into())
        );
        assert_eq!(
            target("sqlite:///abs/msme.db").unwrap(),
            Target::Sqlite("/abs/msme.db".into())
        );
        assert_eq!(target("postgres://u@h/db").unwrap(), Target::Postgres);
        assert_eq!(target("postgresql://u@h/db").unwrap(), Target::Postgres);
    }

    #[test]
    fn unknown_schemes_do_not_echo_credentials() {
        let err = target("mysql://user:hunter2@host/db")
            .unwrap_err()
            .to_string();
        assert!(err.contains("mysql") && !err.contains("hunter2"), "{err}");
    }
}
