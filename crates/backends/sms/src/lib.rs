//! # msme-sms
//!
//! Real SMS channels for the MSME Exchange: [`TwilioChannel`] and [`Msg91Channel`], each an
//! [`msme_core::ports::SmsChannel`] that posts to the provider's HTTPS API with `reqwest`.
//!
//! The core writes every message to the outbox first; a channel only delivers it. Provider
//! errors come back as [`ChannelError::Refused`] carrying the provider's own message, and
//! network failures as [`ChannelError::Unreachable`]. Credentials never appear in errors, logs
//! or `Debug` output.
//!
//! ```no_run
//! use msme_core::types::Secret;
//! use msme_sms::{TwilioChannel, TwilioConfig};
//!
//! let channel = TwilioChannel::try_new(TwilioConfig {
//!     account_sid: "AC0123456789abcdef0123456789abcdef".into(),
//!     auth_token: Secret::new("the auth token"),
//!     from: "+15005550006".into(),
//!     base_url: TwilioConfig::DEFAULT_BASE_URL.into(),
//! })?;
//! # Ok::<(), msme_sms::SetupError>(())
//! ```
#![forbid(unsafe_code)]

mod http;
mod msg91;
mod twilio;

pub use msg91::{Msg91Channel, Msg91Config};
pub use twilio::{TwilioChannel, TwilioConfig};

/// Re-exported so callers can match on channel errors without naming the core.
pub use msme_core::ports::{ChannelError, SmsReceipt};

/// A channel's configuration is unusable; says which setting and why. Never shows a secret.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// A setting is empty or malformed.
    #[error("{provider} setting `{setting}` {reason}")]
    Invalid {
        provider: &'static str,
        setting: &'static str,
        reason: String,
    },
    /// The HTTP client could not be built (TLS set-up failed).
    #[error("could not build the HTTP client for {provider}")]
    Client {
        provider: &'static str,
        #[source]
        source: reqwest::Error,
    },
}
