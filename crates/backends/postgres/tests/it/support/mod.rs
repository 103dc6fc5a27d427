//! Test databases: see `msme_postgres::testing`.
#![allow(dead_code)] // each test binary uses a different part of this module

use std::sync::Arc;

pub use msme_postgres::testing::{server_url, TestDb};

/// A fresh, empty, migrated store for one contract case.
pub async fn fresh_store() -> Arc<msme_postgres::PgStore> {
    let url = server_url().expect("the contract suite was built for PostgreSQL");
    Arc::new(TestDb::create(&url).await.store().await)
}
