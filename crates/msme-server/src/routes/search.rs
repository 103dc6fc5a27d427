//! `POST /v1/search`: full-text search over published listings, with filters and facets.

use axum::Json;
use tracing::instrument;

use super::answers::{BadFilter, CannotSearch, SearchUnavailable};
use crate::error::ApiError;
use crate::extract::{ApiJson, Call};
use crate::wire::search::{SearchRequestBody, SearchResponse};

/// Published listings matching the query and filters, with facet counts over every hit.
/// Each listing is shown in full where the caller has access, else as a teaser; anonymous
/// listings are never found by their hidden title, description or city.
#[utoipa::path(post, path = "/v1/search", tag = "search",
    request_body = SearchRequestBody,
    responses(
        (status = 200, description = "A page of hits", body = SearchResponse),
        BadFilter, CannotSearch, SearchUnavailable,
    ))]
#[instrument(skip_all)]
pub async fn search(
    call: Call,
    ApiJson(body): ApiJson<SearchRequestBody>,
) -> Result<Json<SearchResponse>, ApiError> {
    let request = body.to_request()?;
    let page = call.platform.search().query(&call.actor, request).await?;
    Ok(Json(SearchResponse::from(&page)))
}
