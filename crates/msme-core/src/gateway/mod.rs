//! Payment gateways built into the core: the [`SandboxGateway`] (the default), and the
//! webhook body format shared with Razorpay. The port is [`PaymentGateway`].

mod port;
mod sandbox;
pub mod webhook;

pub use port::{
    CapturedPayment, GatewayError, GatewayOrder, GatewayPayment, GatewayPaymentStatus,
    GatewayPayout, GatewayPayoutStatus, OrderRequest, PaymentGateway, PayoutRequest, SandboxRecord,
    SandboxStore, WebhookEvent,
};
pub use sandbox::{SandboxGateway, Simulation, DEFAULT_WEBHOOK_SECRET, LATE_BY};
