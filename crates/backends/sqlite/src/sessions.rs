//! Sessions and refresh tokens: [`SessionStore`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::ports::{RefreshToken, Session, SessionStore, StoreResult};
use msme_core::types::{SessionId, UserId};
use rusqlite::{params, OptionalExtension, Transaction};

use crate::audit::append;
use crate::error::Step;
use crate::rows::{self, micros, micros_opt, SESSION_COLUMNS, TOKEN_COLUMNS};
use crate::SqliteStore;

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
        self.write(move |tx| {
            insert_session(tx, &s).step("storing a session")?;
            insert_token(tx, &t).step("storing a refresh token")?;
            tx.execute(
                "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?1",
                [s.user_id.as_str()],
            )
            .step("clearing failed logins")?;
            append(tx, audit).map(drop)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn session_by_id(&self, id: &SessionId) -> StoreResult<Option<Session>> {
        let id = id.to_string();
        self.read("looking up a session", move |c| {
            let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?1");
            c.prepare_cached(&sql)?
                .query_row([id], rows::session)
                .optional()
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn sessions_of(&self, user: &UserId) -> StoreResult<Vec<Session>> {
        let user = user.to_string();
        self.read("listing sessions", move |c| {
            let sql = format!(
                "SELECT {SESSION_COLUMNS} FROM sessions WHERE user_id = ?1 \
                 ORDER BY created_at DESC, rowid DESC"
            );
            let mut st = c.prepare_cached(&sql)?;
            let rows = st.query_map([user], rows::session)?;
            rows.collect()
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshToken>> {
        let hash = token_hash.to_string();
        self.read("looking up a refresh token", move |c| {
            let sql = format!("SELECT {TOKEN_COLUMNS} FROM refresh_tokens WHERE token_hash = ?1");
            c.prepare_cached(&sql)?
                .query_row([hash], rows::refresh_token)
                .optional()
        })
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
        self.write(move |tx| {
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
            append(tx, audit).map(|_| true)
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
        let (id, reason) = (id.to_string(), reason.to_string());
        self.write(move |tx| {
            let changed = tx
                .execute(
                    "UPDATE sessions SET revoked_at = ?2, revoke_reason = ?3 \
                     WHERE id = ?1 AND revoked_at IS NULL",
                    params![id, micros(at), reason],
                )
                .step("revoking a session")?;
            if changed == 0 {
                return Ok(false);
            }
            append(tx, audit).map(|_| true)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn revoke_sessions_of(
        &self,
        user: &UserId,
        at: DateTime<Utc>,
        reason: &str,
        audit: AuditEvent,
    ) -> StoreResult<u64> {
        let (user, reason) = (user.to_string(), reason.to_string());
        self.write(move |tx| {
            let changed = tx
                .execute(
                    "UPDATE sessions SET revoked_at = ?2, revoke_reason = ?3 \
                     WHERE user_id = ?1 AND revoked_at IS NULL",
                    params![user, micros(at), reason],
                )
                .step("revoking sessions")?;
            if changed > 0 {
                append(tx, audit)?;
            }
            Ok(changed as u64)
        })
        .await
    }
}
