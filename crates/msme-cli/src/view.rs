//! How core values look on the terminal and in `--json` output. Secrets (password hashes,
//! TOTP secrets) are never part of an account's view.

use chrono::{DateTime, SecondsFormat, Utc};
use msme_core::audit::AuditEntry;
use msme_core::auth::MfaEnrollment;
use msme_core::ports::{OutboxMessage, User};
use serde_json::{json, Value};

/// RFC 3339 UTC with microseconds, as everywhere on the wire.
pub fn time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn opt_time(t: &Option<DateTime<Utc>>) -> Value {
    t.as_ref().map_or(Value::Null, |t| time(t).into())
}

/// An account as JSON.
pub fn user_json(u: &User) -> Value {
    json!({
        "id": u.id.as_str(),
        "name": u.name.as_str(),
        "mobile": u.mobile.as_str(),
        "email": u.email.as_ref().map(|e| e.as_str()),
        "role": u.role.as_str(),
        "status": u.status.as_str(),
        "mobile_verified_at": opt_time(&u.mobile_verified_at),
        "mfa_enabled": u.mfa_enabled_at.is_some(),
        "failed_logins": u.failed_logins,
        "locked_until": opt_time(&u.locked_until),
        "created_at": time(&u.created_at),
        "updated_at": time(&u.updated_at),
    })
}

/// An account as a few labelled lines.
pub fn user_text(u: &User) -> String {
    let mut lines = vec![
        format!("id:         {}", u.id),
        format!("name:       {}", u.name.as_str()),
        format!("mobile:     {}", u.mobile),
        format!(
            "email:      {}",
            u.email.as_ref().map_or("-", |e| e.as_str())
        ),
        format!("role:       {}", u.role),
        format!("status:     {}", u.status.as_str()),
        format!(
            "verified:   {}",
            u.mobile_verified_at.map_or("no".into(), |t| time(&t))
        ),
        format!(
            "mfa:        {}",
            if u.mfa_enabled_at.is_some() {
                "on"
            } else {
                "off"
            }
        ),
        format!("created at: {}", time(&u.created_at)),
    ];
    if let Some(until) = u.locked_until {
        lines.push(format!("locked until: {}", time(&until)));
    }
    lines.join("\n")
}

/// One account per line, for lists.
pub fn user_row(u: &User) -> String {
    format!(
        "{}  {:<8} {:<8} {}  {}",
        u.id,
        u.role.as_str(),
        u.status.as_str(),
        u.mobile,
        u.name.as_str()
    )
}

/// A new authenticator secret as JSON.
pub fn mfa_json(m: &MfaEnrollment) -> Value {
    json!({ "totp_secret": m.secret, "otpauth_uri": m.otpauth_uri })
}

/// A new authenticator secret, set apart so the operator cannot miss it.
pub fn mfa_text(m: &MfaEnrollment) -> String {
    format!(
        "\nMFA is on for this admin. Give them these now; they are NOT shown again.\n\
         Add to an authenticator app (type the secret or make a QR code of the URI):\n\
         \x20 TOTP secret: {}\n\
         \x20 otpauth URI: {}\n",
        m.secret, m.otpauth_uri
    )
}

/// An outbox message as JSON.
pub fn outbox_json(m: &OutboxMessage) -> Value {
    json!({
        "id": m.id,
        "channel": m.channel,
        "recipient": m.recipient,
        "body": m.body,
        "created_at": time(&m.created_at),
        "status": m.status.as_str(),
        "attempts": m.attempts,
        "provider": m.provider,
        "provider_ref": m.provider_ref,
        "last_error": m.last_error,
        "sent_at": opt_time(&m.sent_at),
    })
}

/// An outbox message as one line.
pub fn outbox_row(m: &OutboxMessage) -> String {
    let error = m
        .last_error
        .as_deref()
        .map(|e| format!("  ({e})"))
        .unwrap_or_default();
    format!(
        "{:>6}  {}  {:<6} {}  {}{error}",
        m.id,
        time(&m.created_at),
        m.status.as_str(),
        m.recipient,
        m.body
    )
}

/// An audit entry as one JSON line of an export. `details` stays the exact string that was
/// hashed, so anyone can recompute the chain from an export.
pub fn audit_json(e: &AuditEntry) -> Value {
    let ev = &e.event;
    json!({
        "seq": e.seq,
        "at": time(&ev.at),
        "actor": ev.actor.as_string(),
        "action": ev.action,
        "entity_type": ev.entity_type,
        "entity_id": ev.entity_id,
        "request_id": ev.request_id,
        "details": ev.details,
        "prev_hash": e.prev_hash,
        "hash": e.hash,
    })
}
