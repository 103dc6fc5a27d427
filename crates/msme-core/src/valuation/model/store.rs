//! Storage of the trained models' data: comparable deals, and the model registry with its
//! training jobs.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::audit::AuditEvent;
use crate::error::StoreResult;
use crate::model::{
    ComparableDeal, ComparableId, ComparableSource, ModelJob, ModelJobId, ModelVersion,
    ModelVersionId,
};

#[async_trait]
pub trait ComparableStore: Send + Sync {
    /// Adds deals in one transaction with the audit entry; a deal whose source and source
    /// reference are already kept is left out. Returns how many were added.
    async fn add_comparables(
        &self,
        deals: &[ComparableDeal],
        audit: AuditEvent,
    ) -> StoreResult<usize>;
    /// Deals in id order, after `after`.
    async fn comparables_page(
        &self,
        after: Option<&ComparableId>,
        limit: u32,
    ) -> StoreResult<Vec<ComparableDeal>>;
    async fn comparable_count(&self) -> StoreResult<u64>;
    async fn has_comparable(&self, source: ComparableSource, source_ref: &str)
        -> StoreResult<bool>;
}

#[async_trait]
pub trait ModelStore: Send + Sync {
    /// Keeps versions with their model files in one transaction, and makes `activate` (one of
    /// them) the only active version.
    async fn save_model_versions(
        &self,
        versions: &[(ModelVersion, Vec<u8>)],
        activate: Option<&ModelVersionId>,
        audit: AuditEvent,
    ) -> StoreResult<()>;
    /// Every version, newest first (without files).
    async fn model_versions(&self) -> StoreResult<Vec<ModelVersion>>;
    async fn model_version_by_id(&self, id: &ModelVersionId) -> StoreResult<Option<ModelVersion>>;
    async fn active_model_version(&self) -> StoreResult<Option<ModelVersion>>;
    /// A version's model file.
    async fn model_artifact(&self, id: &ModelVersionId) -> StoreResult<Option<Vec<u8>>>;
    /// Makes `id` the only active version; false (nothing changed) when there is no such
    /// version.
    async fn activate_model_version(
        &self,
        id: &ModelVersionId,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<bool>;
    /// Creates or updates a job. Progress updates carry no audit entry (they change nothing a
    /// reader of the trail cares about); the request and the outcome do.
    async fn save_model_job(&self, job: &ModelJob, audit: Option<AuditEvent>) -> StoreResult<()>;
    async fn model_job_by_id(&self, id: &ModelJobId) -> StoreResult<Option<ModelJob>>;
}

port_bundle!(
    /// The ports the models context is built with: comparable deals, the registry and jobs, and
    /// the listings and escrows a sale is read from.
    pub trait ModelPorts: ComparableStore, ModelStore, crate::marketplace::ListingStore, crate::ledger::LedgerStore);
