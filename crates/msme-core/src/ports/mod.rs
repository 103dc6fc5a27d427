//! Ports: the traits through which the core does all its I/O. Backends implement them.

mod sms;
mod store;

pub use sms::{ChannelError, SmsChannel, SmsReceipt};
pub use store::*;
