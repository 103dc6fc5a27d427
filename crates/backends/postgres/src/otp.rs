//! One-time passwords: [`OtpStore`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::error::StoreError;
use msme_core::ports::{NewOutboxMessage, OtpCode, OtpStore, StoreResult};
use msme_core::types::Mobile;
use sqlx::postgres::PgRow;

use crate::audit::append;
use crate::error::{found, store_error};
use crate::outbox::enqueue;
use crate::rows::col;
use crate::PgStore;

fn otp_from_row(row: &PgRow) -> Result<OtpCode, StoreError> {
    Ok(OtpCode {
        id: col(row, "id")?,
        mobile: Mobile::from_trusted(col(row, "mobile")?),
        code_hash: col(row, "code_hash")?,
        created_at: col(row, "created_at")?,
        expires_at: col(row, "expires_at")?,
        attempts: col(row, "attempts")?,
        consumed_at: col(row, "consumed_at")?,
    })
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
        .execute(&mut *tx)
        .await
        .map_err(store_error)?;
        let outbox_id = match sms {
            Some(sms) => Some(enqueue(&mut tx, sms).await?),
            None => None,
        };
        append(&mut tx, audit).await?;
        tx.commit().await.map_err(store_error)?;
        Ok(outbox_id)
    }

    #[tracing::instrument(skip_all)]
    async fn otps_sent_since(
        &self,
        mobile: &Mobile,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<DateTime<Utc>>> {
        let rows = sqlx::query(
            "SELECT created_at FROM otp_codes WHERE mobile = $1 AND created_at >= $2
             ORDER BY created_at DESC, id DESC",
        )
        .bind(mobile.as_str())
        .bind(since)
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        rows.iter().map(|r| col(r, "created_at")).collect()
    }

    #[tracing::instrument(skip_all)]
    async fn latest_otp(&self, mobile: &Mobile) -> StoreResult<Option<OtpCode>> {
        let row = sqlx::query(
            "SELECT id, mobile, code_hash, created_at, expires_at, attempts, consumed_at
             FROM otp_codes WHERE mobile = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
        )
        .bind(mobile.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        row.as_ref().map(otp_from_row).transpose()
    }

    #[tracing::instrument(skip_all)]
    async fn record_otp_attempt(&self, id: &str) -> StoreResult<i32> {
        let row = sqlx::query(
            "UPDATE otp_codes SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        col(&found(row, "one-time password")?, "attempts")
    }

    #[tracing::instrument(skip_all)]
    async fn consume_otp(
        &self,
        id: &str,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let consumed = sqlx::query(
            "UPDATE otp_codes SET consumed_at = $2
             WHERE id = $1 AND consumed_at IS NULL AND expires_at > $2 RETURNING mobile",
        )
        .bind(id)
        .bind(at)
        .fetch_optional(&mut *tx)
        .await
        .map_err(store_error)?;
        let Some(row) = consumed else {
            return Ok(false);
        };
        let mobile: String = col(&row, "mobile")?;
        sqlx::query(
            "UPDATE users SET mobile_verified_at = $2 WHERE mobile = $1 AND mobile_verified_at IS NULL",
        )
        .bind(mobile)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(store_error)?;
        append(&mut tx, audit).await?;
        tx.commit().await.map_err(store_error)?;
        Ok(true)
    }
}
