//! Payment gateways built into the core: the [`SandboxGateway`] (the default), and the
//! webhook body format shared with Razorpay. The port is [`crate::ports::PaymentGateway`].

mod sandbox;
pub mod webhook;

pub use sandbox::{SandboxGateway, Simulation, DEFAULT_WEBHOOK_SECRET, LATE_BY};
