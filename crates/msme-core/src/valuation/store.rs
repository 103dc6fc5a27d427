//! The valuation context's storage port, and the bundle the context is built with.

use async_trait::async_trait;

use crate::audit::AuditEvent;
use crate::error::StoreResult;
use crate::listing::ListingId;
use crate::marketplace::{DocumentStore, KycStore, ListingStore};
use crate::types::ValuationId;
use crate::valuation::Valuation;

#[async_trait]
pub trait ValuationStore: Send + Sync {
    /// Stores a new valuation (its report as one JSON document).
    async fn save_valuation(&self, valuation: &Valuation, audit: AuditEvent) -> StoreResult<()>;
    async fn valuation_by_id(&self, id: &ValuationId) -> StoreResult<Option<Valuation>>;
    /// Valuations of one listing, newest first (`created_at`, then id, descending).
    async fn valuations_of_listing(&self, listing: &ListingId) -> StoreResult<Vec<Valuation>>;
}

port_bundle!(
    /// The ports the valuation context is built with: valuations, and the listings, documents and
    /// sellers' KYC a valuation's diligence reads.
    pub trait ValuationPorts: ValuationStore, ListingStore, DocumentStore, KycStore);
