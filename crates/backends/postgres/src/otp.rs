//! One-time passwords: [`OtpStore`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::error::StoreError;
use msme_core::ports::{NewOutboxMessage, OtpCode, OtpStore, StoreResult};
use msme_core::types::Mobile;
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use crate::audit::commit_audited;
use crate::error::found;
use crate::outbox::enqueue;
use crate::rows::from_columns;
use crate::rows::{col, Fetch};
use crate::PgStore;

fn otp_from_row(row: &PgRow) -> Result<OtpCode, StoreError> {
    Ok(from_columns!(row => OtpCode {
        id, code_hash, created_at, expires_at, attempts, consumed_at;
        mobile: Mobile::from_trusted(col(row, "mobile")?),
    }))
}

#[async_trait]
impl OtpStore for PgStore {
    #[tracing::instrument(skip_all)]
    async fn issue_otp(
        &self,
        otp: &OtpCode,
        sms: Option<&NewOutboxMessage>,
        audit: AuditEvent,
    ) -> StoreResult<Option<i64>> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO otp_codes (id, mobile, code_hash, created_at, expires_at, attempts,
                                    consumed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&otp.id)
        .bind(otp.mobile.as_str())
        .bind(&otp.code_hash)
        .bind(otp.created_at)
        .bind(otp.expires_at)
        .bind(otp.attempts)
        .bind(otp.consumed_at)
        .run(&mut *tx)
        .await?;
        let outbox_id = match sms {
            Some(sms) => Some(enqueue(&mut tx, sms).await?),
            None => None,
        };
        commit_audited(tx, audit).await?;
        Ok(outbox_id)
    }

    #[tracing::instrument(skip_all)]
    async fn otps_sent_since(
        &self,
        mobile: &Mobile,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<DateTime<Utc>>> {
        sqlx::query(
            "SELECT created_at FROM otp_codes WHERE mobile = $1 AND created_at >= $2
             ORDER BY created_at DESC, id DESC",
        )
        .bind(mobile.as_str())
        .bind(since)
        .fetch_all_as(&self.pool, |r| col(r, "created_at"))
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn latest_otp(&self, mobile: &Mobile) -> StoreResult<Option<OtpCode>> {
        self.find(
            "SELECT id, mobile, code_hash, created_at, expires_at, attempts, consumed_at
             FROM otp_codes WHERE mobile = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
            mobile.as_str(),
            otp_from_row,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn record_otp_attempt(&self, id: &str) -> StoreResult<i32> {
        let attempts = sqlx::query(
            "UPDATE otp_codes SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts",
        )
        .bind(id)
        .fetch_optional_as(&self.pool, |r| col(r, "attempts"))
        .await?;
        found(attempts, "one-time password")
    }

    #[tracing::instrument(skip_all)]
    async fn consume_otp(
        &self,
        id: &str,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let consumed = async |tx: &mut PgConnection| {
            let mobile: Option<String> = sqlx::query(
                "UPDATE otp_codes SET consumed_at = $2
                 WHERE id = $1 AND consumed_at IS NULL AND expires_at > $2 RETURNING mobile",
            )
            .bind(id)
            .bind(at)
            .fetch_optional_as(&mut *tx, |r| col(r, "mobile"))
            .await?;
            let Some(mobile) = mobile else {
                return Ok(false);
            };
            sqlx::query(
                "UPDATE users SET mobile_verified_at = $2
                 WHERE mobile = $1 AND mobile_verified_at IS NULL",
            )
            .bind(mobile)
            .bind(at)
            .run(&mut *tx)
            .await?;
            Ok(true)
        };
        self.audited(audit, consumed).await
    }
}
