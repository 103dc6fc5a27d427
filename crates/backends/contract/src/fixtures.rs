//! Builders for the values the cases store, and checks shared by several cases.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use msme_core::audit::{AuditActor, AuditEntry, AuditEvent};
use msme_core::clock::truncate;
use msme_core::ports::{NewOutboxMessage, OtpCode, RefreshToken, Session, Store, User, UserStatus};
use msme_core::types::{Email, Mobile, PersonName, Role, SessionId, UserId};

/// A fixed instant plus `secs` seconds; the odd microseconds catch lost precision.
pub fn at(secs: i64) -> DateTime<Utc> {
    let base = DateTime::from_timestamp_micros(1_736_900_000_123_457).expect("valid time");
    truncate(base + Duration::seconds(secs))
}

/// The mobile number of fixture account `n`.
pub fn mobile(n: u32) -> Mobile {
    Mobile::from_trusted(format!("+9198765{n:05}"))
}

/// An active seller with an email, created at `at(n)`.
pub fn user(n: u32) -> User {
    User {
        id: UserId::generate(),
        name: PersonName::from_trusted(format!("Asha Rao {n}")),
        mobile: mobile(n),
        email: Some(Email::from_trusted(format!("seller{n}@example.in"))),
        role: Role::Seller,
        status: UserStatus::Active,
        password_hash: format!("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA${n}"),
        mobile_verified_at: None,
        failed_logins: 0,
        locked_until: None,
        totp_secret: None,
        mfa_enabled_at: None,
        created_at: at(i64::from(n)),
        updated_at: at(i64::from(n)),
    }
}

/// An audit event with every field set, so a lost field shows.
pub fn event(action: &str, entity_id: &str) -> AuditEvent {
    AuditEvent {
        at: at(7),
        actor: AuditActor::Operator,
        action: action.to_string(),
        entity_type: "user".to_string(),
        entity_id: entity_id.to_string(),
        request_id: Some(format!("req-{action}")),
        details: r#"{"note":"भारत ✓"}"#.to_string(),
    }
}

/// A live session of `user` created at `at(secs)`, with its first refresh token.
pub fn session(user: &UserId, secs: i64) -> (Session, RefreshToken) {
    let session = Session {
        id: SessionId::generate(),
        user_id: user.clone(),
        created_at: at(secs),
        last_used_at: at(secs),
        expires_at: at(secs) + Duration::days(30),
        revoked_at: None,
        revoke_reason: None,
        method: "password".to_string(),
        user_agent: Some("curl/8.5".to_string()),
    };
    let token = token(&session.id, secs);
    (session, token)
}

/// A fresh, unrotated refresh token of `session` issued at `at(secs)`.
pub fn token(session: &SessionId, secs: i64) -> RefreshToken {
    RefreshToken {
        token_hash: format!("hash-{}", uuid::Uuid::new_v4()),
        session_id: session.clone(),
        issued_at: at(secs),
        expires_at: at(secs) + Duration::days(30),
        rotated_at: None,
    }
}

/// An unused code for `mobile` issued at `at(secs)`, and its SMS.
pub fn otp(mobile: &Mobile, secs: i64) -> (OtpCode, NewOutboxMessage) {
    let otp = OtpCode {
        id: uuid::Uuid::now_v7().to_string(),
        mobile: mobile.clone(),
        code_hash: format!("code-{}", uuid::Uuid::new_v4()),
        created_at: at(secs),
        expires_at: at(secs) + Duration::minutes(5),
        attempts: 0,
        consumed_at: None,
    };
    let sms = NewOutboxMessage {
        channel: "sms".to_string(),
        recipient: mobile.to_string(),
        body: format!("{secs:06} is your MSME Exchange code."),
        created_at: at(secs),
        redact_after: Some(at(secs) + Duration::minutes(5)),
    };
    (otp, sms)
}

/// Stores fixture account `n` and returns it.
pub async fn stored_user(store: &Arc<dyn Store>, n: u32) -> User {
    let u = user(n);
    store
        .create_user(&u, event("user.registered", u.id.as_str()))
        .await
        .expect("create user");
    u
}

/// Stores a session of `user` created at `at(secs)` and returns it with its token.
pub async fn stored_session(
    store: &Arc<dyn Store>,
    user: &UserId,
    secs: i64,
) -> (Session, RefreshToken) {
    let (s, t) = session(user, secs);
    store
        .create_session(&s, &t, event("session.started", s.id.as_str()))
        .await
        .expect("create session");
    (s, t)
}

/// The `seq` of the last audit entry, 0 when there is none.
/// The account `id` as the store holds it now; it must exist.
pub async fn reloaded(store: &Arc<dyn Store>, id: &UserId) -> User {
    let found = store.user_by_id(id).await.expect("lookup");
    found.expect("exists")
}

/// `failures` failed logins of `id`, one a second from second 0, then a lock until `until`.
pub async fn failed_logins_then_lock(
    store: &Arc<dyn Store>,
    id: &UserId,
    failures: i64,
    until: DateTime<Utc>,
) {
    for i in 0..failures {
        let audit = event("user.login_failed", id.as_str());
        let failed = store.record_failed_login(id, at(i), audit).await;
        failed.expect("fail");
    }
    let lock = event("user.locked", id.as_str());
    store.lock_user(id, until, lock).await.expect("lock");
}

pub async fn head_seq(store: &Arc<dyn Store>) -> i64 {
    store
        .audit_head()
        .await
        .expect("audit head")
        .map_or(0, |(seq, _)| seq)
}

/// Every audit entry, in order.
pub async fn all_entries(store: &Arc<dyn Store>) -> Vec<AuditEntry> {
    store.audit_page(0, 10_000).await.expect("audit page")
}

/// Fails unless exactly `n` entries were appended since the head was at `before`.
pub async fn assert_appended(store: &Arc<dyn Store>, before: i64, n: i64, what: &str) {
    assert_eq!(
        head_seq(store).await,
        before + n,
        "audit entries added by {what}"
    );
}

pub mod market;
