//! `/v1/documents/*`: uploading, listing, reading, downloading and deleting files.
//!
//! Someone else's document answers 404, as if it did not exist, unless the caller may see the
//! full listing it belongs to (the core decides).

use axum::extract::Multipart;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use msme_core::documents::{Document, DocumentId, DocumentKind, Upload};
use msme_core::error::ValidationError;
use msme_core::listing::ListingId;
use serde::Deserialize;
use tracing::instrument;
use utoipa::IntoParams;

use super::answers::NotCallersDocument;
use super::parse_id;
use crate::error::ApiError;
use crate::extract::{ApiMultipart, ApiQuery, Call, PathId};
use crate::wire::document::{DocumentBody, UploadForm};
use crate::wire::{ErrorBody, Page};

/// The upload route's body limit: the largest file any kind takes, plus room for the form.
/// Files over their kind's own limit but under this one get `file_too_large` from the core.
pub fn upload_body_limit() -> usize {
    let largest = [DocumentKind::Document, DocumentKind::Image]
        .map(DocumentKind::max_bytes)
        .into_iter()
        .max()
        .unwrap_or(0);
    largest + 64 * 1024
}

/// Stores a file (`multipart/form-data`: `file`, `kind`, optional `listing_id`). The content
/// type is sniffed from the bytes; types outside the allow-list are refused.
#[utoipa::path(post, path = "/v1/documents", tag = "documents",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored", body = DocumentBody),
        (status = 400, description = "Missing field, `unsupported_file_type` or `file_too_large`", body = ErrorBody),
        (status = 404, description = "`listing_id` is not one of the caller's listings", body = ErrorBody),
        (status = 413, description = "The body is over the upload limit", body = ErrorBody),
        (status = 415, description = "Not `multipart/form-data`", body = ErrorBody),
    ))]
#[instrument(skip_all)]
pub async fn upload(
    call: Call,
    ApiMultipart(form): ApiMultipart,
) -> Result<(StatusCode, Json<DocumentBody>), ApiError> {
    let up = read_upload(form).await?;
    let documents = call.platform.documents();
    let doc = documents.upload(&call.meta, &call.actor, up).await?;
    Ok((StatusCode::CREATED, Json(DocumentBody::from(&doc))))
}

/// Reads the form's fields in any order; unknown fields are refused.
async fn read_upload(mut form: Multipart) -> Result<Upload, ApiError> {
    let (mut file, mut kind, mut listing_id) = (None, None, None);
    while let Some(field) = form.next_field().await? {
        match field.name().unwrap_or("") {
            "file" => {
                let name = field.file_name().unwrap_or("").to_string();
                file = Some((name, field.bytes().await?.to_vec()));
            }
            "kind" => kind = Some(DocumentKind::parse(field.text().await?.trim())?),
            "listing_id" => {
                let raw = field.text().await?;
                listing_id = Some(parse_id(raw.trim(), "listing_id", ListingId::parse)?);
            }
            other => {
                let why = format!("`{other}` is not a field of this form");
                return Err(ValidationError::new(other, why).into());
            }
        }
    }
    let (filename, bytes) = file.ok_or_else(|| missing("file"))?;
    Ok(Upload {
        kind: kind.ok_or_else(|| missing("kind"))?,
        filename,
        listing_id,
        bytes,
    })
}

fn missing(field: &str) -> ApiError {
    ValidationError::new(field, "is required").into()
}

/// Filtering one's own documents.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListDocumentsQuery {
    /// Only those attached to this listing.
    pub listing_id: Option<String>,
}

/// The caller's own documents, oldest first (one page: `next_cursor` is always null).
#[utoipa::path(get, path = "/v1/documents", tag = "documents",
    params(ListDocumentsQuery),
    responses(
        (status = 200, description = "The caller's documents", body = Page<DocumentBody>),
    ))]
#[instrument(skip_all)]
pub async fn list(
    call: Call,
    ApiQuery(q): ApiQuery<ListDocumentsQuery>,
) -> Result<Json<Page<DocumentBody>>, ApiError> {
    let listing = q.listing_id.as_deref();
    let listing = listing
        .map(|l| parse_id(l, "listing_id", ListingId::parse))
        .transpose()?;
    let documents = call.platform.documents();
    let docs = documents.mine(&call.actor, listing.as_ref()).await?;
    Ok(Json(Page::whole(&docs)))
}

/// A document's facts.
#[utoipa::path(get, path = "/v1/documents/{id}", tag = "documents",
    params(PathId<DocumentId>),
    responses(
        (status = 200, description = "The document", body = DocumentBody),
        NotCallersDocument,
    ))]
#[instrument(skip_all, fields(document_id = %id))]
pub async fn get(
    call: Call,
    PathId(id): PathId<DocumentId>,
) -> Result<Json<DocumentBody>, ApiError> {
    let doc = call.platform.documents().get(&call.actor, &id).await?;
    Ok(Json(DocumentBody::from(&doc)))
}

/// The bytes, as an attachment with the sniffed content type.
#[utoipa::path(get, path = "/v1/documents/{id}/content", tag = "documents",
    params(PathId<DocumentId>),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream", body = String),
        NotCallersDocument,
    ))]
#[instrument(skip_all, fields(document_id = %id))]
pub async fn content(call: Call, PathId(id): PathId<DocumentId>) -> Result<Response, ApiError> {
    let (doc, bytes) = call.platform.documents().download(&call.actor, &id).await?;
    Ok((download_headers(&doc)?, bytes).into_response())
}

/// Headers that make browsers save the file rather than render it as something else.
fn download_headers(doc: &Document) -> Result<HeaderMap, ApiError> {
    let mut h = HeaderMap::new();
    let value = |s: &str| HeaderValue::from_str(s).map_err(|_| ApiError::internal());
    h.insert(header::CONTENT_TYPE, value(&doc.content_type)?);
    h.insert(
        header::CONTENT_DISPOSITION,
        value(&disposition(&doc.filename))?,
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(h)
}

/// `attachment` with an ASCII `filename` and, for other characters, an RFC 5987 `filename*`.
fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .filter(|c| *c != '"' && *c != '\\')
        .collect();
    if ascii == name {
        return format!("attachment; filename=\"{ascii}\"");
    }
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Removes a document (its owner, or an admin).
#[utoipa::path(delete, path = "/v1/documents/{id}", tag = "documents",
    params(PathId<DocumentId>),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such document, or not the caller's", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(document_id = %id))]
pub async fn delete(call: Call, PathId(id): PathId<DocumentId>) -> Result<StatusCode, ApiError> {
    call.platform
        .documents()
        .delete(&call.meta, &call.actor, &id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::disposition;

    #[test]
    fn plain_names_are_quoted_and_others_also_encoded() {
        assert_eq!(
            disposition("PL FY25.pdf"),
            "attachment; filename=\"PL FY25.pdf\""
        );
        assert_eq!(
            disposition("बही.pdf"),
            "attachment; filename=\"___.pdf\"; filename*=UTF-8''%E0%A4%AC%E0%A4%B9%E0%A5%80.pdf"
        );
    }
}
