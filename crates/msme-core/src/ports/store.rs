//! [`Store`]: everything the platform stores, the store traits of every context joined.
//!
//! Every method that changes state takes the [`AuditEvent`](crate::audit::AuditEvent)
//! describing the change and commits both in one transaction: either the change and its audit
//! entry exist, or neither does.

use async_trait::async_trait;

use crate::auth::{AccountsPorts, OtpStore, OutboxStore, SessionStore, UserStore};
use crate::error::StoreResult;
use crate::escrow_service::MoneyPorts;
use crate::ledger::LedgerStore;
use crate::marketplace::{DocumentStore, KycStore, ListingStore, MarketplacePorts, ProfileStore};
use crate::model::{ComparableStore, ModelPorts, ModelStore};
use crate::runtime::EventLog;
use crate::search::{BuyerStore, MatchStore, SearchPorts};
use crate::valuation::{ValuationPorts, ValuationStore};

#[async_trait]
pub trait StoreMeta: Send + Sync {
    /// `sqlite` or `postgres`.
    fn backend_name(&self) -> &'static str;
    /// A cheap round trip to the database.
    async fn health(&self) -> StoreResult<()>;
    /// The schema version the database is at.
    async fn schema_version(&self) -> StoreResult<i64>;
}

/// Everything the platform stores.
pub trait Store:
    UserStore
    + SessionStore
    + OtpStore
    + OutboxStore
    + EventLog
    + AccountsPorts
    + MoneyPorts
    + ModelPorts
    + ValuationPorts
    + SearchPorts
    + MarketplacePorts
    + StoreMeta
    + ProfileStore
    + KycStore
    + DocumentStore
    + ListingStore
    + LedgerStore
    + ValuationStore
    + ComparableStore
    + ModelStore
    + BuyerStore
    + MatchStore
{
}

impl<T> Store for T where
    T: UserStore
        + SessionStore
        + OtpStore
        + OutboxStore
        + EventLog
        + AccountsPorts
        + MoneyPorts
        + ModelPorts
        + ValuationPorts
        + SearchPorts
        + MarketplacePorts
        + StoreMeta
        + ProfileStore
        + KycStore
        + DocumentStore
        + ListingStore
        + LedgerStore
        + ValuationStore
        + ComparableStore
        + ModelStore
        + BuyerStore
        + MatchStore
{
}
