//! Sessions and refresh tokens: [`SessionStore`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::ports::{RefreshToken, Session, SessionStore, StoreResult};
use msme_core::types::{SessionId, UserId};
use rusqlite::{params, Transaction};

use crate::error::Step;
use crate::rows::{self, micros, micros_opt, SESSION_COLUMNS, TOKEN_COLUMNS};
use crate::statements::ById;
use crate::SqliteStore;

const SESSIONS: ById = ById::new("looking up a session", "sessions", SESSION_COLUMNS);

fn insert_token(tx: &Transaction<'_>, t: &RefreshToken) -> rusqlite::Result<usize> {
    tx.prepare_cached(&format!(
        "INSERT INTO refresh_tokens ({TOKEN_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5)"
    ))?
    .execute(params![
        t.token_hash,
        t.session_id.as_str(),
        micros(t.issued_at),
        micros(t.expires_at),
        micros_opt(t.rotated_at)
    ])
}

fn insert_session(tx: &Transaction<'_>, s: &Session) -> rusqlite::Result<usize> {
    tx.execute(
        &format!(
            "INSERT INTO sessions ({SESSION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        ),
        params![
            s.id.as_str(),
            s.user_id.as_str(),
            micros(s.created_at),
            micros(s.last_used_at),
            micros(s.expires_at),
            micros_opt(s.revoked_at),
            s.revoke_reason,
            s.method,
            s.user_agent
        ],
    )
}

#[async_trait]
impl SessionStore for SqliteStore {
    #[tracing::instrument(skip_all)]
    async fn create_session(
        &self,
        session: &Session,
        token: &RefreshToken,
        audit: AuditEvent,
    ) -> StoreResult<()> {
        let (s, t) = (session.clone(), token.clone());
        self.audited(audit, move |tx| {
            insert_session(tx, &s).step("storing a session")?;
            insert_token(tx, &t).step("storing a refresh token")?;
            tx.execute(
                "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?1",
                [s.user_id.as_str()],
            )
            .step("clearing failed logins")?;
            Ok(())
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn session_by_id(&self, id: &SessionId) -> StoreResult<Option<Session>> {
        self.read_by_id(&SESSIONS, id.as_str(), rows::session).await
    }

    #[tracing::instrument(skip_all)]
    async fn sessions_of(&self, user: &UserId) -> StoreResult<Vec<Session>> {
        self.read_all(
            "listing sessions",
            format!(
                "SELECT {SESSION_COLUMNS} FROM sessions WHERE user_id = ?1 \
                 ORDER BY created_at DESC, rowid DESC"
            ),
            [user.to_string()],
            rows::session,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshToken>> {
        self.read_optional(
            "looking up a refresh token",
            format!("SELECT {TOKEN_COLUMNS} FROM refresh_tokens WHERE token_hash = ?1"),
            [token_hash.to_string()],
            rows::refresh_token,
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
        let (presented, next) = (presented.to_string(), next.clone());
        self.audited(audit, move |tx| {
            // The guard on rotated_at makes this the one winner among concurrent rotations.
            let rotated = tx
                .execute(
                    "UPDATE refresh_tokens SET rotated_at = ?2 \
                     WHERE token_hash = ?1 AND rotated_at IS NULL",
                    params![presented, micros(next.issued_at)],
                )
                .step("rotating a refresh token")?;
            if rotated == 0 {
                return Ok(false);
            }
            insert_token(tx, &next).step("storing the next refresh token")?;
            tx.execute(
                "UPDATE sessions SET last_used_at = ?2 WHERE id = ?1",
                params![next.session_id.as_str(), micros(next.issued_at)],
            )
            .step("touching a session")?;
            Ok(true)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn revoke_session(
        &self,
        id: &SessionId,
        at: DateTime<Utc>,
        reason: &str,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let by = "id = ?1";
        let changed = self.revoke_where(by, id.to_string(), at, reason, audit);
        Ok(changed.await? > 0)
    }

    #[tracing::instrument(skip_all)]
    async fn revoke_sessions_of(
        &self,
        user: &UserId,
        at: DateTime<Utc>,
        reason: &str,
        audit: AuditEvent,
    ) -> StoreResult<u64> {
        let by = "user_id = ?1";
        let changed = self.revoke_where(by, user.to_string(), at, reason, audit);
        Ok(changed.await? as u64)
    }
}

impl SqliteStore {
    /// Revokes the live sessions `by` picks (a condition on `?1`, which is `key`).
    async fn revoke_where(
        &self,
        by: &'static str,
        key: String,
        at: DateTime<Utc>,
        reason: &str,
        audit: AuditEvent,
    ) -> StoreResult<usize> {
        let sql = format!(
            "UPDATE sessions SET revoked_at = ?2, revoke_reason = ?3 \
             WHERE {by} AND revoked_at IS NULL"
        );
        let params = (key, micros(at), reason.to_string());
        self.audited_execute("revoking sessions", sql, params, audit)
            .await
    }
}
