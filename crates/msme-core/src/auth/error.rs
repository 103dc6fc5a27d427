use chrono::{DateTime, Utc};

use crate::error::{DomainError, ErrorKind, StoreError, ValidationError};
use crate::rbac::Permission;

/// Failures of accounts, sign-in and sessions.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("an account with this mobile number already exists")]
    MobileTaken,
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error("admin accounts are created only by an operator")]
    AdminSelfRegistration,
    #[error("the mobile number, email or password is wrong")]
    InvalidCredentials,
    #[error("the account is locked after repeated failed logins; try again after {until}")]
    AccountLocked {
        until: DateTime<Utc>,
        retry_after_secs: u64,
    },
    #[error("the account is disabled")]
    AccountDisabled,
    #[error("this account needs a code from its authenticator app (field `totp`)")]
    MfaRequired,
    #[error("admin accounts must enrol an authenticator app; ask an operator to run `msme user set-role`")]
    MfaEnrollmentRequired,
    #[error("the authenticator code is wrong or was already used")]
    InvalidTotp,
    #[error("an authenticator app is already enrolled")]
    MfaAlreadyEnabled,
    #[error("no authenticator enrolment is pending; start one first")]
    MfaNotEnrolled,
    #[error("admins cannot turn off MFA")]
    MfaRequiredForRole,
    #[error("an admin cannot disable their own account or change its role; ask another admin or an operator")]
    OwnAccount,
    #[error("the code is wrong")]
    OtpInvalid,
    #[error("the code has expired; ask for a new one")]
    OtpExpired,
    #[error("too many wrong codes; ask for a new one")]
    OtpLocked,
    #[error("a code was sent moments ago; wait {retry_after_secs} seconds before asking again")]
    OtpCooldown { retry_after_secs: u64 },
    #[error("too many codes sent to this number in the last hour; try again in {retry_after_secs} seconds")]
    OtpHourlyCap { retry_after_secs: u64 },
    #[error("the access token is missing, malformed or expired")]
    InvalidToken,
    #[error("the refresh token is unknown or expired")]
    InvalidRefreshToken,
    #[error("this refresh token was already used; the session has been revoked for safety")]
    RefreshTokenReused,
    #[error("the session has ended; sign in again")]
    SessionRevoked,
    #[error("no such session")]
    SessionNotFound,
    #[error("no such account")]
    UserNotFound,
    #[error("this needs the `{}` permission, which your role does not have", .0.as_str())]
    Forbidden(Permission),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Hashing or signing failed in a way that is a bug, not bad input.
    #[error("internal failure: {0}")]
    Internal(String),
}

impl DomainError for AuthError {
    fn code(&self) -> &'static str {
        use AuthError::*;
        match self {
            Invalid(e) => e.code(),
            MobileTaken => "mobile_taken",
            EmailTaken => "email_taken",
            AdminSelfRegistration => "admin_self_registration",
            InvalidCredentials => "invalid_credentials",
            AccountLocked { .. } => "account_locked",
            AccountDisabled => "account_disabled",
            MfaRequired => "mfa_required",
            MfaEnrollmentRequired => "mfa_enrollment_required",
            InvalidTotp => "invalid_totp",
            MfaAlreadyEnabled => "mfa_already_enabled",
            MfaNotEnrolled => "mfa_not_enrolled",
            MfaRequiredForRole => "mfa_required_for_role",
            OwnAccount => "own_account",
            OtpInvalid => "otp_invalid",
            OtpExpired => "otp_expired",
            OtpLocked => "otp_locked",
            OtpCooldown { .. } => "otp_cooldown",
            OtpHourlyCap { .. } => "otp_hourly_cap",
            InvalidToken => "invalid_token",
            InvalidRefreshToken => "invalid_refresh_token",
            RefreshTokenReused => "refresh_token_reused",
            SessionRevoked => "session_revoked",
            SessionNotFound => "session_not_found",
            UserNotFound => "user_not_found",
            Forbidden(_) => "forbidden",
            Store(e) => e.code(),
            Internal(_) => "internal",
        }
    }

    fn kind(&self) -> ErrorKind {
        use AuthError::*;
        match self {
            Invalid(_) | AdminSelfRegistration => ErrorKind::InvalidInput,
            MobileTaken | EmailTaken | MfaAlreadyEnabled | MfaNotEnrolled | MfaRequiredForRole => {
                ErrorKind::Conflict
            }
            InvalidCredentials
            | MfaRequired
            | MfaEnrollmentRequired
            | InvalidTotp
            | OtpInvalid
            | OtpExpired
            | OtpLocked
            | InvalidToken
            | InvalidRefreshToken
            | RefreshTokenReused
            | SessionRevoked => ErrorKind::Unauthenticated,
            AccountDisabled | Forbidden(_) | OwnAccount => ErrorKind::Forbidden,
            AccountLocked { .. } | OtpCooldown { .. } | OtpHourlyCap { .. } => {
                ErrorKind::RateLimited
            }
            SessionNotFound | UserNotFound => ErrorKind::NotFound,
            Store(e) => e.kind(),
            Internal(_) => ErrorKind::Internal,
        }
    }

    fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AuthError::AccountLocked {
                retry_after_secs, ..
            }
            | AuthError::OtpCooldown { retry_after_secs }
            | AuthError::OtpHourlyCap { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            AuthError::Invalid(e) => Some(&e.field),
            _ => None,
        }
    }
}

impl From<crate::rbac::Forbidden> for AuthError {
    fn from(f: crate::rbac::Forbidden) -> Self {
        AuthError::Forbidden(f.0)
    }
}

/// Maps a duplicate from the store to the account error that names it.
pub(crate) fn error_from_duplicate(e: StoreError) -> AuthError {
    match e {
        StoreError::Duplicate("mobile") => AuthError::MobileTaken,
        StoreError::Duplicate("email") => AuthError::EmailTaken,
        other => AuthError::Store(other),
    }
}
