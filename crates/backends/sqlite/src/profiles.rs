//! Profiles ([`ProfileStore`]) and KYC records ([`KycStore`]).

use async_trait::async_trait;
use msme_core::audit::AuditEvent;
use msme_core::kyc::{Kyc, KycStatus};
use msme_core::ports::{KycStore, ProfileStore, StoreResult};
use msme_core::profile::Profile;
use msme_core::types::UserId;
use rusqlite::named_params;

use crate::error::Step;
use crate::market_rows::{self, KYC_COLUMNS};
use crate::rows::{micros, micros_opt, time};
use crate::SqliteStore;

#[async_trait]
impl ProfileStore for SqliteStore {
    #[tracing::instrument(skip_all)]
    async fn put_profile(&self, profile: &Profile, audit: AuditEvent) -> StoreResult<()> {
        let row = (
            profile.user_id.to_string(),
            profile.to_document(),
            micros(profile.updated_at),
        );
        self.audited_execute(
            "storing a profile",
            "INSERT INTO profiles (user_id, document, updated_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (user_id) DO UPDATE SET document = excluded.document, \
             updated_at = excluded.updated_at",
            row,
            audit,
        )
        .await
        .map(drop)
    }

    #[tracing::instrument(skip_all)]
    async fn profile_of(&self, user: &UserId) -> StoreResult<Option<Profile>> {
        let row = self
            .read_optional(
                "reading a profile",
                "SELECT document, updated_at FROM profiles WHERE user_id = ?1",
                [user.to_string()],
                |r| Ok((r.get::<_, String>(0)?, time(r, 1)?)),
            )
            .await?;
        row.map(|(doc, at)| Profile::from_document(user.clone(), &doc, at))
            .transpose()
    }
}

/// Writes `k` over a record whose status is `expected`; false when there is none such.
fn write_kyc(
    tx: &rusqlite::Transaction<'_>,
    k: &Kyc,
    expected: Option<KycStatus>,
) -> rusqlite::Result<bool> {
    let values = named_params! {
        ":user_id": k.user_id.as_str(),
        ":pan": k.pan.as_str(),
        ":gstin": k.gstin.as_ref().map(|g| g.as_str()),
        ":udyam": k.udyam.as_ref().map(|u| u.as_str()),
        ":aadhaar": k.aadhaar_last4.as_ref().map(|a| a.as_str()),
        ":status": k.status.as_str(),
        ":reason": k.rejection_reason,
        ":submitted_at": micros(k.submitted_at),
        ":decided_at": micros_opt(k.decided_at),
        ":decided_by": k.decided_by,
        ":expected": expected.map(KycStatus::as_str),
    };
    // Both statements take every parameter: rusqlite refuses a named parameter a statement
    // lacks, so the insert names `:expected` too (it is always NULL there).
    let sql = match expected {
        None => {
            "INSERT INTO kyc (user_id, pan, gstin, udyam, aadhaar_last4, status, \
             rejection_reason, submitted_at, decided_at, decided_by) \
             SELECT :user_id, :pan, :gstin, :udyam, :aadhaar, :status, :reason, \
             :submitted_at, :decided_at, :decided_by WHERE :expected IS NULL \
             ON CONFLICT (user_id) DO NOTHING"
        }
        Some(_) => {
            "UPDATE kyc SET pan = :pan, gstin = :gstin, udyam = :udyam, \
             aadhaar_last4 = :aadhaar, status = :status, rejection_reason = :reason, \
             submitted_at = :submitted_at, decided_at = :decided_at, decided_by = :decided_by \
             WHERE user_id = :user_id AND status = :expected"
        }
    };
    Ok(tx.prepare_cached(sql)?.execute(values)? == 1)
}

#[async_trait]
impl KycStore for SqliteStore {
    #[tracing::instrument(skip_all)]
    async fn put_kyc(
        &self,
        kyc: &Kyc,
        expected: Option<KycStatus>,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let k = kyc.clone();
        self.audited(audit, move |tx| {
            write_kyc(tx, &k, expected).step("storing a KYC record")
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn kyc_of(&self, user: &UserId) -> StoreResult<Option<Kyc>> {
        self.read_optional(
            "reading a KYC record",
            format!("SELECT {KYC_COLUMNS} FROM kyc WHERE user_id = ?1"),
            [user.to_string()],
            market_rows::kyc,
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn list_kyc(
        &self,
        status: Option<KycStatus>,
        after: Option<&UserId>,
        limit: u32,
    ) -> StoreResult<Vec<Kyc>> {
        let status = status.map(KycStatus::as_str);
        // Two statements rather than `?1 IS NULL OR status = ?1`, so the status index serves.
        let filter = if status.is_some() {
            "status = ?1"
        } else {
            "?1 IS NULL"
        };
        self.read_all(
            "listing KYC records",
            format!(
                "SELECT {KYC_COLUMNS} FROM kyc WHERE {filter} \
                 AND (?2 IS NULL OR user_id > ?2) ORDER BY user_id LIMIT ?3"
            ),
            (status, after.map(UserId::to_string), limit),
            market_rows::kyc,
        )
        .await
    }
}
