//! The accounts context's storage ports: accounts, sessions, OTP codes and the outbox, and
//! [`AccountsPorts`], the bundle the context is built with.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::audit::{AuditEvent, AuditStore};
use crate::error::{StoreError, StoreResult};
use crate::types::{Email, Mobile, PersonName, Role, SessionId, UserId};

/// Whether an account may sign in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserStatus {
    Active,
    Disabled,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Disabled => "disabled",
        }
    }
    /// Reads a stored status; an unknown value is corruption, never taken as `active`.
    pub fn parse_stored(s: &str) -> Result<Self, StoreError> {
        match s {
            "active" => Ok(UserStatus::Active),
            "disabled" => Ok(UserStatus::Disabled),
            other => Err(StoreError::backend(format!(
                "unknown account status `{other}` in storage"
            ))),
        }
    }
}

/// An account as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub name: PersonName,
    pub mobile: Mobile,
    pub email: Option<Email>,
    pub role: Role,
    pub status: UserStatus,
    /// Argon2id PHC string.
    pub password_hash: String,
    pub mobile_verified_at: Option<DateTime<Utc>>,
    /// Consecutive failed logins since the last success.
    pub failed_logins: i32,
    pub locked_until: Option<DateTime<Utc>>,
    /// Base32 TOTP secret, set at enrolment.
    pub totp_secret: Option<String>,
    /// Set when enrolment was confirmed with a valid code; from then on logins need a code.
    pub mfa_enabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A login session: the family of refresh tokens that began with one login.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub id: SessionId,
    pub user_id: UserId,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
    /// How the session began: `password`, `otp`.
    pub method: String,
    pub user_agent: Option<String>,
}

/// A refresh token, stored only as its hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefreshToken {
    pub token_hash: String,
    pub session_id: SessionId,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Set when this token was exchanged for the next one; presenting it again is reuse.
    pub rotated_at: Option<DateTime<Utc>>,
}

/// A one-time password sent by SMS, stored only as its keyed hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtpCode {
    pub id: String,
    pub mobile: Mobile,
    pub code_hash: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Wrong codes tried against this one.
    pub attempts: i32,
    pub consumed_at: Option<DateTime<Utc>>,
}

/// Delivery state of an outbox message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxStatus {
    /// Waiting for a channel (or read by an operator when none is configured).
    Queued,
    Sent,
    Failed,
}

impl OutboxStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Queued => "queued",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
        }
    }
    /// Reads a stored status; an unknown value is corruption.
    pub fn parse_stored(s: &str) -> Result<Self, StoreError> {
        match s {
            "queued" => Ok(OutboxStatus::Queued),
            "sent" => Ok(OutboxStatus::Sent),
            "failed" => Ok(OutboxStatus::Failed),
            other => Err(StoreError::backend(format!(
                "unknown outbox status `{other}` in storage"
            ))),
        }
    }
}

/// A message waiting for, or past, delivery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxMessage {
    /// Assigned by the store, increasing.
    pub id: i64,
    /// `sms` for now.
    pub channel: String,
    pub recipient: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub provider: Option<String>,
    pub provider_ref: Option<String>,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    /// For messages carrying a secret (an OTP): when the body stops being needed. The body is
    /// replaced by [`REDACTED_BODY`] once delivered, or once this time has passed.
    pub redact_after: Option<DateTime<Utc>>,
}

/// What a secret-bearing outbox body becomes once it is no longer needed.
pub const REDACTED_BODY: &str = "[redacted]";

/// A message to put in the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOutboxMessage {
    pub channel: String,
    pub recipient: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    /// Set for messages that carry a secret; see [`OutboxMessage::redact_after`].
    pub redact_after: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait UserStore: Send + Sync {
    /// Fails with `Duplicate("mobile")` or `Duplicate("email")` when taken.
    async fn create_user(&self, user: &User, audit: AuditEvent) -> StoreResult<()>;
    async fn user_by_id(&self, id: &UserId) -> StoreResult<Option<User>>;
    async fn user_by_mobile(&self, mobile: &Mobile) -> StoreResult<Option<User>>;
    async fn user_by_email(&self, email: &Email) -> StoreResult<Option<User>>;
    /// Accounts in id order, after `after` when given.
    async fn list_users(&self, after: Option<&UserId>, limit: u32) -> StoreResult<Vec<User>>;
    /// Writes name, email, role, status, password hash, mobile verification, TOTP secret and
    /// MFA state. Returns false when no such account exists.
    async fn update_user(&self, user: &User, audit: AuditEvent) -> StoreResult<bool>;
    /// Adds one failed login atomically, with its audit entry, and returns the new count. When
    /// the account's lock has expired by `at`, the lock is cleared and counting starts again at 1.
    async fn record_failed_login(
        &self,
        id: &UserId,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<i32>;
    /// Locks the account until `until` and records why.
    async fn lock_user(
        &self,
        id: &UserId,
        until: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<()>;
    /// Records that TOTP time step `step` was used; false if it (or a later one) was already
    /// used, which stops a code being replayed.
    async fn use_totp_step(&self, id: &UserId, step: i64) -> StoreResult<bool>;
}

#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Creates the session with its first refresh token, and clears the account's failed
    /// logins and lock.
    async fn create_session(
        &self,
        session: &Session,
        token: &RefreshToken,
        audit: AuditEvent,
    ) -> StoreResult<()>;
    async fn session_by_id(&self, id: &SessionId) -> StoreResult<Option<Session>>;
    /// Sessions of one account, newest first, revoked ones included.
    async fn sessions_of(&self, user: &UserId) -> StoreResult<Vec<Session>>;
    async fn refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshToken>>;
    /// Marks `presented` rotated and stores `next`, only if `presented` was not rotated
    /// before. Returns false when it already was: the caller then treats it as reuse.
    async fn rotate_refresh_token(
        &self,
        presented: &str,
        next: &RefreshToken,
        audit: AuditEvent,
    ) -> StoreResult<bool>;
    /// Revokes one session; false if it was already revoked or does not exist.
    async fn revoke_session(
        &self,
        id: &SessionId,
        at: DateTime<Utc>,
        reason: &str,
        audit: AuditEvent,
    ) -> StoreResult<bool>;
    /// Revokes every live session of an account; returns how many.
    async fn revoke_sessions_of(
        &self,
        user: &UserId,
        at: DateTime<Utc>,
        reason: &str,
        audit: AuditEvent,
    ) -> StoreResult<u64>;
}

#[async_trait]
pub trait OtpStore: Send + Sync {
    /// Stores a new code and, when given, its SMS in the outbox, in one transaction. Returns the
    /// outbox id. Codes for numbers without an account are stored without an SMS, so sends are
    /// throttled alike for every number.
    async fn issue_otp(
        &self,
        otp: &OtpCode,
        sms: Option<&NewOutboxMessage>,
        audit: AuditEvent,
    ) -> StoreResult<Option<i64>>;
    /// When codes were sent to this number since `since`, newest first.
    async fn otps_sent_since(
        &self,
        mobile: &Mobile,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<DateTime<Utc>>>;
    /// The most recently issued code for this number.
    async fn latest_otp(&self, mobile: &Mobile) -> StoreResult<Option<OtpCode>>;
    /// Counts one try atomically, before the code is compared, and returns the new count; so
    /// concurrent guesses cannot get past the limit.
    async fn record_otp_attempt(&self, id: &str) -> StoreResult<i32>;
    /// Marks the code used, only if it was not used before and has not expired by `at`, and
    /// marks the mobile number of the account that has it verified (if not already), in one
    /// transaction. False when the code was already used or had expired.
    async fn consume_otp(
        &self,
        id: &str,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<bool>;
}

#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Messages in id order after `after`.
    async fn outbox_page(&self, after: Option<i64>, limit: u32) -> StoreResult<Vec<OutboxMessage>>;
    /// Records a delivery; a secret-bearing body is redacted at the same time.
    async fn mark_outbox_sent(
        &self,
        id: i64,
        provider: &str,
        provider_ref: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn mark_outbox_failed(&self, id: i64, error: &str, at: DateTime<Utc>) -> StoreResult<()>;
    /// Messages never tried yet whose secret (if any) is still usable at `now` (`redact_after`
    /// unset or later), oldest first: what an SMS worker delivers.
    async fn queued_outbox(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<OutboxMessage>>;
    /// Redacts the bodies of secret-bearing messages whose `redact_after` is at or before
    /// `now`; returns how many.
    async fn redact_outbox(&self, now: DateTime<Utc>) -> StoreResult<u64>;
}

port_bundle!(
    /// The ports the accounts context (sign-in, accounts, sessions, MFA, OTPs, the outbox, the
    /// audit log) is built with.
    pub trait AccountsPorts: UserStore, SessionStore, OtpStore, OutboxStore, AuditStore);
