//! [`BuyerStore`]: buyer preferences and saved searches (JSONB documents with a few columns),
//! and agent grants.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::matching::{BuyerPreferences, SavedSearch, SavedSearchId, StoredPreferences};
use msme_core::ports::{BuyerStore, StoreResult};
use msme_core::types::UserId;
use sqlx::postgres::PgRow;

use crate::rows::{col, Fetch};
use crate::PgStore;

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
        let upsert = sqlx::query(
            "INSERT INTO buyer_preferences (buyer_id, document, updated_at)
             VALUES ($1, $2::jsonb, $3)
             ON CONFLICT (buyer_id) DO UPDATE SET document = EXCLUDED.document,
                 updated_at = EXCLUDED.updated_at",
        )
        .bind(buyer.as_str())
        .bind(p.to_document())
        .bind(at);
        self.audited_run(upsert, audit).await.map(drop)
    }

    #[tracing::instrument(skip_all)]
    async fn buyer_preferences(&self, buyer: &UserId) -> StoreResult<Option<StoredPreferences>> {
        self.find(
            "SELECT buyer_id, document::text AS document, updated_at FROM buyer_preferences
             WHERE buyer_id = $1",
            buyer.as_str(),
            preferences,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn list_buyer_preferences(
        &self,
        after: Option<&UserId>,
        n: u32,
    ) -> StoreResult<Vec<StoredPreferences>> {
        self.page(
            "SELECT buyer_id, document::text AS document, updated_at FROM buyer_preferences
             WHERE buyer_id > $1 ORDER BY buyer_id LIMIT $2",
            after.map_or("", UserId::as_str),
            n,
            preferences,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn create_saved_search(&self, s: &SavedSearch, audit: AuditEvent) -> StoreResult<()> {
        let insert = sqlx::query(
            "INSERT INTO saved_searches (id, owner_id, name, document, created_at, updated_at)
             VALUES ($1, $2, $3, $4::jsonb, $5, $6)",
        )
        .bind(s.id.as_str())
        .bind(s.owner.as_str())
        .bind(&s.name)
        .bind(s.to_document())
        .bind(s.created_at)
        .bind(s.updated_at);
        self.audited_run(insert, audit).await.map(drop)
    }

    #[tracing::instrument(skip_all)]
    async fn saved_search_by_id(&self, id: &SavedSearchId) -> StoreResult<Option<SavedSearch>> {
        let sql = format!("SELECT {SEARCH_COLUMNS} FROM saved_searches WHERE id = $1");
        self.find(sqlx::AssertSqlSafe(sql), id.as_str(), search)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn saved_searches_of(&self, owner: &UserId) -> StoreResult<Vec<SavedSearch>> {
        let sql = format!(
            "SELECT {SEARCH_COLUMNS} FROM saved_searches WHERE owner_id = $1
             ORDER BY created_at, id"
        );
        self.find_all(sqlx::AssertSqlSafe(sql), owner.as_str(), search)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn update_saved_search(&self, s: &SavedSearch, audit: AuditEvent) -> StoreResult<bool> {
        let update = sqlx::query(
            "UPDATE saved_searches SET name = $2, document = $3::jsonb, updated_at = $4
             WHERE id = $1",
        )
        .bind(s.id.as_str())
        .bind(&s.name)
        .bind(s.to_document())
        .bind(s.updated_at);
        Ok(self.audited_run(update, audit).await? > 0)
    }

    #[tracing::instrument(skip_all)]
    async fn delete_saved_search(
        &self,
        id: &SavedSearchId,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let delete = sqlx::query("DELETE FROM saved_searches WHERE id = $1").bind(id.as_str());
        Ok(self.audited_run(delete, audit).await? > 0)
    }

    #[tracing::instrument(skip_all)]
    async fn grant_agent(
        &self,
        buyer: &UserId,
        agent: &UserId,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let grant = sqlx::query(
            "INSERT INTO agent_grants (buyer_id, agent_id, granted_at) VALUES ($1, $2, $3)
             ON CONFLICT (buyer_id, agent_id) DO NOTHING",
        )
        .bind(buyer.as_str())
        .bind(agent.as_str())
        .bind(at);
        Ok(self.audited_run(grant, audit).await? > 0)
    }

    #[tracing::instrument(skip_all)]
    async fn revoke_agent(
        &self,
        buyer: &UserId,
        agent: &UserId,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let revoke = sqlx::query("DELETE FROM agent_grants WHERE buyer_id = $1 AND agent_id = $2")
            .bind(buyer.as_str())
            .bind(agent.as_str());
        Ok(self.audited_run(revoke, audit).await? > 0)
    }

    #[tracing::instrument(skip_all)]
    async fn agents_of(&self, buyer: &UserId) -> StoreResult<Vec<(UserId, DateTime<Utc>)>> {
        sqlx::query(
            "SELECT agent_id, granted_at FROM agent_grants WHERE buyer_id = $1
             ORDER BY granted_at, agent_id",
        )
        .bind(buyer.as_str())
        .fetch_all_as(&self.pool, |r| {
            Ok((
                UserId::from_trusted(col(r, "agent_id")?),
                col(r, "granted_at")?,
            ))
        })
        .await
    }
}
