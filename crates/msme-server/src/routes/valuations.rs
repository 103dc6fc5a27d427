//! `/v1/valuations` and `/v1/listings/{id}/valuations`: valuations users ask for and keep.
//! A valuation is readable by whoever asked for it, the owner of the listing valued, and
//! admins; anyone else gets 404, as for one that does not exist.

use axum::http::StatusCode;
use axum::Json;
use msme_core::listing::ListingId;
use msme_core::types::ValuationId;
use tracing::instrument;

use super::answers::{NoSuchValuation, NotSeenInFull};
use crate::error::ApiError;
use crate::extract::{ApiJson, Call, PathId};
use crate::wire::valuation::{Asked, ValuationBody, ValuationRequestBody};
use crate::wire::{ErrorBody, Page};

/// Values a listing, or figures given in paise or in the original design's rupee fields, and
/// keeps the valuation: every method's value, weight and notes, a blended range, a confidence,
/// risks and comparables.
#[utoipa::path(post, path = "/v1/valuations", tag = "valuations",
    request_body = ValuationRequestBody,
    responses(
        (status = 201, description = "The kept valuation", body = ValuationBody),
        (status = 400, description = "A field is invalid, or no method applies; `field` names it", body = ErrorBody),
        NotSeenInFull,
    ))]
#[instrument(skip_all)]
pub async fn create(
    call: Call,
    ApiJson(body): ApiJson<ValuationRequestBody>,
) -> Result<(StatusCode, Json<ValuationBody>), ApiError> {
    let valuations = call.platform.valuations();
    let v = match Asked::try_from(body)? {
        Asked::Listing(id) => {
            valuations
                .valuate_listing(&call.meta, &call.actor, &id)
                .await?
        }
        Asked::Figures(request) => {
            valuations
                .valuate_raw(&call.meta, &call.actor, &request)
                .await?
        }
    };
    Ok((StatusCode::CREATED, Json(ValuationBody::from(&v))))
}

/// One kept valuation.
#[utoipa::path(get, path = "/v1/valuations/{id}", tag = "valuations",
    params(PathId<ValuationId>),
    responses(
        (status = 200, description = "The valuation", body = ValuationBody),
        NoSuchValuation,
    ))]
#[instrument(skip_all, fields(valuation_id = %id))]
pub async fn get(
    call: Call,
    PathId(id): PathId<ValuationId>,
) -> Result<Json<ValuationBody>, ApiError> {
    let v = call.platform.valuations().get(&call.actor, &id).await?;
    Ok(Json(ValuationBody::from(&v)))
}

/// A listing's valuations, newest first: all of them for its owner and admins, the caller's
/// own for others who may see the full listing.
#[utoipa::path(get, path = "/v1/listings/{id}/valuations", tag = "valuations",
    params(PathId<ListingId>),
    responses(
        (status = 200, description = "The valuations (one page)", body = Page<ValuationBody>),
        NotSeenInFull,
    ))]
#[instrument(skip_all, fields(listing_id = %id))]
pub async fn of_listing(
    call: Call,
    PathId(id): PathId<ListingId>,
) -> Result<Json<Page<ValuationBody>>, ApiError> {
    let valuations = call.platform.valuations();
    let all = valuations.of_listing(&call.actor, &id).await?;
    Ok(Json(Page::whole(&all)))
}
