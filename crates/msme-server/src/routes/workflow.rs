//! `POST /v1/listings/{id}/{submit|approve|reject|publish|withdraw}` and `DELETE
//! /v1/listings/{id}`: the approval workflow. The core's state machine decides which moves are
//! legal (409 `illegal_transition` otherwise) and who may make them.

use axum::Json;
use msme_core::listing::{ListingAction, ListingId};
use tracing::instrument;

use super::answers::{NoSuchListing, NotAdmin, NotCallersListing};
use super::listings::{listing_id, shown};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, Call, PathId};
use crate::wire::listing::{FullListingBody, ListingBody};
use crate::wire::profile::ReasonRequest;
use crate::wire::ErrorBody;

/// Moves a listing through the workflow and answers with it.
async fn act(
    call: &Call,
    id: &ListingId,
    action: ListingAction,
    reason: Option<&str>,
) -> Result<Json<ListingBody>, ApiError> {
    let Call {
        platform,
        actor,
        meta,
    } = call;
    let listings = platform.listings();
    listings.transition(meta, actor, id, action, reason).await?;
    Ok(Json(shown(platform, actor, id).await?))
}

/// Withdraws the listing (owner or admin); the same as `POST /v1/listings/{id}/withdraw`.
#[utoipa::path(delete, path = "/v1/listings/{id}", tag = "listings",
    params(PathId<ListingId>),
    responses(
        (status = 200, description = "The withdrawn listing", body = FullListingBody),
        NotCallersListing,
        (status = 409, description = "Cannot be withdrawn now (`illegal_transition`)", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(listing_id = %id))]
pub async fn delete(
    call: Call,
    PathId(id): PathId<ListingId>,
) -> Result<Json<ListingBody>, ApiError> {
    act(&call, &id, ListingAction::Withdraw, None).await
}

/// Declares and defines a workflow endpoint without a body.
macro_rules! workflow {
    ($name:ident, $path:literal, $action:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "listings",
            params(PathId<ListingId>),
            responses(
                (status = 200, description = "The listing after the move", body = FullListingBody),
                (status = 403, description = "Approving needs an admin", body = ErrorBody),
                NotCallersListing,
                (status = 409, description = "Not allowed from its status (`illegal_transition`)", body = ErrorBody),
            ))]
        #[instrument(skip_all, fields(listing_id = %id))]
        pub async fn $name(
            call: Call,
            PathId(id): PathId<ListingId>,
        ) -> Result<Json<ListingBody>, ApiError> {
            act(&call, &id, $action, None).await
        }
    };
}

workflow!(
    submit,
    "/v1/listings/{id}/submit",
    ListingAction::Submit,
    "Sends a draft or rejected listing for review (owner)."
);
workflow!(
    approve,
    "/v1/listings/{id}/approve",
    ListingAction::Approve,
    "Approves a submitted listing (admins only)."
);
workflow!(
    publish,
    "/v1/listings/{id}/publish",
    ListingAction::Publish,
    "Makes an approved listing visible to buyers (owner)."
);
workflow!(
    withdraw,
    "/v1/listings/{id}/withdraw",
    ListingAction::Withdraw,
    "Takes the listing off the market (owner or admin)."
);

/// Rejects a submitted listing with a reason the seller will read (admins only).
#[utoipa::path(post, path = "/v1/listings/{id}/reject", tag = "listings",
    params(PathId<ListingId>),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "The rejected listing", body = FullListingBody),
        (status = 400, description = "No reason, or one over 1000 characters", body = ErrorBody),
        NotAdmin, NoSuchListing,
        (status = 409, description = "Not submitted (`illegal_transition`)", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(listing_id = %id))]
pub async fn reject(
    call: Call,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ReasonRequest>,
) -> Result<Json<ListingBody>, ApiError> {
    let reason = Some(body.reason.as_str());
    act(&call, &listing_id(&id)?, ListingAction::Reject, reason).await
}
