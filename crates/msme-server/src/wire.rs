//! Wire types: the JSON the API reads and writes, in snake_case, ids as strings, times as
//! RFC 3339 UTC. They convert from core types here, so the core knows nothing of the wire.

pub mod access;
pub mod document;
pub mod escrow;
pub mod listing;
pub mod matching;
pub mod model;
pub mod profile;
pub mod search;
pub mod taxonomy;
pub mod valuation;

use chrono::{DateTime, SecondsFormat, Utc};
use msme_core::auth::{MfaEnrollment, OtpSent, TokenPair};
use msme_core::ports::{Session, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// RFC 3339 in UTC with a `Z`, to the microsecond the stores keep.
pub fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Every error: `{"error":{"code","message","field"?}}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong, for programs (`code`, `field`) and people (`message`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable code, e.g. `invalid_credentials`, `validation_failed`, `otp_locked`.
    pub code: String,
    pub message: String,
    /// The request field at fault, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// `POST /v1/auth/register`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterRequest {
    pub name: String,
    /// An Indian mobile number in any common form; stored as `+91XXXXXXXXXX`.
    #[schema(example = "+919876543210")]
    pub mobile: String,
    #[serde(default)]
    pub email: Option<String>,
    /// 8 to 128 characters.
    pub password: String,
    /// `seller`, `buyer`, `agent` or `nbfc`.
    #[schema(example = "buyer")]
    pub role: String,
}

/// An account as the API shows it (never the password hash or TOTP secret).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub mobile: String,
    pub email: Option<String>,
    pub role: String,
    /// `active` or `disabled`.
    pub status: String,
    pub mobile_verified: bool,
    pub mfa_enabled: bool,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<&User> for Account {
    fn from(u: &User) -> Self {
        Self {
            id: u.id.to_string(),
            name: u.name.as_str().to_string(),
            mobile: u.mobile.to_string(),
            email: u.email.as_ref().map(ToString::to_string),
            role: u.role.as_str().to_string(),
            status: u.status.as_str().to_string(),
            mobile_verified: u.mobile_verified_at.is_some(),
            mfa_enabled: u.mfa_enabled_at.is_some(),
            created_at: time(u.created_at),
        }
    }
}

/// `POST /v1/auth/send-otp`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SendOtpRequest {
    pub mobile: String,
}

/// The same answer whether or not the number has an account.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OtpSentBody {
    /// Seconds the code stays valid.
    pub expires_in: i64,
    /// Seconds before another code may be asked for.
    pub resend_after: i64,
}

impl From<OtpSent> for OtpSentBody {
    fn from(o: OtpSent) -> Self {
        Self {
            expires_in: o.expires_in,
            resend_after: o.resend_after,
        }
    }
}

/// `POST /v1/auth/verify-otp`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VerifyOtpRequest {
    pub mobile: String,
    /// The 6-digit code from the SMS.
    pub otp: String,
    /// Authenticator code, for accounts with MFA on.
    #[serde(default)]
    pub totp: Option<String>,
}

/// `POST /v1/auth/login`: `mobile` or `email`, and the password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    #[serde(default)]
    pub mobile: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    pub password: String,
    /// Authenticator code, for accounts with MFA on.
    #[serde(default)]
    pub totp: Option<String>,
}

/// `POST /v1/auth/refresh-token`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// A new access token and the refresh token to exchange for the next one.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Tokens {
    pub access_token: String,
    /// Works once; presenting it again revokes the session.
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

impl From<TokenPair> for Tokens {
    fn from(t: TokenPair) -> Self {
        Self {
            access_token: t.access_token,
            refresh_token: t.refresh_token,
            token_type: t.token_type.to_string(),
            expires_in: t.expires_in,
        }
    }
}

/// A login session.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SessionBody {
    pub id: String,
    /// `password` or `otp`.
    pub method: String,
    pub user_agent: Option<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub last_used_at: String,
    #[schema(format = DateTime)]
    pub expires_at: String,
    #[schema(format = DateTime)]
    pub revoked_at: Option<String>,
    pub revoke_reason: Option<String>,
    /// True for the session of the token that asked.
    pub current: bool,
}

impl SessionBody {
    /// The wire form; `current` marks the session the caller signed in with.
    pub fn new(s: &Session, current: bool) -> Self {
        Self {
            id: s.id.to_string(),
            method: s.method.clone(),
            user_agent: s.user_agent.clone(),
            created_at: time(s.created_at),
            last_used_at: time(s.last_used_at),
            expires_at: time(s.expires_at),
            revoked_at: s.revoked_at.map(time),
            revoke_reason: s.revoke_reason.clone(),
            current,
        }
    }
}

/// A page of a list: `next_cursor` is null on the last page.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// A page from rows fetched with one more than `limit`: the extra row only says that
    /// another page follows (so the last page is never empty), and the cursor is the last
    /// kept row's.
    pub fn of_overfetched<R>(mut rows: Vec<R>, limit: usize, cursor: impl Fn(&R) -> String) -> Self
    where
        T: for<'a> From<&'a R>,
    {
        let more = rows.len() > limit;
        rows.truncate(limit);
        Self {
            next_cursor: rows.last().filter(|_| more).map(cursor),
            items: rows.iter().map(T::from).collect(),
        }
    }

    /// Every row, as one last page.
    pub fn whole<R>(rows: &[R]) -> Self
    where
        T: for<'a> From<&'a R>,
    {
        Self::all(rows.iter().map(T::from).collect())
    }

    /// `items`, as one last page.
    pub fn all(items: Vec<T>) -> Self {
        Self {
            items,
            next_cursor: None,
        }
    }
}

/// A started authenticator enrolment.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MfaEnrollmentBody {
    /// Base32 secret, for typing in by hand.
    pub secret: String,
    /// Show as a QR code to the authenticator app.
    pub otpauth_uri: String,
}

impl From<MfaEnrollment> for MfaEnrollmentBody {
    fn from(m: MfaEnrollment) -> Self {
        Self {
            secret: m.secret,
            otpauth_uri: m.otpauth_uri,
        }
    }
}

/// `POST /v1/auth/mfa/verify` and `/v1/auth/mfa/disable`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MfaCodeRequest {
    /// The 6-digit code from the authenticator app.
    pub code: String,
}

/// `POST /v1/users/{id}/role`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SetRoleRequest {
    /// `seller`, `buyer`, `agent`, `nbfc` or `admin`.
    pub role: String,
}

/// The account after a role change; `mfa` is set when it became admin without MFA.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RoleChanged {
    pub account: Account,
    /// Hand this to the person: admins must sign in with an authenticator code.
    pub mfa: Option<MfaEnrollmentBody>,
}

/// What `/health` and `/health/{module}` report.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HealthBody {
    /// `ok` or `unavailable`.
    pub status: String,
    /// The module checked, for `/health/{module}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
    /// The storage backend: `sqlite` or `postgres`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// What was checked, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}
