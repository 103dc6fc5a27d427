//! Settings of the gateway and their checks.

use std::time::Duration;

use msme_core::types::Secret;
use reqwest::Url;

/// Razorpay's API.
pub const DEFAULT_BASE_URL: &str = "https://api.razorpay.com";

/// What the gateway needs. `Debug` shows no secret.
#[derive(Clone, Debug)]
pub struct RazorpayConfig {
    /// `RAZORPAY_KEY_ID` (`rzp_live_...` or `rzp_test_...`).
    pub key_id: String,
    /// `RAZORPAY_KEY_SECRET`.
    pub key_secret: Secret,
    /// `RAZORPAY_WEBHOOK_SECRET`, set when the webhook was configured in the dashboard.
    /// Without one, every webhook is refused.
    pub webhook_secret: Option<Secret>,
    /// `RAZORPAY_ACCOUNT_NUMBER`: the RazorpayX account payouts are made from.
    pub account_number: String,
    /// `RAZORPAY_BASE_URL`, [`DEFAULT_BASE_URL`] unless testing.
    pub base_url: String,
    /// How long one call may take before it is a [`GatewayError::Timeout`]
    /// (msme_core::ports::GatewayError::Timeout).
    pub timeout: Duration,
}

impl RazorpayConfig {
    /// Settings with the default base URL and a 20 s timeout.
    pub fn new(
        key_id: &str,
        key_secret: Secret,
        webhook_secret: Option<Secret>,
        account_number: &str,
    ) -> Self {
        Self {
            key_id: key_id.to_string(),
            key_secret,
            webhook_secret,
            account_number: account_number.to_string(),
            base_url: DEFAULT_BASE_URL.to_string(),
            timeout: Duration::from_secs(20),
        }
    }
}

/// Settings that cannot work; names the setting, never its value.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("RazorpayX setting {setting} {reason}")]
    Invalid {
        setting: &'static str,
        reason: String,
    },
    #[error("cannot build the HTTP client for RazorpayX")]
    Client(#[source] reqwest::Error),
}

fn invalid(setting: &'static str, reason: &str) -> SetupError {
    SetupError::Invalid {
        setting,
        reason: reason.to_string(),
    }
}

impl RazorpayConfig {
    /// Checks the settings; returns the base URL parsed.
    pub(crate) fn check(&self) -> Result<Url, SetupError> {
        if self.key_id.trim().is_empty() || self.key_id.contains(':') {
            return Err(invalid("RAZORPAY_KEY_ID", "must be a key id (rzp_...)"));
        }
        if self.key_secret.expose().trim().is_empty() {
            return Err(invalid("RAZORPAY_KEY_SECRET", "is empty"));
        }
        let account = self.account_number.trim();
        if account.is_empty() || !account.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(invalid(
                "RAZORPAY_ACCOUNT_NUMBER",
                "must be the RazorpayX account number (letters and digits)",
            ));
        }
        let url = Url::parse(self.base_url.trim_end_matches('/'))
            .map_err(|_| invalid("RAZORPAY_BASE_URL", "is not a URL"))?;
        if !matches!(url.scheme(), "https" | "http")
            || url.query().is_some()
            || !url.username().is_empty()
            || url.password().is_some()
        {
            return Err(invalid(
                "RAZORPAY_BASE_URL",
                "must be https://host (or http:// for a local test server), without credentials",
            ));
        }
        Ok(url)
    }
}
