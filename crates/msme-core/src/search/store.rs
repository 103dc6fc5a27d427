//! Storage ports of matching: what buyers keep ([`BuyerStore`]: preferences, saved searches,
//! agent grants) and what matching keeps ([`MatchStore`]: interactions, saved matches,
//! ranking models).

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::audit::AuditEvent;
use crate::error::StoreResult;
use crate::listing::ListingId;
use crate::matching::{
    BuyerPreferences, Interaction, InteractionId, RankingModel, SavedMatch, SavedSearch,
    SavedSearchId, StoredPreferences,
};
use crate::money::Paise;
use crate::types::UserId;

#[async_trait]
pub trait BuyerStore: Send + Sync {
    /// Creates or replaces a buyer's preferences.
    async fn put_buyer_preferences(
        &self,
        buyer: &UserId,
        preferences: &BuyerPreferences,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<()>;
    async fn buyer_preferences(&self, buyer: &UserId) -> StoreResult<Option<StoredPreferences>>;
    /// Every buyer's preferences in buyer-id order, after `after` when given.
    async fn list_buyer_preferences(
        &self,
        after: Option<&UserId>,
        limit: u32,
    ) -> StoreResult<Vec<StoredPreferences>>;

    async fn create_saved_search(&self, search: &SavedSearch, audit: AuditEvent)
        -> StoreResult<()>;
    async fn saved_search_by_id(&self, id: &SavedSearchId) -> StoreResult<Option<SavedSearch>>;
    /// An owner's saved searches, oldest first (then id).
    async fn saved_searches_of(&self, owner: &UserId) -> StoreResult<Vec<SavedSearch>>;
    /// Replaces name, query, filters, sort and `updated_at`; false when it does not exist.
    async fn update_saved_search(
        &self,
        search: &SavedSearch,
        audit: AuditEvent,
    ) -> StoreResult<bool>;
    /// False when it did not exist.
    async fn delete_saved_search(&self, id: &SavedSearchId, audit: AuditEvent)
        -> StoreResult<bool>;

    /// Lets an agent see a buyer's matches. False when already granted.
    async fn grant_agent(
        &self,
        buyer: &UserId,
        agent: &UserId,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<bool>;
    /// False when there was no grant.
    async fn revoke_agent(
        &self,
        buyer: &UserId,
        agent: &UserId,
        audit: AuditEvent,
    ) -> StoreResult<bool>;
    /// Agents a buyer has granted, oldest grant first (then agent id).
    async fn agents_of(&self, buyer: &UserId) -> StoreResult<Vec<(UserId, DateTime<Utc>)>>;
}

#[async_trait]
pub trait MatchStore: Send + Sync {
    /// Records an interaction with its audit entry; false (nothing written) when one with its
    /// id is already recorded, so a replayed reaction records once.
    async fn record_interaction(
        &self,
        interaction: &Interaction,
        audit: AuditEvent,
    ) -> StoreResult<bool>;
    /// Records buyers' views in one transaction, without audit entries (views are signals for
    /// the ranker, not changes of state); views already recorded (by id) are skipped. Answers
    /// how many were written.
    async fn record_views(&self, views: &[Interaction]) -> StoreResult<u64>;
    /// Interactions in id (time) order, after `after` when given.
    async fn interactions_page(
        &self,
        after: Option<&InteractionId>,
        limit: u32,
    ) -> StoreResult<Vec<Interaction>>;

    /// Replaces a buyer's saved matches (best first). Saved matches are derived from listings
    /// and preferences, as a search index is, so this writes no audit entry.
    async fn replace_saved_matches(
        &self,
        buyer: &UserId,
        matches: &[SavedMatch],
    ) -> StoreResult<()>;
    /// A buyer's saved matches, best first.
    async fn saved_matches(&self, buyer: &UserId) -> StoreResult<Vec<SavedMatch>>;

    async fn save_ranking_model(&self, model: &RankingModel, audit: AuditEvent) -> StoreResult<()>;
    /// The most recently trained model that was adopted, if any.
    async fn adopted_ranking_model(&self) -> StoreResult<Option<RankingModel>>;

    /// The value of the newest valuation of each listing that has one (`value_paise` of the
    /// kept report), in listing-id order.
    async fn latest_valuations(
        &self,
        listings: &[ListingId],
    ) -> StoreResult<Vec<(ListingId, Paise)>>;
}

port_bundle!(
    /// The ports the search and matching context is built with: buyers' stores, interactions and
    /// matches, and the listings, accounts, KYC and audit log (the catalog's change feed) they
    /// read.
    pub trait SearchPorts:
    BuyerStore,
    MatchStore,
    crate::marketplace::ListingStore,
    crate::auth::UserStore,
    crate::marketplace::KycStore,
    crate::audit::AuditStore,
);
