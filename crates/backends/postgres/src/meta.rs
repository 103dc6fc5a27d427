//! [`StoreMeta`]: which backend this is, whether it answers, and its schema version.

use async_trait::async_trait;
use msme_core::ports::{StoreMeta, StoreResult};

use crate::error::store_error;
use crate::migrate::current_version;
use crate::rows::Fetch;
use crate::PgStore;

#[async_trait]
impl StoreMeta for PgStore {
    fn backend_name(&self) -> &'static str {
        "postgres"
    }

    #[tracing::instrument(skip_all)]
    async fn health(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").run(&self.pool).await.map(drop)
    }

    #[tracing::instrument(skip_all)]
    async fn schema_version(&self) -> StoreResult<i64> {
        let mut conn = self.pool.acquire().await.map_err(store_error)?;
        current_version(&mut conn).await
    }
}
