//! [`BuyerStore`]: buyer preferences and saved searches (JSONB documents with a few columns),
//! and agent grants.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::matching::{BuyerPreferences, SavedSearch, SavedSearchId, StoredPreferences};
use msme_core::ports::{BuyerStore, StoreResult};
use msme_core::types::UserId;
use sqlx::postgres::PgRow;
use sqlx::{Postgres, Transaction};

use crate::audit::append;
use crate::error::store_error;
use crate::rows::{col, limit};
use crate::PgStore;

/// Appends the audit entry and commits when the statement changed something; otherwise rolls
/// back, so a change that did nothing leaves no audit entry.
pub(crate) async fn finish(
    mut tx: Transaction<'static, Postgres>,
    changed: bool,
    audit: AuditEvent,
) -> StoreResult<bool> {
    if !changed {
        tx.rollback().await.map_err(store_error)?;
        return Ok(false);
    }
    append(&mut tx, audit).await?;
    tx.commit().await.map_err(store_error)?;
    Ok(true)
}

fn preferences(row: &PgRow) -> StoreResult<StoredPreferences> {
    let doc: String = col(row, "document")?;
    Ok(StoredPreferences {
        buyer: UserId::from_trusted(col(row, "buyer_id")?),
        preferences: BuyerPreferences::from_document(&doc)?,
        updated_at: col(row, "updated_at")?,
    })
}

const SEARCH_COLUMNS: &str =
    "id, owner_id, name, document::text AS document, created_at, updated_at";

fn search(row: &PgRow) -> StoreResult<SavedSearch> {
    let doc: String = col(row, "document")?;
    let (query, filters, sort) = SavedSearch::parse_document(&doc)?;
    Ok(SavedSearch {
        id: SavedSearchId::from_trusted(col(row, "id")?),
        owner: UserId::from_trusted(col(row, "owner_id")?),
        name: col(row, "name")?,
        query,
        filters,
        sort,
        created_at: col(row, "created_at")?,
        updated_at: col(row, "updated_at")?,
    })
}

#[async_trait]
impl BuyerStore for PgStore {
    #[tracing::instrument(skip_all)]
    async fn put_buyer_preferences(
        &self,
        buyer: &UserId,
        p: &BuyerPreferences,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO buyer_preferences (buyer_id, document, updated_at)
             VALUES ($1, $2::jsonb, $3)
             ON CONFLICT (buyer_id) DO UPDATE SET document = EXCLUDED.document,
                 updated_at = EXCLUDED.updated_at",
        )
        .bind(buyer.as_str())
        .bind(p.to_document())
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(store_error)?;
        finish(tx, true, audit).await.map(drop)
    }

    #[tracing::instrument(skip_all)]
    async fn buyer_preferences(&self, buyer: &UserId) -> StoreResult<Option<StoredPreferences>> {
        let row = sqlx::query(
            "SELECT buyer_id, document::text AS document, updated_at FROM buyer_preferences
             WHERE buyer_id = $1",
        )
        .bind(buyer.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        row.as_ref().map(preferences).transpose()
    }

    #[tracing::instrument(skip_all)]
    async fn list_buyer_preferences(
        &self,
        after: Option<&UserId>,
        n: u32,
    ) -> StoreResult<Vec<StoredPreferences>> {
        let rows = sqlx::query(
            "SELECT buyer_id, document::text AS document, updated_at FROM buyer_preferences
             WHERE buyer_id > $1 ORDER BY buyer_id LIMIT $2",
        )
        .bind(after.map_or("", UserId::as_str))
        .bind(limit(n))
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        rows.iter().map(preferences).collect()
    }

    #[tracing::instrument(skip_all)]
    async fn create_saved_search(&self, s: &SavedSearch, audit: AuditEvent) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO saved_searches (id, owner_id, name, document, created_at, updated_at)
             VALUES ($1, $2, $3, $4::jsonb, $5, $6)",
        )
        .bind(s.id.as_str())
        .bind(s.owner.as_str())
        .bind(&s.name)
        .bind(s.to_document())
        .bind(s.created_at)
        .bind(s.updated_at)
        .execute(&mut *tx)
        .await
        .map_err(store_error)?;
        finish(tx, true, audit).await.map(drop)
    }

    #[tracing::instrument(skip_all)]
    async fn saved_search_by_id(&self, id: &SavedSearchId) -> StoreResult<Option<SavedSearch>> {
        let sql = format!("SELECT {SEARCH_COLUMNS} FROM saved_searches WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)?;
        row.as_ref().map(search).transpose()
    }

    #[tracing::instrument(skip_all)]
    async fn saved_searches_of(&self, owner: &UserId) -> StoreResult<Vec<SavedSearch>> {
        let sql = format!(
            "SELECT {SEARCH_COLUMNS} FROM saved_searches WHERE owner_id = $1
             ORDER BY created_at, id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(owner.as_str())
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        rows.iter().map(search).collect()
    }

    #[tracing::instrument(skip_all)]
    async fn update_saved_search(&self, s: &SavedSearch, audit: AuditEvent) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let n = sqlx::query(
            "UPDATE saved_searches SET name = $2, document = $3::jsonb, updated_at = $4
             WHERE id = $1",
        )
        .bind(s.id.as_str())
        .bind(&s.name)
        .bind(s.to_document())
        .bind(s.updated_at)
        .execute(&mut *tx)
        .await
        .map_err(store_error)?
        .rows_affected();
        finish(tx, n > 0, audit).await
    }

    #[tracing::instrument(skip_all)]
    async fn delete_saved_search(
        &self,
        id: &SavedSearchId,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let n = sqlx::query("DELETE FROM saved_searches WHERE id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await
            .map_err(store_error)?
            .rows_affected();
        finish(tx, n > 0, audit).await
    }

    #[tracing::instrument(skip_all)]
    async fn grant_agent(
        &self,
        buyer: &UserId,
        agent: &UserId,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let n = sqlx::query(
            "INSERT INTO agent_grants (buyer_id, agent_id, granted_at) VALUES ($1, $2, $3)
             ON CONFLICT (buyer_id, agent_id) DO NOTHING",
        )
        .bind(buyer.as_str())
        .bind(agent.as_str())
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(store_error)?
        .rows_affected();
        finish(tx, n > 0, audit).await
    }

    #[tracing::instrument(skip_all)]
    async fn revoke_agent(
        &self,
        buyer: &UserId,
        agent: &UserId,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let n = sqlx::query("DELETE FROM agent_grants WHERE buyer_id = $1 AND agent_id = $2")
            .bind(buyer.as_str())
            .bind(agent.as_str())
            .execute(&mut *tx)
            .await
            .map_err(store_error)?
            .rows_affected();
        finish(tx, n > 0, audit).await
    }

    #[tracing::instrument(skip_all)]
    async fn agents_of(&self, buyer: &UserId) -> StoreResult<Vec<(UserId, DateTime<Utc>)>> {
        let rows = sqlx::query(
            "SELECT agent_id, granted_at FROM agent_grants WHERE buyer_id = $1
             ORDER BY granted_at, agent_id",
        )
        .bind(buyer.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        rows.iter()
            .map(|r| {
                Ok((
                    UserId::from_trusted(col(r, "agent_id")?),
                    col(r, "granted_at")?,
                ))
            })
            .collect()
    }
}
