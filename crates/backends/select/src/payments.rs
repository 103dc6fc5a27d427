//! Which payment gateway funds escrows and makes payouts: the built-in sandbox (the default)
//! or RazorpayX, chosen at start-up from the environment.
//!
//! `MSME_PAYMENT_GATEWAY` = `sandbox` or `razorpayx`; without it, `RAZORPAY_KEY_ID` alone picks
//! RazorpayX. RazorpayX needs `RAZORPAY_KEY_ID`, `RAZORPAY_KEY_SECRET` and
//! `RAZORPAY_ACCOUNT_NUMBER` (the RazorpayX account payouts leave from), and takes
//! `RAZORPAY_WEBHOOK_SECRET` (without it every webhook is refused) and `RAZORPAY_BASE_URL`.

use std::sync::Arc;

use msme_core::ports::PaymentGateway;
use msme_core::types::Secret;

use crate::settings::SettingsError;

/// The payment gateway a deployment uses. `Debug` shows no secret.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum PaymentSettings {
    /// The built-in sandbox: its books in the platform's database; it plays the payer.
    #[default]
    Sandbox,
    RazorpayX {
        key_id: String,
        key_secret: Secret,
        webhook_secret: Option<Secret>,
        account_number: String,
        base_url: String,
    },
}

impl PaymentSettings {
    /// Reads the variables above through `env`.
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let key_id = env("RAZORPAY_KEY_ID");
        let chosen = env("MSME_PAYMENT_GATEWAY").unwrap_or_else(|| {
            if key_id.is_some() {
                "razorpayx"
            } else {
                "sandbox"
            }
            .to_string()
        });
        let need = |name: &'static str, v: Option<String>| {
            v.ok_or_else(|| SettingsError::Invalid {
                name,
                message: "must be set for the razorpayx gateway".into(),
            })
        };
        match chosen.as_str() {
            "sandbox" => Ok(Self::Sandbox),
            "razorpayx" => Ok(Self::RazorpayX {
                key_id: need("RAZORPAY_KEY_ID", key_id)?,
                key_secret: Secret::new(need("RAZORPAY_KEY_SECRET", env("RAZORPAY_KEY_SECRET"))?),
                webhook_secret: env("RAZORPAY_WEBHOOK_SECRET").map(Secret::new),
                account_number: need("RAZORPAY_ACCOUNT_NUMBER", env("RAZORPAY_ACCOUNT_NUMBER"))?,
                base_url: env("RAZORPAY_BASE_URL")
                    .unwrap_or_else(|| msme_razorpay::DEFAULT_BASE_URL.into()),
            }),
            other => Err(SettingsError::Invalid {
                name: "MSME_PAYMENT_GATEWAY",
                message: format!("`{other}` is not one of sandbox, razorpayx"),
            }),
        }
    }

    /// The gateway to build the platform with; `None` for the sandbox, which is made on the
    /// opened database's books (`open_platform`).
    pub fn gateway(&self) -> Result<Option<Arc<dyn PaymentGateway>>, msme_razorpay::SetupError> {
        match self {
            Self::Sandbox => Ok(None),
            Self::RazorpayX {
                key_id,
                key_secret,
                webhook_secret,
                account_number,
                base_url,
            } => {
                if webhook_secret.is_none() {
                    tracing::warn!(
                        "RAZORPAY_WEBHOOK_SECRET is not set: RazorpayX webhooks will be refused"
                    );
                }
                let mut config = msme_razorpay::RazorpayConfig::new(
                    key_id,
                    key_secret.clone(),
                    webhook_secret.clone(),
                    account_number,
                );
                config.base_url = base_url.clone();
                Ok(Some(Arc::new(msme_razorpay::RazorpayGateway::try_new(
                    config,
                )?)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sandbox_is_the_default_and_a_razorpay_key_picks_razorpayx() {
        assert_eq!(
            PaymentSettings::from_env(&|_| None).unwrap(),
            PaymentSettings::Sandbox
        );
        let partial = |k: &str| (k == "RAZORPAY_KEY_ID").then(|| "rzp_test_x".to_string());
        let e = PaymentSettings::from_env(&partial).unwrap_err().to_string();
        assert!(e.contains("RAZORPAY_KEY_SECRET"), "{e}");
        let full = |k: &str| match k {
            "RAZORPAY_KEY_ID" => Some("rzp_test_x".to_string()),
            "RAZORPAY_KEY_SECRET" => Some("hunter2-secret".to_string()),
            "RAZORPAY_ACCOUNT_NUMBER" => Some("7878780080316316".to_string()),
            _ => None,
        };
        let s = PaymentSettings::from_env(&full).unwrap();
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(s
            .gateway()
            .unwrap()
            .is_some_and(|g| g.name().as_str() == "razorpayx"));
        let forced = |k: &str| (k == "MSME_PAYMENT_GATEWAY").then(|| "paypal".to_string());
        assert!(PaymentSettings::from_env(&forced).is_err());
    }
}
