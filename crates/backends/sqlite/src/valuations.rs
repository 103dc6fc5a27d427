//! Kept valuations ([`ValuationStore`]): a few columns and the report as a JSON document.

use async_trait::async_trait;
use msme_core::audit::AuditEvent;
use msme_core::listing::ListingId;
use msme_core::ports::{StoreResult, ValuationStore};
use msme_core::types::{UserId, ValuationId};
use msme_core::valuation::Valuation;
use rusqlite::Row;

use crate::rows::{micros, time};
use crate::statements::ById;
use crate::SqliteStore;

const VALUATIONS: ById = ById::new("reading a valuation", "valuations", COLUMNS);

const COLUMNS: &str = "id, listing_id, requested_by, created_at, document";

/// A row of [`COLUMNS`], before its document is parsed.
type RawRow = (
    String,
    Option<String>,
    Option<String>,
    chrono::DateTime<chrono::Utc>,
    String,
);

fn raw(r: &Row<'_>) -> rusqlite::Result<RawRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, time(r, 3)?, r.get(4)?))
}

fn valuation((id, listing, by, at, doc): RawRow) -> StoreResult<Valuation> {
    Valuation::from_document(
        ValuationId::from_trusted(id),
        listing.map(ListingId::from_trusted),
        by.map(UserId::from_trusted),
        at,
        &doc,
    )
}

#[async_trait]
impl ValuationStore for SqliteStore {
    #[tracing::instrument(skip_all)]
    async fn save_valuation(&self, v: &Valuation, audit: AuditEvent) -> StoreResult<()> {
        let (id, listing, by, at, doc) = (
            v.id.to_string(),
            v.listing_id.as_ref().map(ListingId::to_string),
            v.requested_by.as_ref().map(UserId::to_string),
            micros(v.created_at),
            v.to_document(),
        );
        self.audited_execute(
            "storing a valuation",
            format!("INSERT INTO valuations ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5)"),
            (id, listing, by, at, doc),
            audit,
        )
        .await
        .map(drop)
    }

    #[tracing::instrument(skip_all)]
    async fn valuation_by_id(&self, id: &ValuationId) -> StoreResult<Option<Valuation>> {
        let row = self.read_by_id(&VALUATIONS, id.as_str(), raw).await?;
        row.map(valuation).transpose()
    }

    #[tracing::instrument(skip_all)]
    async fn valuations_of_listing(&self, listing: &ListingId) -> StoreResult<Vec<Valuation>> {
        let rows = self
            .read_all(
                "listing a listing's valuations",
                format!(
                    "SELECT {COLUMNS} FROM valuations WHERE listing_id = ?1 \
                     ORDER BY created_at DESC, id DESC"
                ),
                [listing.to_string()],
                raw,
            )
            .await?;
        rows.into_iter().map(valuation).collect()
    }
}
