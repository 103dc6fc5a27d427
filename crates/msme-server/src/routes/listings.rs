//! `/v1/listings` and `/v1/listings/{id}`: browsing, creating, reading and editing (the
//! workflow moves are in [`super::workflow`]). What a reader sees (full or teaser, or nothing) is decided by the core; a listing
//! the caller may not know about answers 404 from every route.

use axum::http::StatusCode;
use axum::Json;
use msme_core::error::ValidationError;
use msme_core::listing::{
    industry, state as state_named, DealType, ListingCursor, ListingId, ListingQuery, ListingSort,
    ListingStatus,
};
use msme_core::money::Paise;
use msme_core::rbac::Actor;
use msme_core::Platform;
use serde::Deserialize;
use tracing::instrument;
use utoipa::IntoParams;

use super::answers::{BadFilter, InvalidField, NotCallersListing};
use super::paging::PageQuery;
use super::parse_id;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Call, PathId};
use crate::wire::listing::{FullListingBody, ListingBody, ListingRequest};
use crate::wire::{ErrorBody, Page};

/// Filters, order and paging of `GET /v1/listings`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListListingsQuery {
    /// An industry id.
    pub industry: Option<String>,
    /// A state's name or code.
    pub state: Option<String>,
    /// Compared without regard to case.
    pub city: Option<String>,
    /// `full_sale`, `partial_stake` or `asset_sale`.
    pub deal_type: Option<String>,
    pub min_price_paise: Option<i64>,
    pub max_price_paise: Option<i64>,
    /// Comma-separated statuses. Honoured for admins and for `mine=true`; everyone else sees
    /// published and under-offer listings only.
    pub status: Option<String>,
    /// Only the caller's own listings, in any status.
    pub mine: Option<bool>,
    /// `newest` (default), `price_asc` or `price_desc`; a `cursor` pages with the same filters
    /// and sort.
    pub sort: Option<String>,
}

impl ListListingsQuery {
    /// The core query; each bad parameter is named.
    fn to_query(&self, actor: &Actor, paging: &PageQuery) -> Result<ListingQuery, ApiError> {
        let price = |field, v: Option<i64>| v.map(|p| Paise::non_negative(field, p)).transpose();
        let mut query = ListingQuery {
            statuses: self.statuses()?,
            seller: self
                .mine
                .unwrap_or(false)
                .then(|| actor.user_id().cloned())
                .flatten(),
            industry: self.industry.as_deref().map(industry).transpose()?,
            state: self.state.as_deref().map(state_named).transpose()?,
            city: self.city.as_ref().map(|c| c.trim().to_string()),
            deal_type: self.deal_type.as_deref().map(DealType::parse).transpose()?,
            min_price: price("min_price_paise", self.min_price_paise)?,
            max_price: price("max_price_paise", self.max_price_paise)?,
            sort: self
                .sort
                .as_deref()
                .map(ListingSort::parse)
                .transpose()?
                .unwrap_or(ListingSort::Newest),
            after: None,
            limit: 0,
        };
        // After the filters, so that a bad filter is the one named, as it always was.
        let page = paging.parse::<ListingCursor>()?;
        (query.after, query.limit) = (page.after, page.limit);
        Ok(query)
    }

    fn statuses(&self) -> Result<Vec<ListingStatus>, ValidationError> {
        let Some(raw) = self.status.as_deref() else {
            return Ok(Vec::new());
        };
        raw.split(',')
            .map(|s| {
                ListingStatus::parse(s.trim()).ok_or_else(|| {
                    let all: Vec<&str> = ListingStatus::ALL.iter().map(|s| s.as_str()).collect();
                    ValidationError::new("status", format!("must be one of {}", all.join(", ")))
                })
            })
            .collect()
    }
}

/// Listings the caller may see, each as a full listing or a teaser.
#[utoipa::path(get, path = "/v1/listings", tag = "listings",
    params(ListListingsQuery, PageQuery),
    responses(
        (status = 200, description = "A page of listings", body = Page<ListingBody>),
        BadFilter,
    ))]
#[instrument(skip_all)]
pub async fn list(
    call: Call,
    ApiQuery(q): ApiQuery<ListListingsQuery>,
    ApiQuery(paging): ApiQuery<PageQuery>,
) -> Result<Json<Page<ListingBody>>, ApiError> {
    let query = q.to_query(&call.actor, &paging)?;
    let (views, next_cursor) = call.platform.listings().list(&call.actor, query).await?;
    Ok(Json(Page {
        items: views.iter().map(ListingBody::from).collect(),
        next_cursor,
    }))
}

/// The listing as `actor` may see it now.
pub(super) async fn shown(
    platform: &Platform,
    actor: &Actor,
    id: &ListingId,
) -> Result<ListingBody, ApiError> {
    let view = platform.listings().get(actor, id).await?;
    Ok(ListingBody::from(&view))
}

pub(super) fn listing_id(raw: &str) -> Result<ListingId, ApiError> {
    parse_id(raw, "id", ListingId::parse)
}

/// Starts a listing as a draft owned by the caller (sellers and agents).
#[utoipa::path(post, path = "/v1/listings", tag = "listings",
    request_body = ListingRequest,
    responses(
        (status = 201, description = "The draft", body = FullListingBody),
        InvalidField,
        (status = 403, description = "This role cannot list businesses", body = ErrorBody),
    ))]
#[instrument(skip_all)]
pub async fn create(
    call: Call,
    ApiJson(body): ApiJson<ListingRequest>,
) -> Result<(StatusCode, Json<ListingBody>), ApiError> {
    if body.version.is_some() {
        let why = "is given only when changing a listing";
        return Err(ValidationError::new("version", why).into());
    }
    let listings = call.platform.listings();
    let listing = listings
        .create(&call.meta, &call.actor, &body.to_input())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(shown(&call.platform, &call.actor, &listing.id).await?),
    ))
}

/// One listing: in full for its owner, admins and buyers granted access, else a teaser.
#[utoipa::path(get, path = "/v1/listings/{id}", tag = "listings",
    params(PathId<ListingId>),
    responses(
        (status = 200, description = "The listing, full or teaser (see `view`)", body = ListingBody),
        (status = 404, description = "No such listing, or not one the caller may know of", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(listing_id = %id))]
pub async fn get(call: Call, PathId(id): PathId<ListingId>) -> Result<Json<ListingBody>, ApiError> {
    let view = call.platform.listings().get(&call.actor, &id).await?;
    // A buyer's read is a view the ranker learns from, written later in a batch.
    call.platform.matching().viewed(&call.actor, &view);
    Ok(Json(ListingBody::from(&view)))
}

/// Replaces the content (owner, while draft or rejected; an approved or published listing goes
/// back to review). `version` must be the one the change was made to.
#[utoipa::path(put, path = "/v1/listings/{id}", tag = "listings",
    params(PathId<ListingId>),
    request_body = ListingRequest,
    responses(
        (status = 200, description = "The changed listing", body = FullListingBody),
        (status = 400, description = "A field is invalid or `version` missing", body = ErrorBody),
        NotCallersListing,
        (status = 409, description = "`conflict` (stale version) or `illegal_transition`", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(listing_id = %id))]
pub async fn update(
    call: Call,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ListingRequest>,
) -> Result<Json<ListingBody>, ApiError> {
    let id = listing_id(&id)?;
    let version = body
        .version
        .ok_or_else(|| ValidationError::new("version", "is required when changing a listing"))?;
    call.platform
        .listings()
        .update(&call.meta, &call.actor, &id, version, &body.to_input())
        .await?;
    Ok(Json(shown(&call.platform, &call.actor, &id).await?))
}
