//! One-time passwords by SMS: verifying a mobile number and signing in without a password.

use hmac::{Hmac, Mac};
use rand::Rng;
use serde_json::json;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::{Auth, AuthError, TokenPair};
use crate::audit::AuditActor;
use crate::audit::RequestMeta;
use crate::auth::{NewOutboxMessage, OtpCode, UserStatus};
use crate::types::Mobile;

/// What `send_otp` tells the caller. The same answer whether or not the number has an account,
/// so the endpoint cannot be used to find out who is registered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtpSent {
    /// Seconds the code stays valid.
    pub expires_in: i64,
    /// Seconds before another code may be asked for.
    pub resend_after: i64,
}

impl Auth<'_> {
    /// Sends a 6-digit code to a registered number (through the outbox and, when configured,
    /// an SMS provider). Limited by a resend cooldown and an hourly cap per number.
    pub async fn send_otp(
        &self,
        meta: &RequestMeta,
        mobile: &Mobile,
    ) -> Result<OtpSent, AuthError> {
        let store = self.c.store;
        let policy = self.c.policy;
        let now = self.c.stamp.now();
        let recent = store
            .otps_sent_since(mobile, now - chrono::Duration::hours(1))
            .await?;
        if let Some(last) = recent.first() {
            let ready = *last + policy.otp_resend_cooldown;
            if ready > now {
                return Err(AuthError::OtpCooldown {
                    retry_after_secs: (ready - now).num_seconds().max(1) as u64,
                });
            }
        }
        if recent.len() >= policy.otp_hourly_cap {
            let oldest = recent.iter().min().copied().unwrap_or(now);
            let ready = oldest + chrono::Duration::hours(1);
            return Err(AuthError::OtpHourlyCap {
                retry_after_secs: (ready - now).num_seconds().max(1) as u64,
            });
        }
        let answer = OtpSent {
            expires_in: policy.otp_ttl.num_seconds(),
            resend_after: policy.otp_resend_cooldown.num_seconds(),
        };
        let registered = store.user_by_mobile(mobile).await?.is_some();
        let code = format!("{:06}", rand::rng().random_range(0..1_000_000u32));
        let id = uuid::Uuid::now_v7().to_string();
        let otp = OtpCode {
            code_hash: self.otp_hash(&id, &code),
            id,
            mobile: mobile.clone(),
            created_at: now,
            expires_at: now + policy.otp_ttl,
            attempts: 0,
            consumed_at: None,
        };
        let minutes = policy.otp_ttl.num_minutes();
        // Only registered numbers get a message; every number gets a stored code, so the
        // throttles (and the answer) are the same whether or not an account exists.
        let sms = registered.then(|| NewOutboxMessage {
            channel: "sms".into(),
            recipient: mobile.to_string(),
            body: format!("{code} is your MSME Exchange code. It expires in {minutes} minutes. Never share it."),
            created_at: now,
            redact_after: Some(otp.expires_at),
        });
        let event = self.c.stamp.event(
            meta,
            AuditActor::System,
            "otp.sent",
            ("otp", otp.id.as_str()),
            json!({ "mobile": mobile.masked() }),
        );
        let outbox_id = store.issue_otp(&otp, sms.as_ref(), event).await?;
        store.redact_outbox(now).await?;
        // The runtime's SMS worker delivers it (woken by this commit's event), so a slow
        // provider neither slows the answer nor tells registered numbers apart by timing.
        let _ = (outbox_id, sms);
        Ok(answer)
    }

    /// Checks a code: on success the number counts as verified and a session starts.
    /// Each code works once, expires, and is refused after too many wrong tries.
    pub async fn verify_otp(
        &self,
        meta: &RequestMeta,
        mobile: &Mobile,
        code: &str,
        totp: Option<&str>,
    ) -> Result<TokenPair, AuthError> {
        let store = self.c.store;
        let policy = self.c.policy;
        let now = self.c.stamp.now();
        let otp = store
            .latest_otp(mobile)
            .await?
            .ok_or(AuthError::OtpInvalid)?;
        if otp.consumed_at.is_some() {
            return Err(AuthError::OtpInvalid);
        }
        if otp.attempts >= policy.otp_max_attempts {
            return Err(AuthError::OtpLocked);
        }
        if otp.expires_at <= now {
            return Err(AuthError::OtpExpired);
        }
        // Count the try before comparing, so concurrent guesses cannot exceed the limit.
        if store.record_otp_attempt(&otp.id).await? > policy.otp_max_attempts {
            return Err(AuthError::OtpLocked);
        }
        let given = self.otp_hash(&otp.id, code.trim());
        if !bool::from(given.as_bytes().ct_eq(otp.code_hash.as_bytes())) {
            return Err(AuthError::OtpInvalid);
        }
        let user = store
            .user_by_mobile(mobile)
            .await?
            .ok_or(AuthError::OtpInvalid)?;
        if user.status == UserStatus::Disabled {
            return Err(AuthError::AccountDisabled);
        }
        self.check_not_locked(&user)?;
        self.check_second_factor(&user, totp).await?;
        let event = self.c.stamp.event(
            meta,
            AuditActor::User(user.id.clone()),
            "otp.verified",
            ("user", user.id.as_str()),
            json!({ "mobile": mobile.masked() }),
        );
        if !store.consume_otp(&otp.id, now, event).await? {
            return Err(AuthError::OtpInvalid);
        }
        self.start_session(meta, &user, "otp").await
    }

    fn otp_hash(&self, otp_id: &str, code: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.c.otp_key).expect("any key length");
        mac.update(otp_id.as_bytes());
        mac.update(b":");
        mac.update(code.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}
