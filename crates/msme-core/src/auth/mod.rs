//! Accounts and sign-in: registration, passwords, OTP, tokens, sessions and MFA.

mod audit_log;
mod error;
mod mfa;
mod otp;
mod outbox;
mod password;
mod policy;
mod session;
mod store;
pub mod tokens;
pub mod totp;
mod users;

pub use audit_log::AuditLog;
pub(crate) use error::error_from_duplicate;
pub use error::AuthError;
pub(crate) use mfa::fresh_secret;
pub use mfa::MfaEnrollment;
pub use otp::OtpSent;
pub use outbox::Outbox;
pub use password::PasswordHasher;
pub use policy::AuthPolicy;
pub use store::{
    AccountsPorts, NewOutboxMessage, OtpCode, OtpStore, OutboxMessage, OutboxStatus, OutboxStore,
    RefreshToken, Session, SessionStore, User, UserStatus, UserStore, REDACTED_BODY,
};
pub use tokens::{Claims, TokenKeys};
pub use users::{CreatedUser, Users};

use serde_json::json;

use crate::audit::AuditActor;
use crate::audit::{RequestMeta, Stamp};
use crate::sms::SmsChannel;
use crate::types::{Email, Mobile, Password, PersonName, Role, UserId};

/// What the accounts context (sign-in, accounts, sessions, MFA, OTPs, the outbox, the audit
/// log) is built with: its ports and its keys and policy, nothing of the other contexts.
#[derive(Clone, Copy)]
pub(crate) struct AccountsCtx<'a> {
    pub(crate) store: &'a dyn AccountsPorts,
    pub(crate) stamp: Stamp<'a>,
    pub(crate) hasher: &'a PasswordHasher,
    pub(crate) keys: &'a TokenKeys,
    pub(crate) otp_key: &'a [u8],
    pub(crate) policy: &'a AuthPolicy,
    pub(crate) sms: Option<&'a dyn SmsChannel>,
}

impl<'a> AccountsCtx<'a> {
    pub(crate) fn auth(self) -> Auth<'a> {
        Auth { c: self }
    }
    pub(crate) fn users(self) -> users::Users<'a> {
        users::Users { c: self }
    }
    pub(crate) fn outbox(self) -> outbox::Outbox<'a> {
        outbox::Outbox { c: self }
    }
    pub(crate) fn audit(self) -> audit_log::AuditLog<'a> {
        audit_log::AuditLog { c: self }
    }
}

/// Sign-in operations; get one from [`Platform::auth`](crate::Platform::auth).
pub struct Auth<'a> {
    pub(crate) c: AccountsCtx<'a>,
}

/// What a person gives to open an account, already checked.
#[derive(Clone, Debug)]
pub struct NewAccount {
    pub name: PersonName,
    pub mobile: Mobile,
    pub email: Option<Email>,
    pub password: Password,
    pub role: Role,
}

impl NewAccount {
    /// Parses the raw fields of a registration, naming the first field that is wrong.
    pub fn parse(
        name: &str,
        mobile: &str,
        email: Option<&str>,
        password: &str,
        role: &str,
    ) -> Result<Self, crate::error::ValidationError> {
        Ok(Self {
            name: PersonName::parse(name)?,
            mobile: Mobile::parse(mobile)?,
            email: email
                .filter(|e| !e.trim().is_empty())
                .map(Email::parse)
                .transpose()?,
            password: Password::parse(password)?,
            role: Role::parse(role)?,
        })
    }
}

/// How a person identifies themself at login.
#[derive(Clone, Debug)]
pub enum LoginId {
    Mobile(Mobile),
    Email(Email),
}

impl LoginId {
    /// Takes whichever of mobile or email was given (mobile first).
    pub fn parse(
        mobile: Option<&str>,
        email: Option<&str>,
    ) -> Result<Self, crate::error::ValidationError> {
        match (
            mobile.filter(|s| !s.is_empty()),
            email.filter(|s| !s.is_empty()),
        ) {
            (Some(m), _) => Ok(LoginId::Mobile(Mobile::parse(m)?)),
            (None, Some(e)) => Ok(LoginId::Email(Email::parse(e)?)),
            (None, None) => Err(crate::error::ValidationError::new(
                "mobile",
                "give a mobile number or an email",
            )),
        }
    }
}

/// The answer to a successful login, OTP verification or refresh.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

impl Auth<'_> {
    /// Opens an account for a seller, buyer, agent or NBFC. Admins are made by an operator.
    ///
    /// ```
    /// # async fn demo(platform: msme_core::Platform) -> Result<(), msme_core::auth::AuthError> {
    /// use msme_core::{auth::NewAccount, RequestMeta};
    /// let account = NewAccount::parse("Asha Rao", "98765 43210", None, "a long password", "seller")?;
    /// let user = platform.auth().register(&RequestMeta::default(), account).await?;
    /// assert_eq!(user.mobile.as_str(), "+919876543210");
    /// # Ok(()) }
    /// ```
    pub async fn register(
        &self,
        meta: &RequestMeta,
        account: NewAccount,
    ) -> Result<User, AuthError> {
        if !account.role.is_self_service() {
            return Err(AuthError::AdminSelfRegistration);
        }
        self.c
            .users()
            .create_account(meta, AuditActor::System, account)
            .await
            .map(|(user, _)| user)
    }

    /// Signs in with a password (and an authenticator code where MFA is on).
    pub async fn login(
        &self,
        meta: &RequestMeta,
        id: &LoginId,
        password: &Password,
        totp: Option<&str>,
    ) -> Result<TokenPair, AuthError> {
        let store = self.c.store;
        let user = match id {
            LoginId::Mobile(m) => store.user_by_mobile(m).await?,
            LoginId::Email(e) => store.user_by_email(e).await?,
        };
        let Some(user) = user else {
            // Spend the same time as a real check, so response times do not reveal accounts.
            let _ = self.c.hasher.verify(password, DUMMY_HASH).await;
            return Err(AuthError::InvalidCredentials);
        };
        self.check_not_locked(&user)?;
        if !self.c.hasher.verify(password, &user.password_hash).await? {
            return Err(self.failed_login(meta, &user).await?);
        }
        if user.status == UserStatus::Disabled {
            return Err(AuthError::AccountDisabled);
        }
        if let Err(e) = self.check_second_factor(&user, totp).await {
            if matches!(e, AuthError::InvalidTotp) {
                return Err(self.failed_login(meta, &user).await?);
            }
            return Err(e);
        }
        self.start_session(meta, &user, "password").await
    }

    fn check_not_locked(&self, user: &User) -> Result<(), AuthError> {
        let now = self.c.stamp.now();
        match user.locked_until {
            Some(until) if until > now => Err(AuthError::AccountLocked {
                until,
                retry_after_secs: (until - now).num_seconds().max(1) as u64,
            }),
            _ => Ok(()),
        }
    }

    /// Counts a failed login, locking the account when the threshold is reached.
    async fn failed_login(&self, meta: &RequestMeta, user: &User) -> Result<AuthError, AuthError> {
        let store = self.c.store;
        let policy = self.c.policy;
        let now = self.c.stamp.now();
        let attempt = self.c.stamp.event(
            meta,
            AuditActor::System,
            "user.login_failed",
            ("user", user.id.as_str()),
            json!({}),
        );
        let count = store.record_failed_login(&user.id, now, attempt).await?;
        if count < policy.lockout_threshold {
            return Ok(AuthError::InvalidCredentials);
        }
        let until = self.c.stamp.now() + policy.lockout_duration;
        let event = self.c.stamp.event(
            meta,
            AuditActor::System,
            "user.locked",
            ("user", user.id.as_str()),
            json!({ "failed_logins": count, "locked_until": until.to_rfc3339() }),
        );
        store.lock_user(&user.id, until, event).await?;
        tracing::warn!(user_id = %user.id, failed_logins = count, "account locked after failed logins");
        Ok(AuthError::AccountLocked {
            until,
            retry_after_secs: policy.lockout_duration.num_seconds() as u64,
        })
    }

    /// Enforces MFA: required for admins, and for anyone who enrolled.
    async fn check_second_factor(&self, user: &User, totp: Option<&str>) -> Result<(), AuthError> {
        let enrolled = user.mfa_enabled_at.is_some();
        if !enrolled {
            return if user.role == Role::Admin {
                Err(AuthError::MfaEnrollmentRequired)
            } else {
                Ok(())
            };
        }
        let code = totp
            .filter(|c| !c.is_empty())
            .ok_or(AuthError::MfaRequired)?;
        self.c.auth().check_totp(user, code).await
    }

    pub(crate) async fn lookup_user(&self, id: &UserId) -> Result<User, AuthError> {
        self.c
            .store
            .user_by_id(id)
            .await?
            .ok_or(AuthError::UserNotFound)
    }
}

/// A valid Argon2id hash of a random password, verified against when no account matches.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0bXJ9mPlKXi0yHbXC3MkbJb3pVwQj1G0O7Dy2Yl1Z2Q";
