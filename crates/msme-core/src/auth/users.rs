//! Managing accounts: what operators and admins do to them.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::audit::AuditActor;
use crate::audit::RequestMeta;
use crate::auth::{error_from_duplicate, AuthError, MfaEnrollment, NewAccount};
use crate::auth::{User, UserStatus};
use crate::rbac::{Actor, Permission};
use crate::types::{Role, UserId};

/// Account management; get one from [`Platform::users`](crate::Platform::users).
pub struct Users<'a> {
    pub(crate) c: crate::auth::AccountsCtx<'a>,
}

/// An account made by an operator or admin; admins come with their authenticator secret.
#[derive(Debug)]
pub struct CreatedUser {
    pub user: User,
    /// Set for admins, whose MFA is on from the start: hand the secret to the person.
    pub mfa: Option<MfaEnrollment>,
}

impl User {
    /// A new active account made of what was asked for (`account`'s password already hashed
    /// into `password_hash`): no failed logins, no lock, no MFA.
    pub fn active(
        id: UserId,
        account: NewAccount,
        password_hash: String,
        now: DateTime<Utc>,
    ) -> User {
        User {
            id,
            name: account.name,
            mobile: account.mobile,
            email: account.email,
            role: account.role,
            status: UserStatus::Active,
            password_hash,
            mobile_verified_at: None,
            failed_logins: 0,
            locked_until: None,
            totp_secret: None,
            mfa_enabled_at: None,
            created_at: now,
            updated_at: now,
        }
    }
}

impl Users<'_> {
    pub(crate) async fn create_account(
        &self,
        meta: &RequestMeta,
        actor: AuditActor,
        a: NewAccount,
    ) -> Result<(User, Option<MfaEnrollment>), AuthError> {
        let now = self.c.stamp.now();
        let password_hash = self.c.hasher.hash(&a.password).await?;
        let mut user = User::active(UserId::generate(), a, password_hash, now);
        // Admins get MFA on from the start, in the same transaction that creates them.
        let mfa =
            (user.role == Role::Admin).then(|| crate::auth::fresh_secret(&mut user, true, now));
        let event = self.c.stamp.event(
            meta,
            actor,
            "user.registered",
            ("user", user.id.as_str()),
            json!({ "role": user.role.as_str(), "mobile": user.mobile.masked() }),
        );
        self.c
            .store
            .create_user(&user, event)
            .await
            .map_err(error_from_duplicate)?;
        Ok((user, mfa))
    }

    /// Creates an account of any role, admins included (with MFA on from the start).
    pub async fn create(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        account: NewAccount,
    ) -> Result<CreatedUser, AuthError> {
        actor.require(Permission::ManageUsers)?;
        let (user, mfa) = self
            .create_account(meta, actor.audit_actor(), account)
            .await?;
        Ok(CreatedUser { user, mfa })
    }

    /// Accounts in id order; pass the last id seen to get the next page.
    pub async fn list(
        &self,
        actor: &Actor,
        after: Option<&UserId>,
        limit: u32,
    ) -> Result<Vec<User>, AuthError> {
        actor.require(Permission::ManageUsers)?;
        Ok(self.c.store.list_users(after, limit.clamp(1, 500)).await?)
    }

    /// One account: the actor's own, or anyone's for an admin.
    pub async fn get(&self, actor: &Actor, id: &UserId) -> Result<User, AuthError> {
        if actor.user_id() != Some(id) {
            actor.require(Permission::ManageUsers)?;
        }
        self.c.auth().lookup_user(id).await
    }

    /// Finds an account by id or by mobile number, as an operator types either.
    pub async fn find(&self, actor: &Actor, id_or_mobile: &str) -> Result<User, AuthError> {
        if let Ok(id) = UserId::parse(id_or_mobile.trim()) {
            return self.get(actor, &id).await;
        }
        actor.require(Permission::ManageUsers)?;
        let mobile = crate::types::Mobile::parse(id_or_mobile)?;
        self.c
            .store
            .user_by_mobile(&mobile)
            .await?
            .ok_or(AuthError::UserNotFound)
    }

    /// Disables an account and ends all its sessions.
    pub async fn disable(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        id: &UserId,
    ) -> Result<User, AuthError> {
        let user = self
            .set_status(meta, actor, id, UserStatus::Disabled)
            .await?;
        self.end_all_sessions(meta, actor, id, "account_disabled")
            .await?;
        Ok(user)
    }

    /// Enables a disabled account again.
    pub async fn enable(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        id: &UserId,
    ) -> Result<User, AuthError> {
        self.set_status(meta, actor, id, UserStatus::Active).await
    }

    async fn set_status(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        id: &UserId,
        status: UserStatus,
    ) -> Result<User, AuthError> {
        actor.require(Permission::ManageUsers)?;
        // An admin locking themselves out leaves nobody signed in to undo it.
        if status == UserStatus::Disabled && actor.user_id() == Some(id) {
            return Err(AuthError::OwnAccount);
        }
        let mut user = self.c.auth().lookup_user(id).await?;
        user.status = status;
        user.updated_at = self.c.stamp.now();
        let action = match status {
            UserStatus::Active => "user.enabled",
            UserStatus::Disabled => "user.disabled",
        };
        let event = self.c.stamp.event(
            meta,
            actor.audit_actor(),
            action,
            ("user", id.as_str()),
            json!({}),
        );
        self.c.store.update_user(&user, event).await?;
        Ok(user)
    }

    /// Changes an account's role and ends its sessions, so no token carries the old role.
    /// Making someone admin turns MFA on and returns the new secret to hand over.
    pub async fn set_role(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        id: &UserId,
        role: Role,
    ) -> Result<CreatedUser, AuthError> {
        actor.require(Permission::ManageUsers)?;
        if actor.user_id() == Some(id) {
            return Err(AuthError::OwnAccount);
        }
        let mut user = self.c.auth().lookup_user(id).await?;
        let old = user.role;
        user.role = role;
        user.updated_at = self.c.stamp.now();
        // Becoming admin turns MFA on in the same write as the role.
        let mfa = (role == Role::Admin && user.mfa_enabled_at.is_none())
            .then(|| crate::auth::fresh_secret(&mut user, true, self.c.stamp.now()));
        let event = self.c.stamp.event(
            meta,
            actor.audit_actor(),
            "user.role_changed",
            ("user", id.as_str()),
            json!({ "from": old.as_str(), "to": role.as_str(), "mfa_enabled": mfa.is_some() }),
        );
        self.c.store.update_user(&user, event).await?;
        // `authenticate` reads the current role, so old tokens lose the old role even before
        // their sessions are revoked here.
        self.end_all_sessions(meta, actor, id, "role_changed")
            .await?;
        Ok(CreatedUser { user, mfa })
    }

    async fn end_all_sessions(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        id: &UserId,
        reason: &str,
    ) -> Result<u64, AuthError> {
        let event = self.c.stamp.event(
            meta,
            actor.audit_actor(),
            "session.revoked_all",
            ("user", id.as_str()),
            json!({ "reason": reason }),
        );
        Ok(self
            .c
            .store
            .revoke_sessions_of(id, self.c.stamp.now(), reason, event)
            .await?)
    }
}
