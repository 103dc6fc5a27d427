//! Facts about uploaded files: [`DocumentStore`]. The bytes live in a blob store.

use async_trait::async_trait;
use msme_core::audit::AuditEvent;
use msme_core::documents::{Document, DocumentId, DocumentKind};
use msme_core::error::StoreError;
use msme_core::listing::ListingId;
use msme_core::ports::{DocumentStore, StoreResult};
use msme_core::types::UserId;
use sqlx::postgres::PgRow;

use crate::error::corrupt;
use crate::rows::from_columns;
use crate::rows::{col, Fetch};
use crate::PgStore;

/// `SELECT <every document column> FROM documents <tail>`, as one `&'static str`.
macro_rules! select_documents {
    ($tail:literal) => {
        concat!(
            "SELECT id, owner_id, listing_id, kind, filename, content_type, size_bytes, sha256,
                    blob_key, created_at
             FROM documents ",
            $tail
        )
    };
}

fn document_from_row(row: &PgRow) -> Result<Document, StoreError> {
    let kind: String = col(row, "kind")?;
    Ok(from_columns!(row => Document {
        filename, content_type, size_bytes, sha256, blob_key, created_at;
        id: DocumentId::from_trusted(col(row, "id")?),
        owner_id: UserId::from_trusted(col(row, "owner_id")?),
        listing_id: col::<Option<String>>(row, "listing_id")?.map(ListingId::from_trusted),
        kind: DocumentKind::parse(&kind).map_err(|_| corrupt("document kind", &kind))?,
    }))
}

#[async_trait]
impl DocumentStore for PgStore {
    #[tracing::instrument(skip_all)]
    async fn insert_document(&self, doc: &Document, audit: AuditEvent) -> StoreResult<()> {
        let insert = sqlx::query(
            "INSERT INTO documents (id, owner_id, listing_id, kind, filename, content_type,
                 size_bytes, sha256, blob_key, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(doc.id.as_str())
        .bind(doc.owner_id.as_str())
        .bind(doc.listing_id.as_ref().map(ListingId::as_str))
        .bind(doc.kind.as_str())
        .bind(&doc.filename)
        .bind(&doc.content_type)
        .bind(doc.size_bytes)
        .bind(&doc.sha256)
        .bind(&doc.blob_key)
        .bind(doc.created_at);
        self.audited_run(insert, audit).await.map(drop)
    }

    #[tracing::instrument(skip_all)]
    async fn document_by_id(&self, id: &DocumentId) -> StoreResult<Option<Document>> {
        self.find(
            select_documents!("WHERE id = $1"),
            id.as_str(),
            document_from_row,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn documents_of(
        &self,
        owner: &UserId,
        listing: Option<&ListingId>,
    ) -> StoreResult<Vec<Document>> {
        sqlx::query(select_documents!(
            "WHERE owner_id = $1 AND ($2::text IS NULL OR listing_id = $2)
             ORDER BY created_at, id"
        ))
        .bind(owner.as_str())
        .bind(listing.map(ListingId::as_str))
        .fetch_all_as(&self.pool, document_from_row)
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn documents_of_listing(&self, listing: &ListingId) -> StoreResult<Vec<Document>> {
        self.find_all(
            select_documents!("WHERE listing_id = $1 ORDER BY created_at, id"),
            listing.as_str(),
            document_from_row,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn delete_document(&self, id: &DocumentId, audit: AuditEvent) -> StoreResult<bool> {
        let delete = sqlx::query("DELETE FROM documents WHERE id = $1").bind(id.as_str());
        Ok(self.audited_run(delete, audit).await? > 0)
    }
}
