//! What hangs off a listing: its asset inventory, images and documents, and the buyers granted
//! access to it. Changes are the owner's (or an admin's); reads need the full listing. Anyone
//! else gets 404, as for a listing that does not exist.

use axum::http::StatusCode;
use axum::Json;
use msme_core::documents::DocumentKind;
use msme_core::listing::{AssetInput, ListingId};
use msme_core::types::UserId;
use tracing::instrument;

use super::answers::{InvalidField, ListingNotEditable, NotCallersListing, OnlyTeaserVisible};
use super::parse_id;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, Call, PathId};
use crate::wire::access::{AccessGrantBody, AccessRequest};
use crate::wire::document::DocumentBody;
use crate::wire::listing::{AssetBody, AssetRequest};
use crate::wire::{time, ErrorBody, Page};

fn listing_id(raw: &str) -> Result<ListingId, ApiError> {
    parse_id(raw, "id", ListingId::parse)
}

/// The asset inventory, for those who may see the full listing.
#[utoipa::path(get, path = "/v1/listings/{id}/assets", tag = "listings",
    params(PathId<ListingId>),
    responses(
        (status = 200, description = "Every asset (one page)", body = Page<AssetBody>),
        OnlyTeaserVisible,
    ))]
#[instrument(skip_all, fields(listing_id = %id))]
pub async fn assets(
    call: Call,
    PathId(id): PathId<ListingId>,
) -> Result<Json<Page<AssetBody>>, ApiError> {
    let assets = call.platform.listings().assets(&call.actor, &id).await?;
    Ok(Json(Page::whole(&assets)))
}

/// Adds an item to the inventory (owner, while the listing can be edited).
#[utoipa::path(post, path = "/v1/listings/{id}/assets", tag = "listings",
    params(PathId<ListingId>),
    request_body = AssetRequest,
    responses(
        (status = 201, description = "The new asset", body = AssetBody),
        InvalidField, NotCallersListing, ListingNotEditable,
    ))]
#[instrument(skip_all, fields(listing_id = %id))]
pub async fn add_asset(
    call: Call,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<AssetRequest>,
) -> Result<(StatusCode, Json<AssetBody>), ApiError> {
    let id = listing_id(&id)?;
    let input = AssetInput {
        item: body.item,
        category: body.category,
        quantity: body.quantity,
        book_value_paise: body.book_value_paise,
        condition: body.condition,
    };
    let listings = call.platform.listings();
    let asset = listings
        .add_asset(&call.meta, &call.actor, &id, &input)
        .await?;
    Ok((StatusCode::CREATED, Json(AssetBody::from(&asset))))
}

/// Removes an item from the inventory (owner, while the listing can be edited).
#[utoipa::path(delete, path = "/v1/listings/{id}/assets/{asset_id}", tag = "listings",
    params(
        ("id" = String, Path, description = "Listing id"),
        ("asset_id" = String, Path, description = "Asset id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such listing of the caller's, or no such asset on it", body = ErrorBody),
        ListingNotEditable,
    ))]
#[instrument(skip_all, fields(listing_id = %id, asset_id = %asset_id))]
pub async fn remove_asset(
    call: Call,
    ApiPath((id, asset_id)): ApiPath<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let id = listing_id(&id)?;
    let listings = call.platform.listings();
    listings
        .remove_asset(&call.meta, &call.actor, &id, &asset_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The listing's files of `kind` (all kinds for `None`), if the actor may see the full listing.
async fn files(
    call: &Call,
    id: &ListingId,
    kind: Option<DocumentKind>,
) -> Result<Json<Page<DocumentBody>>, ApiError> {
    let documents = call.platform.documents();
    let docs = documents.of_listing(&call.actor, id, kind).await?;
    Ok(Json(Page::whole(&docs)))
}

/// The listing's images, for those who may see the full listing.
#[utoipa::path(get, path = "/v1/listings/{id}/images", tag = "listings",
    params(PathId<ListingId>),
    responses(
        (status = 200, description = "Image documents, oldest first (one page)", body = Page<DocumentBody>),
        OnlyTeaserVisible,
    ))]
#[instrument(skip_all, fields(listing_id = %id))]
pub async fn images(
    call: Call,
    PathId(id): PathId<ListingId>,
) -> Result<Json<Page<DocumentBody>>, ApiError> {
    files(&call, &id, Some(DocumentKind::Image)).await
}

/// All the listing's files (documents and images), for those who may see the full listing.
#[utoipa::path(get, path = "/v1/listings/{id}/documents", tag = "listings",
    params(PathId<ListingId>),
    responses(
        (status = 200, description = "Documents and images, oldest first (one page)", body = Page<DocumentBody>),
        OnlyTeaserVisible,
    ))]
#[instrument(skip_all, fields(listing_id = %id))]
pub async fn documents(
    call: Call,
    PathId(id): PathId<ListingId>,
) -> Result<Json<Page<DocumentBody>>, ApiError> {
    files(&call, &id, None).await
}

/// Buyers granted access, oldest grant first (owner or admin).
#[utoipa::path(get, path = "/v1/listings/{id}/access", tag = "listings",
    params(PathId<ListingId>),
    responses(
        (status = 200, description = "Every grant (one page)", body = Page<AccessGrantBody>),
        NotCallersListing,
    ))]
#[instrument(skip_all, fields(listing_id = %id))]
pub async fn access(
    call: Call,
    PathId(id): PathId<ListingId>,
) -> Result<Json<Page<AccessGrantBody>>, ApiError> {
    let listings = call.platform.listings();
    let grants = listings.access_grants(&call.actor, &id).await?;
    let items = grants.into_iter().map(|(buyer, at)| AccessGrantBody {
        buyer_id: buyer.to_string(),
        granted_at: Some(time(at)),
    });
    Ok(Json(Page::all(items.collect())))
}

/// Lets a buyer (or agent, or NBFC) see the full listing, its documents and the seller's
/// identity (owner or admin). 201 for a new grant, 200 when it already existed.
#[utoipa::path(post, path = "/v1/listings/{id}/access", tag = "listings",
    params(PathId<ListingId>),
    request_body = AccessRequest,
    responses(
        (status = 201, description = "Granted", body = AccessGrantBody),
        (status = 200, description = "Already granted", body = AccessGrantBody),
        (status = 400, description = "`buyer_id` is not an account id", body = ErrorBody),
        (status = 404, description = "No such listing of the caller's, or no such buyer", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(listing_id = %id))]
pub async fn grant(
    call: Call,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<AccessRequest>,
) -> Result<(StatusCode, Json<AccessGrantBody>), ApiError> {
    let id = listing_id(&id)?;
    let buyer = parse_id(&body.buyer_id, "buyer_id", UserId::parse)?;
    let listings = call.platform.listings();
    let new = listings
        .grant_access(&call.meta, &call.actor, &id, &buyer)
        .await?;
    let grants = listings.access_grants(&call.actor, &id).await?;
    let granted_at = grants
        .iter()
        .find(|(b, _)| *b == buyer)
        .map(|(_, at)| time(*at));
    let status = super::created_or_ok(new);
    let body = AccessGrantBody {
        buyer_id: buyer.to_string(),
        granted_at,
    };
    Ok((status, Json(body)))
}

/// Takes a grant back (owner or admin). 204 whether or not there was one.
#[utoipa::path(delete, path = "/v1/listings/{id}/access/{buyer_id}", tag = "listings",
    params(
        ("id" = String, Path, description = "Listing id"),
        ("buyer_id" = String, Path, description = "The buyer's account id"),
    ),
    responses(
        (status = 204, description = "No grant remains"),
        NotCallersListing,
    ))]
#[instrument(skip_all, fields(listing_id = %id))]
pub async fn revoke(
    call: Call,
    ApiPath((id, buyer_id)): ApiPath<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let id = listing_id(&id)?;
    let buyer = parse_id(&buyer_id, "buyer_id", UserId::parse)?;
    let listings = call.platform.listings();
    listings
        .revoke_access(&call.meta, &call.actor, &id, &buyer)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
