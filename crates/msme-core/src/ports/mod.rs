//! Ports: the traits through which the core does all its I/O, gathered in one place for the
//! backends that implement them. Each is defined by the context that owns it (`auth`,
//! `marketplace`, `search`, `valuation`, `escrow_service`, `runtime`, ...); this module only
//! re-exports them, and adds [`Store`], the supertrait that joins every store trait. Nothing in
//! the core imports from here but the wiring in `platform`.

mod store;

pub use crate::audit::AuditStore;
pub use crate::auth::{
    AccountsPorts, NewOutboxMessage, OtpCode, OtpStore, OutboxMessage, OutboxStatus, OutboxStore,
    RefreshToken, Session, SessionStore, User, UserStatus, UserStore, REDACTED_BODY,
};
pub use crate::blob::{BlobError, BlobStore};
pub use crate::error::StoreResult;
pub use crate::escrow_service::MoneyPorts;
pub use crate::gateway::{
    CapturedPayment, GatewayError, GatewayOrder, GatewayPayment, GatewayPaymentStatus,
    GatewayPayout, GatewayPayoutStatus, OrderRequest, PaymentGateway, PayoutRequest, WebhookEvent,
};
pub use crate::ledger::LedgerStore;
pub use crate::marketplace::{
    DocumentStore, KycStore, ListingStore, MarketplacePorts, ProfileStore,
};
pub use crate::model::{ComparableStore, ModelPorts, ModelStore};
pub use crate::runtime::{Advance, ConsumerState, DeadLetter, EventLog, EventStore, Lease};
pub use crate::search::{BuyerStore, MatchStore, SearchError, SearchIndex, SearchPorts};
pub use crate::sms::{ChannelError, SmsChannel, SmsReceipt};
pub use crate::valuation::{ValuationPorts, ValuationStore};
pub use store::{Store, StoreMeta};
