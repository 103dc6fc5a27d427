//! `/v1/saved-searches`: searches kept under a name and run again. Each belongs to the caller
//! who saved it; anyone else gets 404 `saved_search_not_found`.

use axum::http::StatusCode;
use axum::Json;
use msme_core::matching::{SavedSearchId, SavedSearchInput};
use msme_core::search::{SearchCursor, SearchSort};
use tracing::instrument;

use super::answers::{CannotSearch, NoSuchSavedSearch, SearchUnavailable};
use super::parse_id;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, Call, PathId};
use crate::wire::matching::{RunSavedSearchBody, SavedSearchBody, SavedSearchResponse};
use crate::wire::search::{SearchResponse, DEFAULT_LIMIT};
use crate::wire::{ErrorBody, Page};

fn input(body: SavedSearchBody) -> Result<SavedSearchInput, ApiError> {
    Ok(SavedSearchInput {
        name: body.name,
        query: body.query,
        filters: body.filters.to_input().parse()?,
        sort: body
            .sort
            .as_deref()
            .map(SearchSort::parse)
            .transpose()?
            .unwrap_or_default(),
    })
}

fn id(raw: &str) -> Result<SavedSearchId, ApiError> {
    parse_id(raw, "id", SavedSearchId::parse)
}

/// The caller's saved searches, oldest first.
#[utoipa::path(get, path = "/v1/saved-searches", tag = "search",
    responses(
        (status = 200, description = "Every saved search (one page)", body = Page<SavedSearchResponse>),
        CannotSearch,
    ))]
#[instrument(skip_all)]
pub async fn list(call: Call) -> Result<Json<Page<SavedSearchResponse>>, ApiError> {
    let matching = call.platform.matching();
    let all = matching.saved_searches(&call.actor).await?;
    Ok(Json(Page::whole(&all)))
}

/// Saves a search (its query, filters and sort) under a name.
#[utoipa::path(post, path = "/v1/saved-searches", tag = "search",
    request_body = SavedSearchBody,
    responses(
        (status = 201, description = "Saved", body = SavedSearchResponse),
        (status = 400, description = "A bad name, filter or sort; `field` names it", body = ErrorBody),
        CannotSearch,
    ))]
#[instrument(skip_all)]
pub async fn create(
    call: Call,
    ApiJson(body): ApiJson<SavedSearchBody>,
) -> Result<(StatusCode, Json<SavedSearchResponse>), ApiError> {
    let input = input(body)?;
    let matching = call.platform.matching();
    let s = matching
        .save_search(&call.meta, &call.actor, &input)
        .await?;
    Ok((StatusCode::CREATED, Json(SavedSearchResponse::from(&s))))
}

/// One of the caller's saved searches.
#[utoipa::path(get, path = "/v1/saved-searches/{id}", tag = "search",
    params(PathId<SavedSearchId>),
    responses(
        (status = 200, description = "The saved search", body = SavedSearchResponse),
        NoSuchSavedSearch,
    ))]
#[instrument(skip_all)]
pub async fn get(
    call: Call,
    PathId(id): PathId<SavedSearchId>,
) -> Result<Json<SavedSearchResponse>, ApiError> {
    let m = call.platform.matching();
    let s = m.saved_search(&call.actor, &id).await?;
    Ok(Json(SavedSearchResponse::from(&s)))
}

/// Replaces a saved search's name, query, filters and sort.
#[utoipa::path(put, path = "/v1/saved-searches/{id}", tag = "search",
    params(PathId<SavedSearchId>),
    request_body = SavedSearchBody,
    responses(
        (status = 200, description = "The saved search", body = SavedSearchResponse),
        (status = 400, description = "A bad id, name, filter or sort", body = ErrorBody),
        NoSuchSavedSearch,
    ))]
#[instrument(skip_all)]
pub async fn update(
    call: Call,
    ApiPath(raw): ApiPath<String>,
    ApiJson(body): ApiJson<SavedSearchBody>,
) -> Result<Json<SavedSearchResponse>, ApiError> {
    let (id, input) = (id(&raw)?, input(body)?);
    let m = call.platform.matching();
    let s = m
        .update_saved_search(&call.meta, &call.actor, &id, &input)
        .await?;
    Ok(Json(SavedSearchResponse::from(&s)))
}

/// Deletes one of the caller's saved searches.
#[utoipa::path(delete, path = "/v1/saved-searches/{id}", tag = "search",
    params(PathId<SavedSearchId>),
    responses(
        (status = 204, description = "Deleted"),
        NoSuchSavedSearch,
    ))]
#[instrument(skip_all)]
pub async fn delete(call: Call, PathId(id): PathId<SavedSearchId>) -> Result<StatusCode, ApiError> {
    let m = call.platform.matching();
    m.delete_saved_search(&call.meta, &call.actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Runs a saved search: a page of results exactly as `POST /v1/search` answers it.
#[utoipa::path(post, path = "/v1/saved-searches/{id}/run", tag = "search",
    params(PathId<SavedSearchId>),
    request_body = RunSavedSearchBody,
    responses(
        (status = 200, description = "A page of hits", body = SearchResponse),
        (status = 400, description = "A bad id, limit or cursor", body = ErrorBody),
        NoSuchSavedSearch, SearchUnavailable,
    ))]
#[instrument(skip_all)]
pub async fn run(
    call: Call,
    ApiPath(raw): ApiPath<String>,
    ApiJson(body): ApiJson<RunSavedSearchBody>,
) -> Result<Json<SearchResponse>, ApiError> {
    let id = id(&raw)?;
    let cursor = body
        .cursor
        .as_deref()
        .map(SearchCursor::decode)
        .transpose()?;
    let limit = body.limit.unwrap_or(DEFAULT_LIMIT);
    let m = call.platform.matching();
    let page = m.run_saved_search(&call.actor, &id, limit, cursor).await?;
    Ok(Json(SearchResponse::from(&page)))
}
