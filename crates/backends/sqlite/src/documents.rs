//! Documents and images: [`DocumentStore`].

use async_trait::async_trait;
use msme_core::audit::AuditEvent;
use msme_core::documents::{Document, DocumentId};
use msme_core::listing::ListingId;
use msme_core::ports::{DocumentStore, StoreResult};
use msme_core::types::UserId;
use rusqlite::{params, OptionalExtension, ToSql};

use crate::audit::append;
use crate::error::Step;
use crate::market_rows::{self, DOCUMENT_COLUMNS};
use crate::rows::micros;
use crate::SqliteStore;

#[async_trait]
impl DocumentStore for SqliteStore {
    #[tracing::instrument(skip_all)]
    async fn insert_document(&self, doc: &Document, audit: AuditEvent) -> StoreResult<()> {
        let d = doc.clone();
        self.write(move |tx| {
            let values: [&dyn ToSql; 10] = [
                &d.id.as_str(),
                &d.owner_id.as_str(),
                &d.listing_id.as_ref().map(ListingId::as_str),
                &d.kind.as_str(),
                &d.filename,
                &d.content_type,
                &d.size_bytes,
                &d.sha256,
                &d.blob_key,
                &micros(d.created_at),
            ];
            let sql = format!(
                "INSERT INTO documents ({DOCUMENT_COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            );
            tx.execute(&sql, &values[..]).step("storing a document")?;
            append(tx, audit).map(drop)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn document_by_id(&self, id: &DocumentId) -> StoreResult<Option<Document>> {
        let id = id.to_string();
        self.read("reading a document", move |c| {
            let sql = format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = ?1");
            c.prepare_cached(&sql)?
                .query_row([id], market_rows::document)
                .optional()
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn documents_of(
        &self,
        owner: &UserId,
        listing: Option<&ListingId>,
    ) -> StoreResult<Vec<Document>> {
        let (owner, listing) = (owner.to_string(), listing.map(ListingId::to_string));
        self.read("listing an owner's documents", move |c| {
            let sql = format!(
                "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE owner_id = ?1 \
                 AND (?2 IS NULL OR listing_id = ?2) ORDER BY created_at, id"
            );
            let mut st = c.prepare_cached(&sql)?;
            let rows = st.query_map(params![owner, listing], market_rows::document)?;
            rows.collect()
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn documents_of_listing(&self, listing: &ListingId) -> StoreResult<Vec<Document>> {
        let listing = listing.to_string();
        self.read("listing a listing's documents", move |c| {
            let sql = format!(
                "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE listing_id = ?1 \
                 ORDER BY created_at, id"
            );
            let mut st = c.prepare_cached(&sql)?;
            let rows = st.query_map([listing], market_rows::document)?;
            rows.collect()
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn delete_document(&self, id: &DocumentId, audit: AuditEvent) -> StoreResult<bool> {
        let id = id.to_string();
        self.write(move |tx| {
            let gone = tx
                .execute("DELETE FROM documents WHERE id = ?1", [id])
                .step("deleting a document")?;
            if gone == 0 {
                return Ok(false);
            }
            append(tx, audit).map(|_| true)
        })
        .await
    }
}
