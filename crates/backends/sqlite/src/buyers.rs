//! [`BuyerStore`]: buyer preferences and saved searches (JSON documents with a few columns),
//! and agent grants.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::matching::{BuyerPreferences, SavedSearch, SavedSearchId, StoredPreferences};
use msme_core::ports::{BuyerStore, StoreResult};
use msme_core::types::UserId;
use rusqlite::Row;

use crate::rows::{micros, time};
use crate::statements::ById;
use crate::SqliteStore;

const SAVED_SEARCHES: ById = ById::new("reading a saved search", "saved_searches", SEARCH_COLUMNS);

type RawPreferences = (String, String, DateTime<Utc>);

fn raw_preferences(r: &Row<'_>) -> rusqlite::Result<RawPreferences> {
    Ok((r.get(0)?, r.get(1)?, time(r, 2)?))
}

fn preferences((buyer, doc, at): RawPreferences) -> StoreResult<StoredPreferences> {
    Ok(StoredPreferences {
        buyer: UserId::from_trusted(buyer),
        preferences: BuyerPreferences::from_document(&doc)?,
        updated_at: at,
    })
}

const SEARCH_COLUMNS: &str = "id, owner_id, name, document, created_at, updated_at";

type RawSearch = (String, String, String, String, DateTime<Utc>, DateTime<Utc>);

fn raw_search(r: &Row<'_>) -> rusqlite::Result<RawSearch> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        time(r, 4)?,
        time(r, 5)?,
    ))
}

fn search((id, owner, name, doc, created, updated): RawSearch) -> StoreResult<SavedSearch> {
    let (query, filters, sort) = SavedSearch::parse_document(&doc)?;
    Ok(SavedSearch {
        id: SavedSearchId::from_trusted(id),
        owner: UserId::from_trusted(owner),
        name,
        query,
        filters,
        sort,
        created_at: created,
        updated_at: updated,
    })
}

#[async_trait]
impl BuyerStore for SqliteStore {
    #[tracing::instrument(skip_all)]
    async fn put_buyer_preferences(
        &self,
        buyer: &UserId,
        p: &BuyerPreferences,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<()> {
        self.audited_execute(
            "storing buyer preferences",
            "INSERT INTO buyer_preferences (buyer_id, document, updated_at) \
             VALUES (?1, ?2, ?3) ON CONFLICT (buyer_id) DO UPDATE SET \
             document = excluded.document, updated_at = excluded.updated_at",
            (buyer.to_string(), p.to_document(), micros(at)),
            audit,
        )
        .await
        .map(drop)
    }

    #[tracing::instrument(skip_all)]
    async fn buyer_preferences(&self, buyer: &UserId) -> StoreResult<Option<StoredPreferences>> {
        let row = self
            .read_optional(
                "reading buyer preferences",
                "SELECT buyer_id, document, updated_at FROM buyer_preferences \
                 WHERE buyer_id = ?1",
                [buyer.to_string()],
                raw_preferences,
            )
            .await?;
        row.map(preferences).transpose()
    }

    #[tracing::instrument(skip_all)]
    async fn list_buyer_preferences(
        &self,
        after: Option<&UserId>,
        limit: u32,
    ) -> StoreResult<Vec<StoredPreferences>> {
        let after = after.map(UserId::to_string).unwrap_or_default();
        let rows = self
            .read_all(
                "listing buyer preferences",
                "SELECT buyer_id, document, updated_at FROM buyer_preferences \
                 WHERE buyer_id > ?1 ORDER BY buyer_id LIMIT ?2",
                (after, limit),
                raw_preferences,
            )
            .await?;
        rows.into_iter().map(preferences).collect()
    }

    #[tracing::instrument(skip_all)]
    async fn create_saved_search(&self, s: &SavedSearch, audit: AuditEvent) -> StoreResult<()> {
        let row = (
            s.id.to_string(),
            s.owner.to_string(),
            s.name.clone(),
            s.to_document(),
            micros(s.created_at),
            micros(s.updated_at),
        );
        self.audited_execute(
            "storing a saved search",
            "INSERT INTO saved_searches (id, owner_id, name, document, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            row,
            audit,
        )
        .await
        .map(drop)
    }

    #[tracing::instrument(skip_all)]
    async fn saved_search_by_id(&self, id: &SavedSearchId) -> StoreResult<Option<SavedSearch>> {
        let row = self
            .read_by_id(&SAVED_SEARCHES, id.as_str(), raw_search)
            .await?;
        row.map(search).transpose()
    }

    #[tracing::instrument(skip_all)]
    async fn saved_searches_of(&self, owner: &UserId) -> StoreResult<Vec<SavedSearch>> {
        let rows = self
            .read_all(
                "listing saved searches",
                format!(
                    "SELECT {SEARCH_COLUMNS} FROM saved_searches WHERE owner_id = ?1 \
                     ORDER BY created_at, id"
                ),
                [owner.to_string()],
                raw_search,
            )
            .await?;
        rows.into_iter().map(search).collect()
    }

    #[tracing::instrument(skip_all)]
    async fn update_saved_search(&self, s: &SavedSearch, audit: AuditEvent) -> StoreResult<bool> {
        let row = (
            s.id.to_string(),
            s.name.clone(),
            s.to_document(),
            micros(s.updated_at),
        );
        let n = self
            .audited_execute(
                "updating a saved search",
                "UPDATE saved_searches SET name = ?2, document = ?3, updated_at = ?4 \
                 WHERE id = ?1",
                row,
                audit,
            )
            .await?;
        Ok(n > 0)
    }

    #[tracing::instrument(skip_all)]
    async fn delete_saved_search(
        &self,
        id: &SavedSearchId,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let n = self
            .audited_execute(
                "deleting a saved search",
                "DELETE FROM saved_searches WHERE id = ?1",
                [id.to_string()],
                audit,
            )
            .await?;
        Ok(n > 0)
    }

    #[tracing::instrument(skip_all)]
    async fn grant_agent(
        &self,
        buyer: &UserId,
        agent: &UserId,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let added = self
            .audited_execute(
                "granting an agent",
                "INSERT INTO agent_grants (buyer_id, agent_id, granted_at) \
                 VALUES (?1, ?2, ?3) ON CONFLICT (buyer_id, agent_id) DO NOTHING",
                (buyer.to_string(), agent.to_string(), micros(at)),
                audit,
            )
            .await?;
        Ok(added > 0)
    }

    #[tracing::instrument(skip_all)]
    async fn revoke_agent(
        &self,
        buyer: &UserId,
        agent: &UserId,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let gone = self
            .audited_execute(
                "revoking an agent",
                "DELETE FROM agent_grants WHERE buyer_id = ?1 AND agent_id = ?2",
                (buyer.to_string(), agent.to_string()),
                audit,
            )
            .await?;
        Ok(gone > 0)
    }

    #[tracing::instrument(skip_all)]
    async fn agents_of(&self, buyer: &UserId) -> StoreResult<Vec<(UserId, DateTime<Utc>)>> {
        self.read_all(
            "listing agent grants",
            "SELECT agent_id, granted_at FROM agent_grants WHERE buyer_id = ?1 \
             ORDER BY granted_at, agent_id",
            [buyer.to_string()],
            |r| Ok((UserId::from_trusted(r.get(0)?), time(r, 1)?)),
        )
        .await
    }
}
