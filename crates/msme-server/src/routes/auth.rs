//! `/v1/auth/*`: registration, OTP, login, tokens and sessions.

use axum::http::StatusCode;
use axum::Json;
use msme_core::auth::{LoginId, NewAccount};
use msme_core::types::{Mobile, Password, SessionId};
use tracing::instrument;

use super::answers::NotAMobile;
use crate::error::ApiError;
use crate::extract::{ApiJson, Call, Guest, PathId};
use crate::wire::{
    Account, ErrorBody, LoginRequest, OtpSentBody, Page, RefreshRequest, RegisterRequest,
    SendOtpRequest, SessionBody, Tokens, VerifyOtpRequest,
};

/// Opens an account (seller, buyer, agent or NBFC).
#[utoipa::path(post, path = "/v1/auth/register", tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "The new account", body = Account),
        (status = 400, description = "A field is invalid, or the role is admin", body = ErrorBody),
        (status = 409, description = "Mobile or email already taken", body = ErrorBody),
    ))]
#[instrument(skip_all)]
pub async fn register(
    guest: Guest,
    ApiJson(body): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<Account>), ApiError> {
    let account = NewAccount::parse(
        &body.name,
        &body.mobile,
        body.email.as_deref(),
        &body.password,
        &body.role,
    )?;
    let user = guest.platform.auth().register(&guest.meta, account).await?;
    tracing::info!(user_id = %user.id, role = %user.role, "account registered");
    Ok((StatusCode::CREATED, Json(Account::from(&user))))
}

/// Sends a 6-digit code by SMS. Answers the same whether or not the number has an account.
#[utoipa::path(post, path = "/v1/auth/send-otp", tag = "auth",
    request_body = SendOtpRequest,
    responses(
        (status = 202, description = "A code is on its way (if the number is registered)", body = OtpSentBody),
        NotAMobile,
        (status = 429, description = "Resend cooldown or hourly cap", body = ErrorBody),
    ))]
#[instrument(skip_all)]
pub async fn send_otp(
    guest: Guest,
    ApiJson(body): ApiJson<SendOtpRequest>,
) -> Result<(StatusCode, Json<OtpSentBody>), ApiError> {
    let mobile = Mobile::parse(&body.mobile)?;
    let sent = guest.platform.auth().send_otp(&guest.meta, &mobile).await?;
    Ok((StatusCode::ACCEPTED, Json(sent.into())))
}

/// Checks an SMS code: verifies the number and signs in.
#[utoipa::path(post, path = "/v1/auth/verify-otp", tag = "auth",
    request_body = VerifyOtpRequest,
    responses(
        (status = 200, description = "Signed in", body = Tokens),
        NotAMobile,
        (status = 401, description = "otp_invalid, otp_expired, otp_locked or mfa_required", body = ErrorBody),
    ))]
#[instrument(skip_all)]
pub async fn verify_otp(
    guest: Guest,
    ApiJson(body): ApiJson<VerifyOtpRequest>,
) -> Result<Json<Tokens>, ApiError> {
    let mobile = Mobile::parse(&body.mobile)?;
    let auth = guest.platform.auth();
    let pair = auth
        .verify_otp(&guest.meta, &mobile, &body.otp, body.totp.as_deref())
        .await?;
    Ok(Json(pair.into()))
}

/// Signs in with mobile or email and password (and `totp` when MFA is on).
#[utoipa::path(post, path = "/v1/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = Tokens),
        (status = 400, description = "Neither mobile nor email given, or malformed", body = ErrorBody),
        (status = 401, description = "invalid_credentials, mfa_required or invalid_totp", body = ErrorBody),
        (status = 403, description = "The account is disabled", body = ErrorBody),
        (status = 429, description = "Locked after failed logins, or too many requests", body = ErrorBody),
    ))]
#[instrument(skip_all)]
pub async fn login(
    guest: Guest,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Json<Tokens>, ApiError> {
    let id = LoginId::parse(body.mobile.as_deref(), body.email.as_deref())?;
    // A wrong password is a wrong password: do not tell the client which rule it broke.
    let password = Password::parse(&body.password)
        .map_err(|_| msme_core::auth::AuthError::InvalidCredentials)?;
    let pair = guest
        .platform
        .auth()
        .login(&guest.meta, &id, &password, body.totp.as_deref())
        .await?;
    Ok(Json(pair.into()))
}

/// Exchanges a refresh token for a new pair. A token works once: reuse revokes the session.
#[utoipa::path(post, path = "/v1/auth/refresh-token", tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new pair", body = Tokens),
        (status = 401, description = "invalid_refresh_token, refresh_token_reused or session_revoked", body = ErrorBody),
    ))]
#[instrument(skip_all)]
pub async fn refresh(
    guest: Guest,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> Result<Json<Tokens>, ApiError> {
    let pair = guest
        .platform
        .auth()
        .refresh(&guest.meta, &body.refresh_token)
        .await?;
    Ok(Json(pair.into()))
}

/// Ends the session of the access token.
#[utoipa::path(post, path = "/v1/auth/logout", tag = "auth",
    responses(
        (status = 204, description = "Signed out"),
    ))]
#[instrument(skip_all)]
pub async fn logout(call: Call) -> Result<StatusCode, ApiError> {
    call.platform.auth().logout(&call.meta, &call.actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's sessions, newest first, ended ones included.
#[utoipa::path(get, path = "/v1/auth/sessions", tag = "auth",
    responses(
        (status = 200, description = "All sessions, in one page", body = Page<SessionBody>),
    ))]
#[instrument(skip_all)]
pub async fn sessions(call: Call) -> Result<Json<Page<SessionBody>>, ApiError> {
    let sessions = call.platform.auth().sessions(&call.actor).await?;
    let current = call.actor.session_id();
    let items = sessions
        .iter()
        .map(|s| SessionBody::new(s, Some(&s.id) == current))
        .collect();
    Ok(Json(Page::all(items)))
}

/// Revokes one of the caller's sessions (an admin may revoke anyone's).
#[utoipa::path(delete, path = "/v1/auth/sessions/{id}", tag = "auth",
    params(PathId<SessionId>),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "No such session of the caller's", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(session_id = %id))]
pub async fn revoke_session(
    call: Call,
    PathId(id): PathId<SessionId>,
) -> Result<StatusCode, ApiError> {
    call.platform
        .auth()
        .revoke_session(&call.meta, &call.actor, &id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
