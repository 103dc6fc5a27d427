//! TOTP enrolment and checks.

use serde_json::json;

use super::{totp, Auth, AuthError};
use crate::audit::AuditActor;
use crate::audit::RequestMeta;
use crate::auth::User;
use crate::rbac::{Actor, Permission};
use crate::types::Role;

/// A started enrolment: show the URI as a QR code, then confirm with a code from the app.
#[derive(Clone, PartialEq, Eq)]
pub struct MfaEnrollment {
    /// Base32 secret, for typing in by hand.
    pub secret: String,
    pub otpauth_uri: String,
}

impl std::fmt::Debug for MfaEnrollment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MfaEnrollment([redacted])")
    }
}

impl Auth<'_> {
    /// Starts enrolment with a new secret. Replaces an unconfirmed one.
    pub async fn mfa_enroll(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
    ) -> Result<MfaEnrollment, AuthError> {
        let mut user = self.own_account(actor).await?;
        if user.mfa_enabled_at.is_some() {
            return Err(AuthError::MfaAlreadyEnabled);
        }
        let enrollment = self
            .set_new_secret(meta, actor.audit_actor(), &mut user, false)
            .await?;
        Ok(enrollment)
    }

    /// Confirms enrolment with a code from the app; from then on logins need a code.
    pub async fn mfa_confirm(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        code: &str,
    ) -> Result<(), AuthError> {
        let mut user = self.own_account(actor).await?;
        if user.mfa_enabled_at.is_some() {
            return Err(AuthError::MfaAlreadyEnabled);
        }
        if user.totp_secret.is_none() {
            return Err(AuthError::MfaNotEnrolled);
        }
        self.check_totp(&user, code).await?;
        let now = self.c.stamp.now();
        user.mfa_enabled_at = Some(now);
        user.updated_at = now;
        self.save_mfa_change(meta, actor.audit_actor(), &user, "mfa.enabled")
            .await
    }

    /// Turns MFA off, given a valid code. Admins cannot: for them it is required.
    pub async fn mfa_disable(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        code: &str,
    ) -> Result<(), AuthError> {
        let mut user = self.own_account(actor).await?;
        if user.role == Role::Admin {
            return Err(AuthError::MfaRequiredForRole);
        }
        if user.mfa_enabled_at.is_none() {
            return Err(AuthError::MfaNotEnrolled);
        }
        self.check_totp(&user, code).await?;
        user.mfa_enabled_at = None;
        user.totp_secret = None;
        user.updated_at = self.c.stamp.now();
        self.save_mfa_change(meta, actor.audit_actor(), &user, "mfa.disabled")
            .await
    }

    /// The caller's own account, which MFA changes apply to.
    async fn own_account(&self, actor: &Actor) -> Result<User, AuthError> {
        actor.require(Permission::ManageOwnAccount)?;
        self.lookup_user(actor.user_id().ok_or(AuthError::UserNotFound)?)
            .await
    }

    /// Stores a user's changed MFA state with its audit entry (`action`).
    async fn save_mfa_change(
        &self,
        meta: &RequestMeta,
        actor: AuditActor,
        user: &User,
        action: &str,
    ) -> Result<(), AuthError> {
        let event = self
            .c
            .stamp
            .event(meta, actor, action, ("user", user.id.as_str()), json!({}));
        self.c.store.update_user(user, event).await?;
        Ok(())
    }

    /// Writes a fresh secret to `user`; `enable` turns MFA on at once (operator-made admins).
    pub(crate) async fn set_new_secret(
        &self,
        meta: &RequestMeta,
        actor: AuditActor,
        user: &mut User,
        enable: bool,
    ) -> Result<MfaEnrollment, AuthError> {
        let enrollment = fresh_secret(user, enable, self.c.stamp.now());
        let action = if enable {
            "mfa.enabled"
        } else {
            "mfa.enrollment_started"
        };
        self.save_mfa_change(meta, actor, user, action).await?;
        Ok(enrollment)
    }

    /// Checks a TOTP code and burns its time step so it cannot be replayed.
    pub(crate) async fn check_totp(&self, user: &User, code: &str) -> Result<(), AuthError> {
        let secret = user
            .totp_secret
            .as_deref()
            .ok_or(AuthError::MfaNotEnrolled)?;
        let step = totp::matching_step(secret, code, self.c.stamp.now().timestamp())
            .ok_or(AuthError::InvalidTotp)?;
        if !self.c.store.use_totp_step(&user.id, step).await? {
            return Err(AuthError::InvalidTotp);
        }
        Ok(())
    }
}

/// Puts a new TOTP secret on `user` (not yet stored); `enable` turns MFA on at once.
pub(crate) fn fresh_secret(
    user: &mut User,
    enable: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> MfaEnrollment {
    let secret = totp::new_secret();
    user.totp_secret = Some(secret.clone());
    user.mfa_enabled_at = enable.then_some(now);
    user.updated_at = now;
    let label = user
        .email
        .as_ref()
        .map(|e| e.to_string())
        .unwrap_or_else(|| user.mobile.to_string());
    MfaEnrollment {
        otpauth_uri: totp::provisioning_uri(&secret, &label),
        secret,
    }
}
