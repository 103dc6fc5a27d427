//! One-time passwords ([`OtpStore`]) and the SMS outbox they write to ([`OutboxStore`]).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::ports::{
    NewOutboxMessage, OtpCode, OtpStore, OutboxMessage, OutboxStore, StoreResult, REDACTED_BODY,
};
use msme_core::types::Mobile;
use rusqlite::{params, OptionalExtension};

use crate::audit::append;
use crate::error::{found, Step};
use crate::rows::{self, micros, micros_opt, time, OTP_COLUMNS, OUTBOX_COLUMNS};
use crate::SqliteStore;

#[async_trait]
impl OtpStore for SqliteStore {
    #[tracing::instrument(skip_all)]
    async fn issue_otp(
        &self,
        otp: &OtpCode,
        sms: Option<&NewOutboxMessage>,
        audit: AuditEvent,
    ) -> StoreResult<Option<i64>> {
        let (o, m) = (otp.clone(), sms.cloned());
        self.write(move |tx| {
            tx.execute(
                &format!(
                    "INSERT INTO otp_codes ({OTP_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                ),
                params![
                    o.id,
                    o.mobile.as_str(),
                    o.code_hash,
                    micros(o.created_at),
                    micros(o.expires_at),
                    o.attempts,
                    micros_opt(o.consumed_at)
                ],
            )
            .step("storing a one-time password")?;
            let outbox_id = match m {
                Some(m) => Some(
                    tx.query_row(
                        "INSERT INTO outbox (channel, recipient, body, created_at, redact_after) \
                         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                        params![
                            m.channel,
                            m.recipient,
                            m.body,
                            micros(m.created_at),
                            micros_opt(m.redact_after)
                        ],
                        |r| r.get(0),
                    )
                    .step("queueing an SMS")?,
                ),
                None => None,
            };
            append(tx, audit)?;
            Ok(outbox_id)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn otps_sent_since(
        &self,
        mobile: &Mobile,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<DateTime<Utc>>> {
        self.read_all(
            "listing sent codes",
            "SELECT created_at FROM otp_codes WHERE mobile = ?1 AND created_at >= ?2 \
             ORDER BY created_at DESC, rowid DESC",
            (mobile.to_string(), micros(since)),
            |r| time(r, 0),
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn latest_otp(&self, mobile: &Mobile) -> StoreResult<Option<OtpCode>> {
        self.read_optional(
            "looking up the latest code",
            format!(
                "SELECT {OTP_COLUMNS} FROM otp_codes WHERE mobile = ?1 \
                 ORDER BY created_at DESC, rowid DESC LIMIT 1"
            ),
            [mobile.to_string()],
            rows::otp,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn record_otp_attempt(&self, id: &str) -> StoreResult<i32> {
        let id = id.to_string();
        self.write(move |tx| {
            let attempts = tx
                .query_row(
                    "UPDATE otp_codes SET attempts = attempts + 1 WHERE id = ?1 RETURNING attempts",
                    [id],
                    |r| r.get(0),
                )
                .optional()
                .step("counting a try")?;
            found(attempts, "one-time password")
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn consume_otp(
        &self,
        id: &str,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let id = id.to_string();
        self.audited(audit, move |tx| {
            let mobile: Option<String> = tx
                .query_row(
                    "UPDATE otp_codes SET consumed_at = ?2 \
                     WHERE id = ?1 AND consumed_at IS NULL AND expires_at > ?2 RETURNING mobile",
                    params![id, micros(at)],
                    |r| r.get(0),
                )
                .optional()
                .step("using a one-time password")?;
            let Some(mobile) = mobile else {
                return Ok(false);
            };
            tx.execute(
                "UPDATE users SET mobile_verified_at = ?2 \
                 WHERE mobile = ?1 AND mobile_verified_at IS NULL",
                params![mobile, micros(at)],
            )
            .step("marking a mobile number verified")?;
            Ok(true)
        })
        .await
    }
}

#[async_trait]
impl OutboxStore for SqliteStore {
    #[tracing::instrument(skip_all)]
    async fn outbox_page(&self, after: Option<i64>, limit: u32) -> StoreResult<Vec<OutboxMessage>> {
        self.read_all(
            "reading the outbox",
            format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id > ?1 ORDER BY id LIMIT ?2"),
            (after.unwrap_or(0), limit),
            rows::outbox_message,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn mark_outbox_sent(
        &self,
        id: i64,
        provider: &str,
        provider_ref: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let changed = self
            .execute(
                "recording a delivery",
                "UPDATE outbox SET status = 'sent', attempts = attempts + 1, provider = ?2, \
                 provider_ref = ?3, sent_at = ?4, last_attempt_at = ?4, \
                 body = CASE WHEN redact_after IS NULL THEN body ELSE ?5 END WHERE id = ?1",
                (
                    id,
                    provider.to_string(),
                    provider_ref.to_string(),
                    micros(at),
                    REDACTED_BODY,
                ),
            )
            .await?;
        found((changed == 1).then_some(()), "outbox message")
    }

    #[tracing::instrument(skip_all)]
    async fn mark_outbox_failed(&self, id: i64, error: &str, at: DateTime<Utc>) -> StoreResult<()> {
        let changed = self
            .execute(
                "recording a failed delivery",
                "UPDATE outbox SET status = 'failed', attempts = attempts + 1, \
                 last_error = ?2, last_attempt_at = ?3 WHERE id = ?1",
                (id, error.to_string(), micros(at)),
            )
            .await?;
        found((changed == 1).then_some(()), "outbox message")
    }

    #[tracing::instrument(skip_all)]
    async fn queued_outbox(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<OutboxMessage>> {
        // `queued` is never tried: a delivery attempt leaves it `sent` or `failed`.
        self.read_all(
            "reading the queued outbox",
            format!(
                "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE status = 'queued' \
                 AND (redact_after IS NULL OR redact_after > ?1) ORDER BY id LIMIT ?2"
            ),
            (micros(now), limit),
            rows::outbox_message,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn redact_outbox(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        let n = self
            .execute(
                "redacting spent secrets in the outbox",
                "UPDATE outbox SET body = ?2 \
                 WHERE redact_after IS NOT NULL AND redact_after <= ?1 AND body <> ?2",
                (micros(now), REDACTED_BODY),
            )
            .await?;
        Ok(n as u64)
    }
}
