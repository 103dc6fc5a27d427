//! Documents and images on the wire.

use msme_core::documents::Document;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::time;

/// A stored file's facts (never where its bytes are kept).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DocumentBody {
    pub id: String,
    pub owner_id: String,
    /// The listing it belongs to, if any.
    pub listing_id: Option<String>,
    /// `document` or `image`.
    pub kind: String,
    /// The uploaded name, cleaned of paths and odd characters.
    pub filename: String,
    /// Sniffed from the bytes, never taken from the client.
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<&Document> for DocumentBody {
    fn from(d: &Document) -> Self {
        Self {
            id: d.id.to_string(),
            owner_id: d.owner_id.to_string(),
            listing_id: d.listing_id.as_ref().map(ToString::to_string),
            kind: d.kind.as_str().to_string(),
            filename: d.filename.clone(),
            content_type: d.content_type.clone(),
            size_bytes: d.size_bytes,
            sha256: d.sha256.clone(),
            created_at: time(d.created_at),
        }
    }
}

/// The `multipart/form-data` fields of `POST /v1/documents`.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // describes the form for the OpenAPI document only
pub struct UploadForm {
    /// The file, with its filename. PDF, PNG, JPEG, XLSX, DOCX or CSV as a `document`
    /// (20 MiB at most); PNG, JPEG or WebP as an `image` (10 MiB at most).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// `document` or `image`.
    pub kind: String,
    /// Attach it to one of one's own listings.
    pub listing_id: Option<String>,
}
