//! `/v1/kyc/*`: submitting one's own identifiers, and the admins' review desk.

use axum::http::StatusCode;
use axum::Json;
use msme_core::kyc::{KycError, KycStatus};
use msme_core::types::UserId;
use serde::Deserialize;
use tracing::instrument;
use utoipa::IntoParams;

use super::answers::{NotAdmin, NotAwaitingReview, NothingSubmitted};
use super::paging::PageQuery;
use super::parse_id;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Call, PathId};
use crate::wire::profile::{KycBody, KycRequest, ReasonRequest};
use crate::wire::{ErrorBody, Page};

/// Submits (or, after a rejection, resubmits) the caller's own identifiers.
#[utoipa::path(post, path = "/v1/kyc", tag = "kyc",
    request_body = KycRequest,
    responses(
        (status = 201, description = "Submitted for review", body = KycBody),
        (status = 400, description = "An identifier is invalid; `field` names it", body = ErrorBody),
        (status = 409, description = "Already submitted or verified (`illegal_transition`)", body = ErrorBody),
    ))]
#[instrument(skip_all)]
pub async fn submit(
    call: Call,
    ApiJson(body): ApiJson<KycRequest>,
) -> Result<(StatusCode, Json<KycBody>), ApiError> {
    let desk = call.platform.kyc();
    let kyc = desk.submit(&call.meta, &call.actor, body.into()).await?;
    Ok((StatusCode::CREATED, Json(KycBody::from(&kyc))))
}

/// The caller's own record; `not_started` before the first submission.
#[utoipa::path(get, path = "/v1/kyc/me", tag = "kyc",
    responses(
        (status = 200, description = "The record", body = KycBody),
    ))]
#[instrument(skip_all)]
pub async fn mine(call: Call) -> Result<Json<KycBody>, ApiError> {
    let me = call
        .actor
        .user_id()
        .ok_or(msme_core::auth::AuthError::InvalidToken)?;
    match call.platform.kyc().get(&call.actor, me).await {
        Ok(kyc) => Ok(Json(KycBody::from(&kyc))),
        Err(KycError::NotFound) => Ok(Json(KycBody::not_started(me))),
        Err(e) => Err(e.into()),
    }
}

/// Reviewing KYC records.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListKycQuery {
    /// `not_started`, `submitted`, `verified` or `rejected`.
    pub status: Option<String>,
}

/// KYC records in account order, optionally by status (admins only).
#[utoipa::path(get, path = "/v1/kyc", tag = "kyc",
    params(ListKycQuery, PageQuery),
    responses(
        (status = 200, description = "A page of records", body = Page<KycBody>),
        NotAdmin,
    ))]
#[instrument(skip_all)]
pub async fn list(
    call: Call,
    ApiQuery(q): ApiQuery<ListKycQuery>,
    ApiQuery(paging): ApiQuery<PageQuery>,
) -> Result<Json<Page<KycBody>>, ApiError> {
    let status = q.status.as_deref().map(KycStatus::parse).transpose()?;
    let page = paging.parse::<UserId>()?;
    let desk = call.platform.kyc();
    let rows = desk.list(&call.actor, status, page.after.as_ref(), page.fetch());
    Ok(page.page(rows.await?, |k| k.user_id.to_string()))
}

/// One account's record: one's own, or anyone's for an admin.
#[utoipa::path(get, path = "/v1/kyc/{user_id}", tag = "kyc",
    params(("user_id" = String, Path, description = "Account id")),
    responses(
        (status = 200, description = "The record", body = KycBody),
        (status = 403, description = "Someone else's, and not an admin", body = ErrorBody),
        NothingSubmitted,
    ))]
#[instrument(skip_all, fields(user_id = %user))]
pub async fn get(call: Call, PathId(user): PathId<UserId>) -> Result<Json<KycBody>, ApiError> {
    let kyc = call.platform.kyc().get(&call.actor, &user).await?;
    Ok(Json(KycBody::from(&kyc)))
}

/// Marks a submitted record verified (admins only; audited).
#[utoipa::path(post, path = "/v1/kyc/{user_id}/verify", tag = "kyc",
    params(("user_id" = String, Path, description = "Account id")),
    responses(
        (status = 200, description = "The verified record", body = KycBody),
        NotAdmin, NothingSubmitted, NotAwaitingReview,
    ))]
#[instrument(skip_all, fields(user_id = %user))]
pub async fn verify(call: Call, PathId(user): PathId<UserId>) -> Result<Json<KycBody>, ApiError> {
    let desk = call.platform.kyc();
    let kyc = desk.verify(&call.meta, &call.actor, &user).await?;
    Ok(Json(KycBody::from(&kyc)))
}

/// Rejects a submitted record with a reason its owner will read (admins only; audited).
#[utoipa::path(post, path = "/v1/kyc/{user_id}/reject", tag = "kyc",
    params(("user_id" = String, Path, description = "Account id")),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "The rejected record", body = KycBody),
        (status = 400, description = "No reason, or one over 500 characters", body = ErrorBody),
        NotAdmin, NothingSubmitted, NotAwaitingReview,
    ))]
#[instrument(skip_all, fields(user_id = %user_id))]
pub async fn reject(
    call: Call,
    ApiPath(user_id): ApiPath<String>,
    ApiJson(body): ApiJson<ReasonRequest>,
) -> Result<Json<KycBody>, ApiError> {
    let user = parse_id(&user_id, "user_id", UserId::parse)?;
    let desk = call.platform.kyc();
    let kyc = desk
        .reject(&call.meta, &call.actor, &user, &body.reason)
        .await?;
    Ok(Json(KycBody::from(&kyc)))
}
