//! Documents and images: [`DocumentStore`].

use crate::market_rows::{self, DOCUMENT_COLUMNS};
use crate::rows::micros;
use crate::statements::ById;
use crate::SqliteStore;
use async_trait::async_trait;
use msme_core::audit::AuditEvent;
use msme_core::documents::{Document, DocumentId};
use msme_core::listing::ListingId;
use msme_core::ports::{DocumentStore, StoreResult};
use msme_core::types::UserId;

const DOCUMENTS: ById = ById::new("reading a document", "documents", DOCUMENT_COLUMNS);

#[async_trait]
impl DocumentStore for SqliteStore {
    #[tracing::instrument(skip_all)]
    async fn insert_document(&self, doc: &Document, audit: AuditEvent) -> StoreResult<()> {
        let d = doc.clone();
        let values = (
            d.id.to_string(),
            d.owner_id.to_string(),
            d.listing_id.as_ref().map(ListingId::to_string),
            d.kind.as_str(),
            d.filename,
            d.content_type,
            d.size_bytes,
            d.sha256,
            d.blob_key,
            micros(d.created_at),
        );
        self.audited_execute(
            "storing a document",
            format!(
                "INSERT INTO documents ({DOCUMENT_COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            ),
            values,
            audit,
        )
        .await
        .map(drop)
    }

    #[tracing::instrument(skip_all)]
    async fn document_by_id(&self, id: &DocumentId) -> StoreResult<Option<Document>> {
        self.read_by_id(&DOCUMENTS, id.as_str(), market_rows::document)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn documents_of(
        &self,
        owner: &UserId,
        listing: Option<&ListingId>,
    ) -> StoreResult<Vec<Document>> {
        self.read_all(
            "listing an owner's documents",
            format!(
                "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE owner_id = ?1 \
                 AND (?2 IS NULL OR listing_id = ?2) ORDER BY created_at, id"
            ),
            (owner.to_string(), listing.map(ListingId::to_string)),
            market_rows::document,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn documents_of_listing(&self, listing: &ListingId) -> StoreResult<Vec<Document>> {
        self.read_all(
            "listing a listing's documents",
            format!(
                "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE listing_id = ?1 \
                 ORDER BY created_at, id"
            ),
            [listing.to_string()],
            market_rows::document,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn delete_document(&self, id: &DocumentId, audit: AuditEvent) -> StoreResult<bool> {
        let gone = self
            .audited_execute(
                "deleting a document",
                "DELETE FROM documents WHERE id = ?1",
                [id.to_string()],
                audit,
            )
            .await?;
        Ok(gone > 0)
    }
}
