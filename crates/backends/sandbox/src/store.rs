//! Where the sandbox keeps its books: in the platform's own database (msme-sqlite and
//! msme-postgres implement [`SandboxStore`]), so that sandbox deals survive restarts.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::error::StoreResult;
use msme_core::money::Paise;

/// One object the sandbox gateway keeps: an order, a payment or a payout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SandboxRecord {
    /// `order`, `payment` or `payout`.
    pub kind: String,
    pub id: String,
    /// Unique per kind: a second create under one key finds the first.
    pub idempotency_key: String,
    pub amount: Paise,
    pub status: String,
    /// What it belongs to: a payment's order, a payout's reference and payee.
    pub reference: String,
    /// When it may move on by itself (a late payout settles then).
    pub ready_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Storage for the sandbox gateway, in the platform's own database so that sandbox deals
/// survive restarts. Sandbox rows are the pretend bank's books, not the platform's: they carry
/// no audit entries (the platform's side of every movement is audited by the ledger).
#[async_trait]
pub trait SandboxStore: Send + Sync {
    /// Stores `record` unless its kind already has its key; returns the stored record and
    /// whether this call created it.
    async fn sandbox_insert(&self, record: &SandboxRecord) -> StoreResult<(SandboxRecord, bool)>;
    async fn sandbox_get(&self, kind: &str, id: &str) -> StoreResult<Option<SandboxRecord>>;
    /// Moves a record to `status`; false when there is no such record.
    async fn sandbox_set_status(
        &self,
        kind: &str,
        id: &str,
        status: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
}
