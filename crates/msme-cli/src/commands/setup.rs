//! `msme init` and `msme migrate`: preparing the data directory and the database schema.

use anyhow::Context;
use serde_json::json;

use super::Ctx;

/// Creates the data directory and settings file (keeping an existing secret) and migrates.
pub async fn init(ctx: &Ctx) -> anyhow::Result<()> {
    let settings = ctx.settings()?;
    let report = msme_backends::init(&settings).context("initialising the data directory")?;
    let (backend, version) = migrate_store(&settings.database_url).await?;
    let json = json!({
        "data_dir": report.data_dir,
        "settings_file": report.settings_file,
        "generated_secret": report.generated_secret,
        "backend": backend,
        "schema_version": version,
    });
    ctx.out.emit(&json, || {
        let secret = if report.generated_secret {
            "a new JWT secret was generated"
        } else {
            "the existing JWT secret was kept"
        };
        format!(
            "initialised {} (settings in {}; {secret})\ndatabase: {backend}, schema version {version}",
            report.data_dir.display(),
            report.settings_file.display(),
        )
    })
}

/// Applies pending migrations and prints the schema version.
pub async fn migrate(ctx: &Ctx) -> anyhow::Result<()> {
    let settings = ctx.settings()?;
    let (backend, version) = migrate_store(&settings.database_url).await?;
    let json = json!({ "backend": backend, "schema_version": version });
    ctx.out.emit(&json, || {
        format!("{backend} database at schema version {version}")
    })
}

/// Opening a store migrates it; returns the backend's name and the schema version.
async fn migrate_store(url: &str) -> anyhow::Result<(&'static str, i64)> {
    let store = msme_backends::open_store(url).await?;
    let version = store
        .schema_version()
        .await
        .context("reading the schema version")?;
    Ok((store.backend_name(), version))
}
