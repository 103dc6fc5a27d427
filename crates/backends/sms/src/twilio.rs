//! Twilio's Programmable Messaging API: `POST /2010-04-01/Accounts/{sid}/Messages.json`.

use async_trait::async_trait;
use msme_core::ports::{ChannelError, SmsChannel, SmsReceipt};
use msme_core::types::{Mobile, Secret};
use reqwest::{Client, Url};

use crate::http::{self, Answer};
use crate::SetupError;

const PROVIDER: &str = "twilio";

/// Settings of a Twilio account (`TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`,
/// `TWILIO_PHONE_NUMBER`).
#[derive(Clone)]
pub struct TwilioConfig {
    /// The account SID, `AC` followed by 32 hex digits.
    pub account_sid: String,
    pub auth_token: Secret,
    /// The Twilio number (E.164) or alphanumeric sender the messages come from.
    pub from: String,
    /// [`TwilioConfig::DEFAULT_BASE_URL`] except in tests.
    pub base_url: String,
}

impl TwilioConfig {
    /// Twilio's production API.
    pub const DEFAULT_BASE_URL: &'static str = "https://api.twilio.com";
}

impl std::fmt::Debug for TwilioConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwilioConfig")
            .field("account_sid", &self.account_sid)
            .field("auth_token", &self.auth_token)
            .field("from", &self.from)
            .field("base_url", &self.base_url)
            .finish()
    }
}

/// Sends SMS through Twilio.
#[derive(Clone)]
pub struct TwilioChannel {
    client: Client,
    messages_url: Url,
    account_sid: String,
    auth_token: Secret,
    from: String,
}

impl std::fmt::Debug for TwilioChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwilioChannel")
            .field("messages_url", &self.messages_url.as_str())
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

impl TwilioChannel {
    /// Like [`Self::try_new`], for settings already known to be good.
    ///
    /// # Panics
    /// If the settings are invalid (the message names the setting, never a secret). Prefer
    /// [`Self::try_new`] for settings read from the outside.
    pub fn new(config: TwilioConfig) -> Self {
        Self::try_new(config).unwrap_or_else(|e| panic!("invalid Twilio settings: {e}"))
    }

    /// Checks the settings and builds the HTTP client; sends nothing yet.
    pub fn try_new(config: TwilioConfig) -> Result<Self, SetupError> {
        let sid = http::required(PROVIDER, "account_sid", &config.account_sid)?;
        if !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(SetupError::Invalid {
                provider: PROVIDER,
                setting: "account_sid",
                reason: "must contain only letters and digits".into(),
            });
        }
        http::required(PROVIDER, "auth_token", config.auth_token.expose())?;
        let path = format!("2010-04-01/Accounts/{sid}/Messages.json");
        Ok(Self {
            client: http::client(PROVIDER)?,
            messages_url: http::endpoint(PROVIDER, &config.base_url, &path)?,
            from: http::required(PROVIDER, "from", &config.from)?,
            account_sid: sid,
            auth_token: config.auth_token,
        })
    }
}

#[async_trait]
impl SmsChannel for TwilioChannel {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    #[tracing::instrument(skip_all, fields(provider = PROVIDER, to = %to.masked()))]
    async fn send(&self, to: &Mobile, body: &str) -> Result<SmsReceipt, ChannelError> {
        let form = [("To", to.as_str()), ("From", &self.from), ("Body", body)];
        let response = self
            .client
            .post(self.messages_url.clone())
            .basic_auth(&self.account_sid, Some(self.auth_token.expose()))
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form)
            .send()
            .await
            .map_err(|e| http::unreachable(PROVIDER, e))?;
        let answer = Answer::read(PROVIDER, response).await?;
        if !answer.status.is_success() {
            return Err(answer.refused(PROVIDER, answer.message()));
        }
        match answer.str_field("sid") {
            Some(sid) => {
                tracing::debug!(sid, "twilio accepted the message");
                Ok(SmsReceipt {
                    provider: PROVIDER,
                    provider_ref: sid.to_string(),
                })
            }
            None => Err(answer.refused(PROVIDER, "the answer carried no message sid".into())),
        }
    }
}
