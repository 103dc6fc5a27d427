//! Accounts: [`UserStore`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::error::StoreError;
use msme_core::ports::{StoreResult, User, UserStatus, UserStore};
use msme_core::types::{Email, Mobile, PersonName, Role, UserId};
use sqlx::postgres::PgRow;

use crate::audit::commit_audited;
use crate::error::{corrupt, found};
use crate::rows::from_columns;
use crate::rows::{col, Fetch};
use crate::PgStore;

/// `SELECT <every user column> FROM users <tail>`, as one `&'static str`.
macro_rules! select_users {
    ($tail:literal) => {
        concat!(
            "SELECT id, name, mobile, email, role, status, password_hash, mobile_verified_at,
                    failed_logins, locked_until, totp_secret, mfa_enabled_at, created_at,
                    updated_at
             FROM users ",
            $tail
        )
    };
}

fn user_from_row(row: &PgRow) -> Result<User, StoreError> {
    let role: String = col(row, "role")?;
    let status: String = col(row, "status")?;
    Ok(from_columns!(row => User {
        password_hash, mobile_verified_at, failed_logins, locked_until, totp_secret,
        mfa_enabled_at, created_at, updated_at;
        id: UserId::from_trusted(col(row, "id")?),
        name: PersonName::from_trusted(col(row, "name")?),
        mobile: Mobile::from_trusted(col(row, "mobile")?),
        email: col::<Option<String>>(row, "email")?.map(Email::from_trusted),
        role: Role::parse(&role).map_err(|_| corrupt("role", &role))?,
        status: UserStatus::parse_stored(&status)?,
    }))
}

impl PgStore {
    /// The one account `sql` (which takes the key as `$1`) finds, if any.
    async fn user_where(&self, sql: &'static str, value: &str) -> StoreResult<Option<User>> {
        self.find(sql, value, user_from_row).await
    }
}

#[async_trait]
impl UserStore for PgStore {
    #[tracing::instrument(skip_all)]
    async fn create_user(&self, user: &User, audit: AuditEvent) -> StoreResult<()> {
        let insert = sqlx::query(
            "INSERT INTO users (id, name, mobile, email, role, status, password_hash,
                 mobile_verified_at, failed_logins, locked_until, totp_secret, mfa_enabled_at,
                 created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(user.id.as_str())
        .bind(user.name.as_str())
        .bind(user.mobile.as_str())
        .bind(user.email.as_ref().map(Email::as_str))
        .bind(user.role.as_str())
        .bind(user.status.as_str())
        .bind(&user.password_hash)
        .bind(user.mobile_verified_at)
        .bind(user.failed_logins)
        .bind(user.locked_until)
        .bind(&user.totp_secret)
        .bind(user.mfa_enabled_at)
        .bind(user.created_at)
        .bind(user.updated_at);
        self.audited_run(insert, audit).await.map(drop)
    }

    #[tracing::instrument(skip_all)]
    async fn user_by_id(&self, id: &UserId) -> StoreResult<Option<User>> {
        self.user_where(select_users!("WHERE id = $1"), id.as_str())
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn user_by_mobile(&self, mobile: &Mobile) -> StoreResult<Option<User>> {
        self.user_where(select_users!("WHERE mobile = $1"), mobile.as_str())
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn user_by_email(&self, email: &Email) -> StoreResult<Option<User>> {
        self.user_where(select_users!("WHERE email = $1"), email.as_str())
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn list_users(&self, after: Option<&UserId>, max: u32) -> StoreResult<Vec<User>> {
        let sql = select_users!("WHERE $1::TEXT IS NULL OR id > $1 ORDER BY id LIMIT $2");
        self.page(sql, after.map(UserId::as_str), max, user_from_row)
            .await
    }

    #[tracing::instrument(skip_all)]
    async fn update_user(&self, user: &User, audit: AuditEvent) -> StoreResult<bool> {
        let update = sqlx::query(
            "UPDATE users SET name = $2, email = $3, role = $4, status = $5, password_hash = $6,
                 mobile_verified_at = $7, totp_secret = $8, mfa_enabled_at = $9, updated_at = $10
             WHERE id = $1",
        )
        .bind(user.id.as_str())
        .bind(user.name.as_str())
        .bind(user.email.as_ref().map(Email::as_str))
        .bind(user.role.as_str())
        .bind(user.status.as_str())
        .bind(&user.password_hash)
        .bind(user.mobile_verified_at)
        .bind(&user.totp_secret)
        .bind(user.mfa_enabled_at)
        .bind(user.updated_at);
        Ok(self.audited_run(update, audit).await? > 0)
    }

    #[tracing::instrument(skip_all)]
    async fn record_failed_login(
        &self,
        id: &UserId,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<i32> {
        let mut tx = self.begin().await?;
        // A failure after an expired lock starts a new count and clears the lock.
        let count = sqlx::query(
            "UPDATE users SET
                 failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= $2
                                      THEN 1 ELSE failed_logins + 1 END,
                 locked_until = CASE WHEN locked_until <= $2 THEN NULL ELSE locked_until END
             WHERE id = $1 RETURNING failed_logins",
        )
        .bind(id.as_str())
        .bind(at)
        .fetch_optional_as(&mut *tx, |r| col(r, "failed_logins"))
        .await?;
        let count = found(count, "account")?;
        commit_audited(tx, audit).await?;
        Ok(count)
    }

    #[tracing::instrument(skip_all)]
    async fn lock_user(
        &self,
        id: &UserId,
        until: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<()> {
        let lock = sqlx::query("UPDATE users SET locked_until = $2 WHERE id = $1")
            .bind(id.as_str())
            .bind(until);
        let updated = self.audited_run(lock, audit).await?;
        found((updated == 1).then_some(()), "account")
    }

    #[tracing::instrument(skip_all)]
    async fn use_totp_step(&self, id: &UserId, step: i64) -> StoreResult<bool> {
        // The condition and the write are one statement: of two requests with the same code,
        // the second waits for the first's row lock, re-reads the row and matches nothing.
        let updated = sqlx::query(
            "UPDATE users SET totp_last_step = $2
             WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
        )
        .bind(id.as_str())
        .bind(step)
        .run(&self.pool)
        .await?;
        Ok(updated == 1)
    }
}
