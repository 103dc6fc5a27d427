//! The payment gateway port: orders, capture, payouts and signed webhooks, shaped after
//! RazorpayX and provider-neutral. `msme-sandbox` (the default) and `msme-razorpay` implement it.

mod port;

pub use port::{
    CapturedPayment, GatewayError, GatewayOrder, GatewayPayment, GatewayPaymentStatus,
    GatewayPayout, GatewayPayoutStatus, OrderRequest, PaymentGateway, PayoutRequest, WebhookEvent,
};
