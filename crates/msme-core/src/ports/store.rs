//! [`Store`]: everything the platform stores, the store traits of every context joined.
//!
//! Every method that changes state takes the [`AuditEvent`](crate::audit::AuditEvent)
//! describing the change and commits both in one transaction: either the change and its audit
//! entry exist, or neither does.

use async_trait::async_trait;

use crate::auth::AccountsPorts;
use crate::error::StoreResult;
use crate::escrow_service::MoneyPorts;
use crate::marketplace::MarketplacePorts;
use crate::model::ModelPorts;
use crate::runtime::EventLog;
use crate::search::SearchPorts;
use crate::valuation::ValuationPorts;

#[async_trait]
pub trait StoreMeta: Send + Sync {
    /// `sqlite` or `postgres`.
    fn backend_name(&self) -> &'static str;
    /// A cheap round trip to the database.
    async fn health(&self) -> StoreResult<()>;
    /// The schema version the database is at.
    async fn schema_version(&self) -> StoreResult<i64>;
}

port_bundle!(
    /// Everything the platform stores: every context's bundle, the event log and the meta.
    pub trait Store:
        AccountsPorts,
        MarketplacePorts,
        SearchPorts,
        ValuationPorts,
        ModelPorts,
        MoneyPorts,
        EventLog,
        StoreMeta,
);
