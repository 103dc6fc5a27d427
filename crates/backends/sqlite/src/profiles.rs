//! Profiles ([`ProfileStore`]) and KYC records ([`KycStore`]).

use async_trait::async_trait;
use msme_core::audit::AuditEvent;
use msme_core::kyc::{Kyc, KycStatus};
use msme_core::ports::{KycStore, ProfileStore, StoreResult};
use msme_core::profile::Profile;
use msme_core::types::UserId;
use rusqlite::{named_params, params, OptionalExtension};

use crate::audit::append;
use crate::error::Step;
use crate::market_rows::{self, KYC_COLUMNS};
use crate::rows::{micros, micros_opt, time};
use crate::SqliteStore;

#[async_trait]
impl ProfileStore for SqliteStore {
    #[tracing::instrument(skip_all)]
    async fn put_profile(&self, profile: &Profile, audit: AuditEvent) -> StoreResult<()> {
        let (user, doc, at) = (
            profile.user_id.to_string(),
            profile.to_document(),
            micros(profile.updated_at),
        );
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO profiles (user_id, document, updated_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (user_id) DO UPDATE SET document = excluded.document, \
                 updated_at = excluded.updated_at",
                params![user, doc, at],
            )
            .step("storing a profile")?;
            append(tx, audit).map(drop)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn profile_of(&self, user: &UserId) -> StoreResult<Option<Profile>> {
        let id = user.clone();
        let row = self
            .read("reading a profile", {
                let id = id.to_string();
                move |c| {
                    c.prepare_cached(
                        "SELECT document, updated_at FROM profiles WHERE user_id = ?1",
                    )?
                    .query_row([id], |r| Ok((r.get::<_, String>(0)?, time(r, 1)?)))
                    .optional()
                }
            })
            .await?;
        row.map(|(doc, at)| Profile::from_document(id, &doc, at))
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
        self.write(move |tx| {
            if !write_kyc(tx, &k, expected).step("storing a KYC record")? {
                return Ok(false);
            }
            append(tx, audit).map(|_| true)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn kyc_of(&self, user: &UserId) -> StoreResult<Option<Kyc>> {
        let id = user.to_string();
        self.read("reading a KYC record", move |c| {
            let sql = format!("SELECT {KYC_COLUMNS} FROM kyc WHERE user_id = ?1");
            c.prepare_cached(&sql)?
                .query_row([id], market_rows::kyc)
                .optional()
        })
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
        let after = after.map(UserId::to_string);
        self.read("listing KYC records", move |c| {
            // Two statements rather than `?1 IS NULL OR status = ?1`, so the status index serves.
            let filter = if status.is_some() {
                "status = ?1"
            } else {
                "?1 IS NULL"
            };
            let sql = format!(
                "SELECT {KYC_COLUMNS} FROM kyc WHERE {filter} \
                 AND (?2 IS NULL OR user_id > ?2) ORDER BY user_id LIMIT ?3"
            );
            let mut st = c.prepare_cached(&sql)?;
            let rows = st.query_map(params![status, after, limit], market_rows::kyc)?;
            rows.collect()
        })
        .await
    }
}
