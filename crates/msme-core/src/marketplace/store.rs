//! The marketplace's storage ports: profiles, KYC, documents and listings.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::audit::AuditEvent;
use crate::documents::{Document, DocumentId};
use crate::error::StoreResult;
use crate::kyc::{Kyc, KycStatus};
use crate::listing::{Listing, ListingAsset, ListingId, ListingQuery};
use crate::profile::Profile;
use crate::types::UserId;

#[async_trait]
pub trait ProfileStore: Send + Sync {
    /// Creates or replaces an account's profile.
    async fn put_profile(&self, profile: &Profile, audit: AuditEvent) -> StoreResult<()>;
    async fn profile_of(&self, user: &UserId) -> StoreResult<Option<Profile>>;
}

#[async_trait]
pub trait KycStore: Send + Sync {
    /// Writes the record only if its stored status is still `expected` (`None`: no record yet).
    /// Returns false when someone else changed it first.
    async fn put_kyc(
        &self,
        kyc: &Kyc,
        expected: Option<KycStatus>,
        audit: AuditEvent,
    ) -> StoreResult<bool>;
    async fn kyc_of(&self, user: &UserId) -> StoreResult<Option<Kyc>>;
    /// Records in user-id order, optionally only those with one status.
    async fn list_kyc(
        &self,
        status: Option<KycStatus>,
        after: Option<&UserId>,
        limit: u32,
    ) -> StoreResult<Vec<Kyc>>;
}

#[async_trait]
pub trait DocumentStore: Send + Sync {
    async fn insert_document(&self, doc: &Document, audit: AuditEvent) -> StoreResult<()>;
    async fn document_by_id(&self, id: &DocumentId) -> StoreResult<Option<Document>>;
    /// An owner's documents, optionally only those attached to one listing; oldest first.
    async fn documents_of(
        &self,
        owner: &UserId,
        listing: Option<&ListingId>,
    ) -> StoreResult<Vec<Document>>;
    /// Documents attached to a listing, whoever uploaded them; oldest first.
    async fn documents_of_listing(&self, listing: &ListingId) -> StoreResult<Vec<Document>>;
    /// False when it did not exist.
    async fn delete_document(&self, id: &DocumentId, audit: AuditEvent) -> StoreResult<bool>;
}

#[async_trait]
pub trait ListingStore: Send + Sync {
    /// Stores a new listing with its financials: a batch of one.
    async fn create_listing(&self, listing: &Listing, audit: AuditEvent) -> StoreResult<()> {
        self.create_listings(std::slice::from_ref(listing), vec![audit])
            .await
    }
    /// Stores many new listings in one transaction: all or none (bulk import).
    async fn create_listings(
        &self,
        listings: &[Listing],
        audits: Vec<AuditEvent>,
    ) -> StoreResult<()>;
    async fn listing_by_id(&self, id: &ListingId) -> StoreResult<Option<Listing>>;
    /// Replaces content, financials, status and review fields, only if the stored version is
    /// `listing.version - 1` (optimistic concurrency). False when it changed in between.
    async fn update_listing(&self, listing: &Listing, audit: AuditEvent) -> StoreResult<bool>;
    /// Listings matching the query, in its sort order, after its cursor.
    async fn query_listings(&self, query: &ListingQuery) -> StoreResult<Vec<Listing>>;
    async fn put_asset(&self, asset: &ListingAsset, audit: AuditEvent) -> StoreResult<()>;
    async fn assets_of(&self, listing: &ListingId) -> StoreResult<Vec<ListingAsset>>;
    /// False when no such asset is on that listing.
    async fn delete_asset(
        &self,
        listing: &ListingId,
        asset_id: &str,
        audit: AuditEvent,
    ) -> StoreResult<bool>;
    /// Lets a buyer see the full listing. False when already granted.
    async fn grant_access(
        &self,
        listing: &ListingId,
        buyer: &UserId,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<bool>;
    /// False when there was no grant.
    async fn revoke_access(
        &self,
        listing: &ListingId,
        buyer: &UserId,
        audit: AuditEvent,
    ) -> StoreResult<bool>;
    async fn has_access(&self, listing: &ListingId, buyer: &UserId) -> StoreResult<bool>;
    /// Buyers granted access, oldest grant first.
    async fn access_grants(&self, listing: &ListingId)
        -> StoreResult<Vec<(UserId, DateTime<Utc>)>>;
}

port_bundle!(
    /// The ports the marketplace's services (profiles, KYC, documents, listings) are built with:
    /// its own stores and the accounts they check against. Part of every `ports::Store`.
    pub trait MarketplacePorts: ProfileStore, KycStore, DocumentStore, ListingStore, crate::auth::UserStore);
