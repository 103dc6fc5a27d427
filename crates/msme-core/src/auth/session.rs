//! Sessions: starting one, rotating its refresh token, ending it, and checking access tokens.

use serde_json::json;

use super::tokens::{hash_refresh_token, new_refresh_token};
use super::{Auth, AuthError, TokenPair};
use crate::audit::AuditActor;
use crate::audit::RequestMeta;
use crate::auth::{RefreshToken, Session, User, UserStatus};
use crate::rbac::{Actor, Permission};
use crate::types::{Role, SessionId, UserId};

impl Auth<'_> {
    /// Opens a session for an account that has proven who it is.
    pub(crate) async fn start_session(
        &self,
        meta: &RequestMeta,
        user: &User,
        method: &str,
    ) -> Result<TokenPair, AuthError> {
        let now = self.c.stamp.now();
        let policy = self.c.policy;
        let session = Session {
            id: SessionId::generate(),
            user_id: user.id.clone(),
            created_at: now,
            last_used_at: now,
            expires_at: now + policy.refresh_ttl,
            revoked_at: None,
            revoke_reason: None,
            method: method.to_string(),
            user_agent: meta.user_agent.clone(),
        };
        let (refresh, token) = issue_refresh_token(&session, now);
        let event = self.c.stamp.event(
            meta,
            AuditActor::User(user.id.clone()),
            "session.started",
            ("session", session.id.as_str()),
            json!({ "method": method }),
        );
        self.c.store.create_session(&session, &token, event).await?;
        self.token_pair(user.id.clone(), user.role, &session.id, refresh)
    }

    fn token_pair(
        &self,
        user: UserId,
        role: Role,
        session: &SessionId,
        refresh: String,
    ) -> Result<TokenPair, AuthError> {
        let ttl = self.c.policy.access_ttl;
        let access = self
            .c
            .keys
            .issue(&user, role, session, self.c.stamp.now(), ttl)?;
        Ok(TokenPair {
            access_token: access,
            refresh_token: refresh,
            token_type: "Bearer",
            expires_in: ttl.num_seconds(),
        })
    }

    /// Exchanges a refresh token for a new pair. Each refresh token works once: presenting one
    /// that was already exchanged revokes its whole session (it was probably stolen).
    pub async fn refresh(
        &self,
        meta: &RequestMeta,
        refresh_token: &str,
    ) -> Result<TokenPair, AuthError> {
        let store = self.c.store;
        let now = self.c.stamp.now();
        let presented = hash_refresh_token(refresh_token.trim());
        let token = store
            .refresh_token(&presented)
            .await?
            .ok_or(AuthError::InvalidRefreshToken)?;
        let session = store
            .session_by_id(&token.session_id)
            .await?
            .ok_or(AuthError::InvalidRefreshToken)?;
        if session.revoked_at.is_some() {
            return Err(AuthError::SessionRevoked);
        }
        if token.rotated_at.is_some() {
            return Err(self.reuse_detected(meta, &session).await?);
        }
        if token.expires_at <= now || session.expires_at <= now {
            return Err(AuthError::InvalidRefreshToken);
        }
        let user = self.lookup_user(&session.user_id).await?;
        if user.status == UserStatus::Disabled {
            return Err(AuthError::AccountDisabled);
        }
        let (next_secret, next) = issue_refresh_token(&session, now);
        let event = self.c.stamp.event(
            meta,
            AuditActor::User(user.id.clone()),
            "session.refreshed",
            ("session", session.id.as_str()),
            json!({}),
        );
        if !store.rotate_refresh_token(&presented, &next, event).await? {
            // Another request exchanged this token first: the same token was used twice.
            return Err(self.reuse_detected(meta, &session).await?);
        }
        self.token_pair(user.id, user.role, &session.id, next_secret)
    }

    async fn reuse_detected(
        &self,
        meta: &RequestMeta,
        session: &Session,
    ) -> Result<AuthError, AuthError> {
        let event = self.c.stamp.event(
            meta,
            AuditActor::System,
            "session.revoked",
            ("session", session.id.as_str()),
            json!({ "reason": "refresh_token_reused" }),
        );
        self.c
            .store
            .revoke_session(
                &session.id,
                self.c.stamp.now(),
                "refresh_token_reused",
                event,
            )
            .await?;
        tracing::warn!(session_id = %session.id, "refresh token reuse detected; session revoked");
        Ok(AuthError::RefreshTokenReused)
    }

    /// Checks an access token and that its session is still live; returns who is asking.
    pub async fn authenticate(&self, access_token: &str) -> Result<Actor, AuthError> {
        let now = self.c.stamp.now();
        let claims = self.c.keys.verify(access_token, now)?;
        let role = Role::parse(&claims.role).map_err(|_| AuthError::InvalidToken)?;
        let sid = SessionId::parse(&claims.sid).map_err(|_| AuthError::InvalidToken)?;
        let uid = UserId::parse(&claims.sub).map_err(|_| AuthError::InvalidToken)?;
        let session = self
            .c
            .store
            .session_by_id(&sid)
            .await?
            .ok_or(AuthError::InvalidToken)?;
        if session.user_id != uid {
            return Err(AuthError::InvalidToken);
        }
        if session.revoked_at.is_some() || session.expires_at <= now {
            return Err(AuthError::SessionRevoked);
        }
        // The account as it is now, not as it was when the token was issued: a disabled
        // account or a changed role takes effect at once, even if revoking its sessions failed.
        let user = self
            .lookup_user(&uid)
            .await
            .map_err(|_| AuthError::InvalidToken)?;
        if user.status == UserStatus::Disabled {
            return Err(AuthError::AccountDisabled);
        }
        if user.role != role {
            return Err(AuthError::SessionRevoked);
        }
        Ok(Actor::user(uid, user.role, sid))
    }

    /// Ends the session the actor signed in with.
    pub async fn logout(&self, meta: &RequestMeta, actor: &Actor) -> Result<(), AuthError> {
        let sid = actor
            .session_id()
            .ok_or(AuthError::SessionNotFound)?
            .clone();
        self.end_session(meta, actor, &sid, "logout")
            .await
            .map(|_| ())
    }

    /// The actor's own sessions, newest first.
    pub async fn sessions(&self, actor: &Actor) -> Result<Vec<Session>, AuthError> {
        actor.require(Permission::ManageOwnAccount)?;
        let uid = actor.user_id().ok_or(AuthError::UserNotFound)?;
        Ok(self.c.store.sessions_of(uid).await?)
    }

    /// Revokes a session: one's own, or anyone's for an admin.
    pub async fn revoke_session(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        id: &SessionId,
    ) -> Result<(), AuthError> {
        let session = self
            .c
            .store
            .session_by_id(id)
            .await?
            .ok_or(AuthError::SessionNotFound)?;
        let own = actor.user_id() == Some(&session.user_id);
        if !own && !actor.can(Permission::ManageUsers) {
            // Someone else's session: do not confirm it exists.
            return Err(AuthError::SessionNotFound);
        }
        self.end_session(meta, actor, id, "revoked")
            .await
            .map(|_| ())
    }

    async fn end_session(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        id: &SessionId,
        reason: &str,
    ) -> Result<bool, AuthError> {
        let event = self.c.stamp.event(
            meta,
            actor.audit_actor(),
            "session.revoked",
            ("session", id.as_str()),
            json!({ "reason": reason }),
        );
        Ok(self
            .c
            .store
            .revoke_session(id, self.c.stamp.now(), reason, event)
            .await?)
    }
}

/// A new refresh token for `session`: the secret the client gets and the record the store keeps
/// (only its hash). It lives as long as the session.
fn issue_refresh_token(
    session: &Session,
    now: chrono::DateTime<chrono::Utc>,
) -> (String, RefreshToken) {
    let secret = new_refresh_token();
    let token = RefreshToken {
        token_hash: hash_refresh_token(&secret),
        session_id: session.id.clone(),
        issued_at: now,
        expires_at: session.expires_at,
        rotated_at: None,
    };
    (secret, token)
}
