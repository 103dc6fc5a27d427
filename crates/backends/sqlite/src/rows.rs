//! Times as stored, and rows mapped back to core types.

use chrono::{DateTime, Utc};
use msme_core::ports::{
    OtpCode, OutboxMessage, OutboxStatus, RefreshToken, Session, User, UserStatus,
};
use msme_core::types::{Email, Mobile, PersonName, Role, SessionId, UserId};
use rusqlite::types::Type;
use rusqlite::Row;

/// A time as stored: microseconds since the epoch, UTC.
pub(crate) fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

/// The optional form of [`micros`].
pub(crate) fn micros_opt(t: Option<DateTime<Utc>>) -> Option<i64> {
    t.map(micros)
}

/// Reads a stored time from column `i`.
pub(crate) fn time(row: &Row<'_>, i: usize) -> rusqlite::Result<DateTime<Utc>> {
    let us: i64 = row.get(i)?;
    DateTime::from_timestamp_micros(us).ok_or_else(|| out_of_range(i, us))
}

/// Reads an optional stored time from column `i`.
pub(crate) fn time_opt(row: &Row<'_>, i: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let us: Option<i64> = row.get(i)?;
    us.map(|us| DateTime::from_timestamp_micros(us).ok_or_else(|| out_of_range(i, us)))
        .transpose()
}

fn out_of_range(i: usize, us: i64) -> rusqlite::Error {
    rusqlite::Error::IntegralValueOutOfRange(i, us)
}

fn corrupt(i: usize, e: msme_core::error::StoreError) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e))
}

fn role(row: &Row<'_>, i: usize) -> rusqlite::Result<Role> {
    let s: String = row.get(i)?;
    Role::parse(&s)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e)))
}

/// The columns [`user`] reads, in order.
pub(crate) const USER_COLUMNS: &str = "id, name, mobile, email, role, status, password_hash, \
    mobile_verified_at, failed_logins, locked_until, totp_secret, mfa_enabled_at, created_at, \
    updated_at";

/// An account from a row of [`USER_COLUMNS`].
pub(crate) fn user(row: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: UserId::from_trusted(row.get(0)?),
        name: PersonName::from_trusted(row.get(1)?),
        mobile: Mobile::from_trusted(row.get(2)?),
        email: row.get::<_, Option<String>>(3)?.map(Email::from_trusted),
        role: role(row, 4)?,
        status: UserStatus::parse_stored(&row.get::<_, String>(5)?).map_err(|e| corrupt(5, e))?,
        password_hash: row.get(6)?,
        mobile_verified_at: time_opt(row, 7)?,
        failed_logins: row.get(8)?,
        locked_until: time_opt(row, 9)?,
        totp_secret: row.get(10)?,
        mfa_enabled_at: time_opt(row, 11)?,
        created_at: time(row, 12)?,
        updated_at: time(row, 13)?,
    })
}

/// The columns [`session`] reads, in order.
pub(crate) const SESSION_COLUMNS: &str = "id, user_id, created_at, last_used_at, expires_at, \
    revoked_at, revoke_reason, method, user_agent";

/// A session from a row of [`SESSION_COLUMNS`].
pub(crate) fn session(row: &Row<'_>) -> rusqlite::Result<Session> {
    Ok(Session {
        id: SessionId::from_trusted(row.get(0)?),
        user_id: UserId::from_trusted(row.get(1)?),
        created_at: time(row, 2)?,
        last_used_at: time(row, 3)?,
        expires_at: time(row, 4)?,
        revoked_at: time_opt(row, 5)?,
        revoke_reason: row.get(6)?,
        method: row.get(7)?,
        user_agent: row.get(8)?,
    })
}

/// The columns [`refresh_token`] reads, in order.
pub(crate) const TOKEN_COLUMNS: &str = "token_hash, session_id, issued_at, expires_at, rotated_at";

/// A refresh token from a row of [`TOKEN_COLUMNS`].
pub(crate) fn refresh_token(row: &Row<'_>) -> rusqlite::Result<RefreshToken> {
    Ok(RefreshToken {
        token_hash: row.get(0)?,
        session_id: SessionId::from_trusted(row.get(1)?),
        issued_at: time(row, 2)?,
        expires_at: time(row, 3)?,
        rotated_at: time_opt(row, 4)?,
    })
}

/// The columns [`otp`] reads, in order.
pub(crate) const OTP_COLUMNS: &str =
    "id, mobile, code_hash, created_at, expires_at, attempts, consumed_at";

/// A one-time password from a row of [`OTP_COLUMNS`].
pub(crate) fn otp(row: &Row<'_>) -> rusqlite::Result<OtpCode> {
    Ok(OtpCode {
        id: row.get(0)?,
        mobile: Mobile::from_trusted(row.get(1)?),
        code_hash: row.get(2)?,
        created_at: time(row, 3)?,
        expires_at: time(row, 4)?,
        attempts: row.get(5)?,
        consumed_at: time_opt(row, 6)?,
    })
}

/// The columns [`outbox_message`] reads, in order.
pub(crate) const OUTBOX_COLUMNS: &str = "id, channel, recipient, body, created_at, status, \
    attempts, provider, provider_ref, last_error, sent_at, redact_after";

/// An outbox message from a row of [`OUTBOX_COLUMNS`].
pub(crate) fn outbox_message(row: &Row<'_>) -> rusqlite::Result<OutboxMessage> {
    Ok(OutboxMessage {
        id: row.get(0)?,
        channel: row.get(1)?,
        recipient: row.get(2)?,
        body: row.get(3)?,
        created_at: time(row, 4)?,
        status: OutboxStatus::parse_stored(&row.get::<_, String>(5)?).map_err(|e| corrupt(5, e))?,
        attempts: row.get(6)?,
        provider: row.get(7)?,
        provider_ref: row.get(8)?,
        last_error: row.get(9)?,
        sent_at: time_opt(row, 10)?,
        redact_after: time_opt(row, 11)?,
    })
}
