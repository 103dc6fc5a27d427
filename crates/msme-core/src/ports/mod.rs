//! Ports: the traits through which the core does all its I/O. Backends implement them.

mod blob;
mod events;
mod gateway;
mod marketplace;
mod matching;
mod model;
mod search;
mod sms;
mod store;

pub use blob::{BlobError, BlobStore};
pub use events::{Advance, ConsumerState, DeadLetter, EventLog, EventStore, Lease};
pub use gateway::{
    CapturedPayment, GatewayError, GatewayOrder, GatewayPayment, GatewayPaymentStatus,
    GatewayPayout, GatewayPayoutStatus, OrderRequest, PaymentGateway, PayoutRequest, SandboxRecord,
    SandboxStore, WebhookEvent,
};
pub use marketplace::{
    DocumentStore, KycStore, ListingStore, MarketplacePorts, ProfileStore, ValuationPorts,
    ValuationStore,
};
pub use matching::{BuyerStore, MatchStore, SearchPorts};
pub use model::{ComparableStore, ModelPorts, ModelStore};
pub use search::{SearchError, SearchIndex};
pub use sms::{ChannelError, SmsChannel, SmsReceipt};
pub use store::*;
