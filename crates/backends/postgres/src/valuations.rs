//! Kept valuations ([`ValuationStore`]): a few columns and the report as a JSONB document.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::listing::ListingId;
use msme_core::ports::{StoreResult, ValuationStore};
use msme_core::types::{UserId, ValuationId};
use msme_core::valuation::Valuation;
use sqlx::postgres::PgRow;

use crate::rows::col;
use crate::PgStore;

fn valuation(row: &PgRow) -> StoreResult<Valuation> {
    let id: String = col(row, "id")?;
    let listing: Option<String> = col(row, "listing_id")?;
    let by: Option<String> = col(row, "requested_by")?;
    let at: DateTime<Utc> = col(row, "created_at")?;
    let doc: String = col(row, "document")?;
    Valuation::from_document(
        ValuationId::from_trusted(id),
        listing.map(ListingId::from_trusted),
        by.map(UserId::from_trusted),
        at,
        &doc,
    )
}

#[async_trait]
impl ValuationStore for PgStore {
    #[tracing::instrument(skip_all)]
    async fn save_valuation(&self, v: &Valuation, audit: AuditEvent) -> StoreResult<()> {
        // Bound as text and cast, as profiles are: the core owns the document's shape.
        let insert = sqlx::query(
            "INSERT INTO valuations (id, listing_id, requested_by, created_at, document)
             VALUES ($1, $2, $3, $4, $5::jsonb)",
        )
        .bind(v.id.as_str())
        .bind(v.listing_id.as_ref().map(ListingId::as_str))
        .bind(v.requested_by.as_ref().map(UserId::as_str))
        .bind(v.created_at)
        .bind(v.to_document());
        self.audited_run(insert, audit).await.map(drop)
    }

    #[tracing::instrument(skip_all)]
    async fn valuation_by_id(&self, id: &ValuationId) -> StoreResult<Option<Valuation>> {
        self.find(
            "SELECT id, listing_id, requested_by, created_at, document::text AS document
             FROM valuations WHERE id = $1",
            id.as_str(),
            valuation,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn valuations_of_listing(&self, listing: &ListingId) -> StoreResult<Vec<Valuation>> {
        self.find_all(
            "SELECT id, listing_id, requested_by, created_at, document::text AS document
             FROM valuations WHERE listing_id = $1 ORDER BY created_at DESC, id DESC",
            listing.as_str(),
            valuation,
        )
        .await
    }
}
