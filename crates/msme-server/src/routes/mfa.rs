//! `/v1/auth/mfa/*`: authenticator (TOTP) enrolment.

use axum::http::StatusCode;
use axum::Json;
use tracing::instrument;

use super::answers::WrongCode;
use crate::error::ApiError;
use crate::extract::{ApiJson, Call};
use crate::wire::{ErrorBody, MfaCodeRequest, MfaEnrollmentBody};

/// Starts enrolment: returns a new secret to show as a QR code. Confirm it with `verify`.
#[utoipa::path(post, path = "/v1/auth/mfa/enroll", tag = "mfa",
    responses(
        (status = 200, description = "The new secret", body = MfaEnrollmentBody),
        (status = 409, description = "MFA is already on", body = ErrorBody),
    ))]
#[instrument(skip_all)]
pub async fn enroll(call: Call) -> Result<Json<MfaEnrollmentBody>, ApiError> {
    let auth = call.platform.auth();
    let enrollment = auth.mfa_enroll(&call.meta, &call.actor).await?;
    Ok(Json(enrollment.into()))
}

/// Confirms enrolment with a code from the app; from then on logins need `totp`.
#[utoipa::path(post, path = "/v1/auth/mfa/verify", tag = "mfa",
    request_body = MfaCodeRequest,
    responses(
        (status = 204, description = "MFA is on"),
        WrongCode,
        (status = 409, description = "Already on, or no enrolment started", body = ErrorBody),
    ))]
#[instrument(skip_all)]
pub async fn verify(
    call: Call,
    ApiJson(body): ApiJson<MfaCodeRequest>,
) -> Result<StatusCode, ApiError> {
    let auth = call.platform.auth();
    auth.mfa_confirm(&call.meta, &call.actor, &body.code)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Turns MFA off, given a valid code. Admins cannot.
#[utoipa::path(post, path = "/v1/auth/mfa/disable", tag = "mfa",
    request_body = MfaCodeRequest,
    responses(
        (status = 204, description = "MFA is off"),
        WrongCode,
        (status = 409, description = "MFA is not on, or the account is an admin", body = ErrorBody),
    ))]
#[instrument(skip_all)]
pub async fn disable(
    call: Call,
    ApiJson(body): ApiJson<MfaCodeRequest>,
) -> Result<StatusCode, ApiError> {
    let auth = call.platform.auth();
    auth.mfa_disable(&call.meta, &call.actor, &body.code)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
