//! Documents and images: uploaded files whose bytes live in a blob store and whose facts
//! (size, sniffed type, SHA-256) live in the database.

use chrono::{DateTime, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit::{RequestMeta, Stamp};
use crate::blob::BlobError;
use crate::error::{chain, impl_domain_error, StoreError, ValidationError};
use crate::marketplace::MarketplacePorts;
use crate::rbac::{Actor, Forbidden, Permission};
pub use crate::types::DocumentId;
use crate::types::{ListingId, UserId};

/// What a file is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    /// A paper: financial statements, registrations, contracts.
    Document,
    /// A picture of the business, shown with its listing.
    Image,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Document => "document",
            DocumentKind::Image => "image",
        }
    }
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        match s {
            "document" => Ok(DocumentKind::Document),
            "image" => Ok(DocumentKind::Image),
            _ => Err(ValidationError::new("kind", "must be document or image")),
        }
    }
    /// Largest accepted file.
    pub fn max_bytes(self) -> usize {
        match self {
            DocumentKind::Document => 20 * 1024 * 1024,
            DocumentKind::Image => 10 * 1024 * 1024,
        }
    }
    fn allows(self, content_type: &str) -> bool {
        match self {
            DocumentKind::Image => IMAGE_TYPES.contains(&content_type),
            DocumentKind::Document => DOCUMENT_TYPES.contains(&content_type),
        }
    }
}

const IMAGE_TYPES: &[&str] = &["image/png", "image/jpeg", "image/webp"];
const DOCUMENT_TYPES: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text/csv",
];

/// A stored file's facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub id: DocumentId,
    pub owner_id: UserId,
    pub listing_id: Option<ListingId>,
    pub kind: DocumentKind,
    /// The name the uploader gave, cleaned of paths.
    pub filename: String,
    /// Sniffed from the bytes, never taken from the client.
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    pub blob_key: String,
    pub created_at: DateTime<Utc>,
}

/// The content type the bytes show, by their magic numbers; `None` when unrecognised.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        return Some("application/pdf");
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("image/jpeg");
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some("image/webp");
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // Office Open XML files are zip archives whose first entries name their part.
        let head = &bytes[..bytes.len().min(4096)];
        let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
        if has(b"xl/") {
            return Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        }
        if has(b"word/") {
            return Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        }
        return None;
    }
    let text = std::str::from_utf8(&bytes[..bytes.len().min(8192)]).ok()?;
    let printable = !text.is_empty()
        && !text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
    (printable && text.lines().next().is_some_and(|l| l.contains(','))).then_some("text/csv")
}

/// Keeps the last path segment, and only characters safe in a download header.
pub fn clean_filename(raw: &str) -> Result<String, ValidationError> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')'))
        .take(200)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        return Err(ValidationError::new(
            "filename",
            "must have a name made of letters, digits, dots or dashes",
        ));
    }
    Ok(cleaned)
}

/// Failures of document operations.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("the file is {size} bytes; the limit for a {kind} is {limit} bytes")]
    TooLarge {
        size: usize,
        limit: usize,
        kind: &'static str,
    },
    #[error("this kind of file is not accepted as a {kind} (its content is {found})")]
    UnsupportedType {
        kind: &'static str,
        found: &'static str,
    },
    #[error("no such document")]
    NotFound,
    #[error("no such listing")]
    ListingNotFound,
    #[error("file storage is not configured")]
    NoBlobStore,
    #[error("file storage failed")]
    Blob(#[from] BlobError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl_domain_error!(DocumentError {
    via: Invalid, Forbidden, Store;
    codes: {
        Self::TooLarge { .. } => "file_too_large", InvalidInput;
        Self::UnsupportedType { .. } => "unsupported_file_type", InvalidInput;
        Self::NotFound => "document_not_found", NotFound;
        Self::ListingNotFound => "listing_not_found", NotFound;
        Self::NoBlobStore | Self::Blob(_) => "storage_unavailable", Unavailable;
    }
    fields: {
        Self::TooLarge { .. } | Self::UnsupportedType { .. } => "file";
    }
});

/// A file to store.
#[derive(Clone, Debug)]
pub struct Upload {
    pub kind: DocumentKind,
    pub filename: String,
    pub listing_id: Option<ListingId>,
    pub bytes: Vec<u8>,
}

/// Document operations; get one from [`Platform::documents`](crate::Platform::documents).
pub struct Documents<'a> {
    pub(crate) store: &'a dyn MarketplacePorts,
    pub(crate) stamp: Stamp<'a>,
    pub(crate) blobs: Option<&'a dyn crate::blob::BlobStore>,
}

impl<'a> Documents<'a> {
    /// Listings, on the same ports: a listing's documents follow its owner and visibility.
    fn listings(&self) -> crate::listing::Listings<'a> {
        crate::listing::Listings {
            store: self.store,
            stamp: self.stamp,
        }
    }
}

impl Documents<'_> {
    /// Stores a file. The blob is written first and removed again if the row cannot be, so a
    /// failed upload leaves neither behind.
    pub async fn upload(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        up: Upload,
    ) -> Result<Document, DocumentError> {
        actor.require(Permission::ManageOwnAccount)?;
        let owner = actor
            .user_id()
            .cloned()
            .ok_or(DocumentError::Forbidden(Forbidden(
                Permission::ManageOwnAccount,
            )))?;
        if let Some(listing) = &up.listing_id {
            self.listings()
                .require_owner(actor, listing)
                .await
                .map_err(|_| DocumentError::ListingNotFound)?;
        }
        let doc = self.describe(owner, &up)?;
        let blobs = self.blobs.ok_or(DocumentError::NoBlobStore)?;
        blobs
            .put(&doc.blob_key, up.bytes, &doc.content_type)
            .await?;
        let event = self.stamp.event(
            meta,
            actor.audit_actor(),
            "document.uploaded",
            ("document", doc.id.as_str()),
            json!({ "kind": doc.kind.as_str(), "size_bytes": doc.size_bytes, "sha256": doc.sha256, "listing_id": doc.listing_id.as_ref().map(|l| l.to_string()) }),
        );
        if let Err(e) = self.store.insert_document(&doc, event).await {
            if let Err(cleanup) = blobs.delete(&doc.blob_key).await {
                tracing::error!(key = %doc.blob_key, error = %chain(&cleanup), "could not remove the blob of a failed upload");
            }
            return Err(e.into());
        }
        Ok(doc)
    }

    fn describe(&self, owner: UserId, up: &Upload) -> Result<Document, DocumentError> {
        let limit = up.kind.max_bytes();
        if up.bytes.len() > limit {
            return Err(DocumentError::TooLarge {
                size: up.bytes.len(),
                limit,
                kind: up.kind.as_str(),
            });
        }
        if up.bytes.is_empty() {
            return Err(ValidationError::new("file", "is empty").into());
        }
        let found = sniff(&up.bytes).unwrap_or("unrecognised");
        if !up.kind.allows(found) {
            return Err(DocumentError::UnsupportedType {
                kind: up.kind.as_str(),
                found,
            });
        }
        let id = DocumentId::generate();
        Ok(Document {
            blob_key: format!("documents/{id}"),
            id,
            owner_id: owner,
            listing_id: up.listing_id.clone(),
            kind: up.kind,
            filename: clean_filename(&up.filename)?,
            content_type: found.to_string(),
            size_bytes: up.bytes.len() as i64,
            sha256: hex::encode(Sha256::digest(&up.bytes)),
            created_at: self.stamp.now(),
        })
    }

    /// The actor's own files, optionally only those of one listing.
    pub async fn mine(
        &self,
        actor: &Actor,
        listing: Option<&ListingId>,
    ) -> Result<Vec<Document>, DocumentError> {
        let owner = actor.user_id().ok_or(DocumentError::NotFound)?;
        Ok(self.store.documents_of(owner, listing).await?)
    }

    /// A document's facts, if the actor may see it: its owner, an admin, or someone who may
    /// see the full listing it belongs to. Otherwise it does not exist for them.
    pub async fn get(&self, actor: &Actor, id: &DocumentId) -> Result<Document, DocumentError> {
        let doc = self
            .store
            .document_by_id(id)
            .await?
            .ok_or(DocumentError::NotFound)?;
        if actor.user_id() == Some(&doc.owner_id) || actor.can(Permission::ReviewListings) {
            return Ok(doc);
        }
        match &doc.listing_id {
            Some(l)
                if self
                    .listings()
                    .may_see_full(actor, l)
                    .await
                    .unwrap_or(false) =>
            {
                Ok(doc)
            }
            _ => Err(DocumentError::NotFound),
        }
    }

    /// The files of a listing (of one kind, or all), for whoever may see the full listing;
    /// others are told the listing does not exist.
    pub async fn of_listing(
        &self,
        actor: &Actor,
        listing: &ListingId,
        kind: Option<DocumentKind>,
    ) -> Result<Vec<Document>, DocumentError> {
        if !self
            .listings()
            .may_see_full(actor, listing)
            .await
            .unwrap_or(false)
        {
            return Err(DocumentError::ListingNotFound);
        }
        let docs = self.store.documents_of_listing(listing).await?;
        Ok(docs
            .into_iter()
            .filter(|d| kind.is_none_or(|k| d.kind == k))
            .collect())
    }

    /// The facts and the bytes.
    pub async fn download(
        &self,
        actor: &Actor,
        id: &DocumentId,
    ) -> Result<(Document, Vec<u8>), DocumentError> {
        let doc = self.get(actor, id).await?;
        let blobs = self.blobs.ok_or(DocumentError::NoBlobStore)?;
        let bytes = blobs
            .get(&doc.blob_key)
            .await?
            .ok_or(DocumentError::NotFound)?;
        Ok((doc, bytes))
    }

    /// Removes a file: the row (with its audit entry) first, then the blob.
    pub async fn delete(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        id: &DocumentId,
    ) -> Result<(), DocumentError> {
        let doc = self
            .store
            .document_by_id(id)
            .await?
            .ok_or(DocumentError::NotFound)?;
        if actor.user_id() != Some(&doc.owner_id) && !actor.can(Permission::ReviewListings) {
            return Err(DocumentError::NotFound);
        }
        let event = self.stamp.event(
            meta,
            actor.audit_actor(),
            "document.deleted",
            ("document", id.as_str()),
            json!({}),
        );
        if !self.store.delete_document(id, event).await? {
            return Err(DocumentError::NotFound);
        }
        if let Some(blobs) = &self.blobs {
            if let Err(e) = blobs.delete(&doc.blob_key).await {
                tracing::warn!(key = %doc.blob_key, error = %chain(&e), "blob left behind; `msme documents sweep` removes it");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_trusts_bytes_not_names() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"year,revenue\n2025,100\n"), Some("text/csv"));
        assert_eq!(sniff(b"MZ\x90\0\x03"), None);
        assert_eq!(
            sniff(b"PK\x03\x04....xl/workbook.xml"),
            Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        );
        assert_eq!(sniff(b"PK\x03\x04....evil.exe"), None);
    }

    #[test]
    fn images_accept_only_pictures() {
        assert!(DocumentKind::Image.allows("image/webp"));
        assert!(!DocumentKind::Image.allows("application/pdf"));
        assert!(DocumentKind::Document.allows("application/pdf"));
    }

    #[test]
    fn filenames_lose_paths_and_odd_characters() {
        assert_eq!(clean_filename("../../etc/passwd").unwrap(), "passwd");
        assert_eq!(
            clean_filename("C:\\docs\\P&L FY25.pdf").unwrap(),
            "PL FY25.pdf"
        );
        assert_eq!(clean_filename("report\r\n.pdf").unwrap(), "report.pdf");
        assert!(clean_filename("../..").is_err());
    }
}
