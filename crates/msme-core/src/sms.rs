use async_trait::async_trait;

use crate::error::BoxError;
use crate::types::Mobile;

/// A provider's acknowledgement of a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmsReceipt {
    /// The provider's name, e.g. `twilio`.
    pub provider: &'static str,
    /// The provider's id for the message.
    pub provider_ref: String,
}

/// Why a provider did not take a message. Never carries credentials.
#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    /// The provider answered with an error.
    #[error("{provider} refused the message: {status} {message}")]
    Refused {
        provider: &'static str,
        status: u16,
        message: String,
    },
    /// The provider could not be reached.
    #[error("{provider} could not be reached")]
    Unreachable {
        provider: &'static str,
        #[source]
        source: BoxError,
    },
}

/// Delivers a text message to a mobile number (Twilio, MSG91, ...).
///
/// Messages are first written to the outbox in the same transaction as the change that caused
/// them; a channel then delivers them. With no channel configured they stay in the outbox, where
/// an operator reads them (`msme outbox list`).
#[async_trait]
pub trait SmsChannel: Send + Sync {
    fn name(&self) -> &'static str;
    async fn send(&self, to: &Mobile, body: &str) -> Result<SmsReceipt, ChannelError>;
}
