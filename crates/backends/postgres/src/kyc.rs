//! KYC records: [`KycStore`]. Writes are guarded by the status the caller last read.

use async_trait::async_trait;
use msme_core::audit::AuditEvent;
use msme_core::error::StoreError;
use msme_core::identity::{AadhaarLast4, Gstin, Pan, Udyam};
use msme_core::kyc::{Kyc, KycStatus};
use msme_core::ports::{KycStore, StoreResult};
use msme_core::types::UserId;
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use crate::error::corrupt;
use crate::rows::from_columns;
use crate::rows::{col, limit, Fetch, PgQuery};
use crate::PgStore;

/// `SELECT <every kyc column> FROM kyc <tail>`, as one `&'static str`.
macro_rules! select_kyc {
    ($tail:literal) => {
        concat!(
            "SELECT user_id, pan, gstin, udyam, aadhaar_last4, status, rejection_reason,
                    submitted_at, decided_at, decided_by
             FROM kyc ",
            $tail
        )
    };
}

/// Re-parses a stored identifier; one that no longer parses is corruption.
fn stored<T>(
    row: &PgRow,
    name: &str,
    parse: fn(&str) -> Result<T, msme_core::error::ValidationError>,
) -> Result<Option<T>, StoreError> {
    let raw: Option<String> = col(row, name)?;
    raw.map(|v| parse(&v).map_err(|_| corrupt(name, &v)))
        .transpose()
}

fn kyc_from_row(row: &PgRow) -> Result<Kyc, StoreError> {
    let status: String = col(row, "status")?;
    Ok(from_columns!(row => Kyc {
        rejection_reason, submitted_at, decided_at, decided_by;
        user_id: UserId::from_trusted(col(row, "user_id")?),
        pan: stored(row, "pan", Pan::parse)?.ok_or_else(|| corrupt("pan", ""))?,
        gstin: stored(row, "gstin", Gstin::parse)?,
        udyam: stored(row, "udyam", Udyam::parse)?,
        aadhaar_last4: stored(row, "aadhaar_last4", AadhaarLast4::parse)?,
        status: KycStatus::parse(&status).map_err(|_| corrupt("KYC status", &status))?,
    }))
}

/// Binds the record's columns as `$1` (user id) to `$10`, in `select_kyc!` order.
fn bind_kyc<'q>(sql: &'static str, k: &'q Kyc) -> PgQuery<'q> {
    sqlx::query(sql)
        .bind(k.user_id.as_str())
        .bind(k.pan.as_str())
        .bind(k.gstin.as_ref().map(Gstin::as_str))
        .bind(k.udyam.as_ref().map(Udyam::as_str))
        .bind(k.aadhaar_last4.as_ref().map(AadhaarLast4::as_str))
        .bind(k.status.as_str())
        .bind(&k.rejection_reason)
        .bind(k.submitted_at)
        .bind(k.decided_at)
        .bind(&k.decided_by)
}

/// Writes the record if the stored status is `expected`; false (nothing written) otherwise.
async fn write_guarded(
    conn: &mut PgConnection,
    k: &Kyc,
    expected: Option<KycStatus>,
) -> StoreResult<bool> {
    let written = match expected {
        // Of two concurrent first submissions, the second waits for the first to commit and
        // then inserts nothing.
        None => bind_kyc(
            "INSERT INTO kyc (user_id, pan, gstin, udyam, aadhaar_last4, status,
                 rejection_reason, submitted_at, decided_at, decided_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (user_id) DO NOTHING",
            k,
        ),
        // The row lock makes a concurrent writer re-check the status after we commit.
        Some(status) => bind_kyc(
            "UPDATE kyc SET pan = $2, gstin = $3, udyam = $4, aadhaar_last4 = $5, status = $6,
                 rejection_reason = $7, submitted_at = $8, decided_at = $9, decided_by = $10
             WHERE user_id = $1 AND status = $11",
            k,
        )
        .bind(status.as_str()),
    }
    .run(conn)
    .await?;
    Ok(written == 1)
}

#[async_trait]
impl KycStore for PgStore {
    #[tracing::instrument(skip_all)]
    async fn put_kyc(
        &self,
        kyc: &Kyc,
        expected: Option<KycStatus>,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let written = async |tx: &mut PgConnection| write_guarded(tx, kyc, expected).await;
        self.audited(audit, written).await
    }

    #[tracing::instrument(skip_all)]
    async fn kyc_of(&self, user: &UserId) -> StoreResult<Option<Kyc>> {
        self.find(
            select_kyc!("WHERE user_id = $1"),
            user.as_str(),
            kyc_from_row,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn list_kyc(
        &self,
        status: Option<KycStatus>,
        after: Option<&UserId>,
        max: u32,
    ) -> StoreResult<Vec<Kyc>> {
        sqlx::query(select_kyc!(
            "WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR user_id > $2)
             ORDER BY user_id LIMIT $3"
        ))
        .bind(status.map(KycStatus::as_str))
        .bind(after.map(UserId::as_str))
        .bind(limit(max))
        .fetch_all_as(&self.pool, kyc_from_row)
        .await
    }
}
