//! Login sessions and their refresh tokens: [`SessionStore`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::error::StoreError;
use msme_core::ports::{RefreshToken, Session, SessionStore, StoreResult};
use msme_core::types::{SessionId, UserId};
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use crate::audit::commit_audited;
use crate::rows::from_columns;
use crate::rows::{col, Fetch};
use crate::PgStore;

/// `SELECT <every session column> FROM sessions <tail>`, as one `&'static str`.
macro_rules! select_sessions {
    ($tail:literal) => {
        concat!(
            "SELECT id, user_id, created_at, last_used_at, expires_at, revoked_at, revoke_reason,
                    method, user_agent
             FROM sessions ",
            $tail
        )
    };
}

fn session_from_row(row: &PgRow) -> Result<Session, StoreError> {
    Ok(from_columns!(row => Session {
        created_at, last_used_at, expires_at, revoked_at, revoke_reason, method, user_agent;
        id: SessionId::from_trusted(col(row, "id")?),
        user_id: UserId::from_trusted(col(row, "user_id")?),
    }))
}

fn token_from_row(row: &PgRow) -> Result<RefreshToken, StoreError> {
    Ok(from_columns!(row => RefreshToken {
        token_hash, issued_at, expires_at, rotated_at;
        session_id: SessionId::from_trusted(col(row, "session_id")?),
    }))
}

async fn insert_token(conn: &mut PgConnection, token: &RefreshToken) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at, rotated_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&token.token_hash)
    .bind(token.session_id.as_str())
    .bind(token.issued_at)
    .bind(token.expires_at)
    .bind(token.rotated_at)
    .run(conn)
    .await
    .map(drop)
}

async fn insert_session(conn: &mut PgConnection, s: &Session) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, revoked_at,
                               revoke_reason, method, user_agent)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(s.id.as_str())
    .bind(s.user_id.as_str())
    .bind(s.created_at)
    .bind(s.last_used_at)
    .bind(s.expires_at)
    .bind(s.revoked_at)
    .bind(&s.revoke_reason)
    .bind(&s.method)
    .bind(&s.user_agent)
    .run(conn)
    .await
    .map(drop)
}

#[async_trait]
impl SessionStore for PgStore {
    #[tracing::instrument(skip_all)]
    async fn create_session(
        &self,
        session: &Session,
        token: &RefreshToken,
        audit: AuditEvent,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        insert_session(&mut tx, session).await?;
        insert_token(&mut tx, token).await?;
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(session.user_id.as_str())
            .run(&mut *tx)
            .await?;
        commit_audited(tx, audit).await
    }

    #[tracing::instrument(skip_all)]
    async fn session_by_id(&self, id: &SessionId) -> StoreResult<Option<Session>> {
        self.find(
            select_sessions!("WHERE id = $1"),
            id.as_str(),
            session_from_row,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn sessions_of(&self, user: &UserId) -> StoreResult<Vec<Session>> {
        self.find_all(
            select_sessions!("WHERE user_id = $1 ORDER BY created_at DESC, id DESC"),
            user.as_str(),
            session_from_row,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshToken>> {
        self.find(
            "SELECT token_hash, session_id, issued_at, expires_at, rotated_at
             FROM refresh_tokens WHERE token_hash = $1",
            token_hash,
            token_from_row,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn rotate_refresh_token(
        &self,
        presented: &str,
        next: &RefreshToken,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let rotated = async |tx: &mut PgConnection| {
            // Single use: of two concurrent rotations of one token, the second waits for the
            // first's row lock, then re-checks `rotated_at IS NULL` and updates nothing.
            let rotated = sqlx::query(
                "UPDATE refresh_tokens SET rotated_at = $2
                 WHERE token_hash = $1 AND rotated_at IS NULL",
            )
            .bind(presented)
            .bind(next.issued_at)
            .run(&mut *tx)
            .await?;
            if rotated == 0 {
                return Ok(false);
            }
            insert_token(tx, next).await?;
            sqlx::query("UPDATE sessions SET last_used_at = $2 WHERE id = $1")
                .bind(next.session_id.as_str())
                .bind(next.issued_at)
                .run(&mut *tx)
                .await?;
            Ok(true)
        };
        self.audited(audit, rotated).await
    }

    #[tracing::instrument(skip_all)]
    async fn revoke_session(
        &self,
        id: &SessionId,
        at: DateTime<Utc>,
        reason: &str,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let revoke = sqlx::query(
            "UPDATE sessions SET revoked_at = $2, revoke_reason = $3
             WHERE id = $1 AND revoked_at IS NULL",
        )
        .bind(id.as_str())
        .bind(at)
        .bind(reason);
        Ok(self.audited_run(revoke, audit).await? > 0)
    }

    #[tracing::instrument(skip_all)]
    async fn revoke_sessions_of(
        &self,
        user: &UserId,
        at: DateTime<Utc>,
        reason: &str,
        audit: AuditEvent,
    ) -> StoreResult<u64> {
        let revoke = sqlx::query(
            "UPDATE sessions SET revoked_at = $2, revoke_reason = $3
             WHERE user_id = $1 AND revoked_at IS NULL",
        )
        .bind(user.as_str())
        .bind(at)
        .bind(reason);
        self.audited_run(revoke, audit).await
    }
}
