//! `/v1/profiles/*`: one's own profile, and reading others'. Only one's own can be changed:
//! there is no route that writes someone else's.

use axum::Json;
use msme_core::types::UserId;
use tracing::instrument;

use super::answers::NoSuchAccount;
use crate::error::ApiError;
use crate::extract::{ApiJson, Call, PathId};
use crate::wire::profile::{ProfileBody, ProfileFieldsBody};
use crate::wire::ErrorBody;

/// The caller's own profile, with its completion score and missing fields.
#[utoipa::path(get, path = "/v1/profiles/me", tag = "profiles",
    responses(
        (status = 200, description = "The profile (empty fields before the first save)", body = ProfileBody),
    ))]
#[instrument(skip_all)]
pub async fn mine(call: Call) -> Result<Json<ProfileBody>, ApiError> {
    let view = call.platform.profiles().mine(&call.actor).await?;
    Ok(Json(ProfileBody::from(&view)))
}

/// Replaces the caller's own profile; fields that do not apply to the role are refused.
#[utoipa::path(put, path = "/v1/profiles/me", tag = "profiles",
    request_body = ProfileFieldsBody,
    responses(
        (status = 200, description = "The saved profile", body = ProfileBody),
        (status = 400, description = "A field is invalid or not for this role; `field` names it", body = ErrorBody),
    ))]
#[instrument(skip_all)]
pub async fn update_mine(
    call: Call,
    ApiJson(body): ApiJson<ProfileFieldsBody>,
) -> Result<Json<ProfileBody>, ApiError> {
    let profiles = call.platform.profiles();
    let view = profiles
        .update_mine(&call.meta, &call.actor, body.into())
        .await?;
    Ok(Json(ProfileBody::from(&view)))
}

/// Someone's profile: what they show the marketplace (no contact details).
#[utoipa::path(get, path = "/v1/profiles/{id}", tag = "profiles",
    params(PathId<UserId>),
    responses(
        (status = 200, description = "The profile", body = ProfileBody),
        NoSuchAccount,
    ))]
#[instrument(skip_all, fields(user_id = %id))]
pub async fn get(call: Call, PathId(id): PathId<UserId>) -> Result<Json<ProfileBody>, ApiError> {
    let view = call.platform.profiles().get(&call.actor, &id).await?;
    Ok(Json(ProfileBody::from(&view)))
}
