//! Accounts: [`UserStore`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::ports::{StoreResult, User, UserStore};
use msme_core::types::{Email, Mobile, UserId};
use rusqlite::{params, OptionalExtension, ToSql};

use crate::statements::execute;

use crate::audit::append;
use crate::error::{found, unique_or, Step};
use crate::rows::{self, micros, micros_opt, USER_COLUMNS};
use crate::SqliteStore;

impl SqliteStore {
    /// The one account whose `column` equals `value`.
    async fn user_where(&self, column: &'static str, value: String) -> StoreResult<Option<User>> {
        self.read_optional(
            "looking up an account",
            format!("SELECT {USER_COLUMNS} FROM users WHERE {column} = ?1"),
            [value],
            rows::user,
        )
        .await
    }
}

#[async_trait]
impl UserStore for SqliteStore {
    #[tracing::instrument(skip_all)]
    async fn create_user(&self, user: &User, audit: AuditEvent) -> StoreResult<()> {
        let u = user.clone();
        self.audited(audit, move |tx| {
            let values: [&dyn ToSql; 14] = [
                &u.id.as_str(),
                &u.name.as_str(),
                &u.mobile.as_str(),
                &u.email.as_ref().map(Email::as_str),
                &u.role.as_str(),
                &u.status.as_str(),
                &u.password_hash,
                &micros_opt(u.mobile_verified_at),
                &u.failed_logins,
                &micros_opt(u.locked_until),
                &u.totp_secret,
                &micros_opt(u.mfa_enabled_at),
                &micros(u.created_at),
                &micros(u.updated_at),
            ];
            let sql = format!(
                "INSERT INTO users ({USER_COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
            );
            tx.execute(&sql, &values[..])
                .map_err(unique_or("storing an account"))?;
            Ok(())
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn user_by_id(&self, id: &UserId) -> StoreResult<Option<User>> {
        self.user_where("id", id.to_string()).await
    }

    #[tracing::instrument(skip_all)]
    async fn user_by_mobile(&self, mobile: &Mobile) -> StoreResult<Option<User>> {
        self.user_where("mobile", mobile.to_string()).await
    }

    #[tracing::instrument(skip_all)]
    async fn user_by_email(&self, email: &Email) -> StoreResult<Option<User>> {
        self.user_where("email", email.to_string()).await
    }

    #[tracing::instrument(skip_all)]
    async fn list_users(&self, after: Option<&UserId>, limit: u32) -> StoreResult<Vec<User>> {
        self.read_all(
            "listing accounts",
            format!(
                "SELECT {USER_COLUMNS} FROM users WHERE ?1 IS NULL OR id > ?1 ORDER BY id LIMIT ?2"
            ),
            (after.map(UserId::to_string), limit),
            rows::user,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn update_user(&self, user: &User, audit: AuditEvent) -> StoreResult<bool> {
        let u = user.clone();
        self.audited(audit, move |tx| {
            let values: [&dyn ToSql; 10] = [
                &u.id.as_str(),
                &u.name.as_str(),
                &u.email.as_ref().map(Email::as_str),
                &u.role.as_str(),
                &u.status.as_str(),
                &u.password_hash,
                &micros_opt(u.mobile_verified_at),
                &u.totp_secret,
                &micros_opt(u.mfa_enabled_at),
                &micros(u.updated_at),
            ];
            let changed = tx
                .execute(
                    "UPDATE users SET name = ?2, email = ?3, role = ?4, status = ?5, \
                     password_hash = ?6, mobile_verified_at = ?7, totp_secret = ?8, \
                     mfa_enabled_at = ?9, updated_at = ?10 WHERE id = ?1",
                    &values[..],
                )
                .map_err(unique_or("updating an account"))?;
            Ok(changed > 0)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn record_failed_login(
        &self,
        id: &UserId,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<i32> {
        let id = id.to_string();
        self.write(move |tx| {
            // A failure after an expired lock starts a new count and clears the lock.
            let count = tx
                .query_row(
                    "UPDATE users SET \
                     failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= ?2 \
                                          THEN 1 ELSE failed_logins + 1 END, \
                     locked_until = CASE WHEN locked_until <= ?2 THEN NULL ELSE locked_until END, \
                     last_failed_login_at = ?2 WHERE id = ?1 RETURNING failed_logins",
                    params![id, micros(at)],
                    |r| r.get(0),
                )
                .optional()
                .step("counting a failed login")?;
            let count = found(count, "account")?;
            append(tx, audit)?;
            Ok(count)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn lock_user(
        &self,
        id: &UserId,
        until: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<()> {
        let id = id.to_string();
        self.audited(audit, move |tx| {
            let changed = execute(
                tx,
                "locking an account",
                "UPDATE users SET locked_until = ?2 WHERE id = ?1",
                params![id, micros(until)],
            )?;
            found((changed == 1).then_some(()), "account")
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn use_totp_step(&self, id: &UserId, step: i64) -> StoreResult<bool> {
        let changed = self
            .execute(
                "using a TOTP step",
                "UPDATE users SET totp_last_step = ?2 WHERE id = ?1 \
                 AND (totp_last_step IS NULL OR totp_last_step < ?2)",
                (id.to_string(), step),
            )
            .await?;
        Ok(changed == 1)
    }
}
