//! MSG91's Flow API (v5): `POST /api/v5/flow` with a DLT-approved template.

use async_trait::async_trait;
use msme_core::ports::{ChannelError, SmsChannel, SmsReceipt};
use msme_core::types::{Mobile, Secret};
use reqwest::{Client, Url};
use serde_json::json;

use crate::http::{self, Answer};
use crate::SetupError;

const PROVIDER: &str = "msg91";

/// Settings of an MSG91 account (`MSG91_API_KEY` and the DLT sender and template).
///
/// Indian regulation (TRAI DLT) only lets registered templates through, so the text is sent
/// as the template variable named [`Msg91Config::BODY_VARIABLE`]: register the template with
/// `##body##` where the message goes.
#[derive(Clone)]
pub struct Msg91Config {
    /// The `authkey` from the MSG91 panel.
    pub api_key: Secret,
    /// The DLT-registered sender id (header), e.g. `MSMEEX`.
    pub sender_id: String,
    /// The MSG91 template (flow) id.
    pub template_id: String,
    /// [`Msg91Config::DEFAULT_BASE_URL`] except in tests.
    pub base_url: String,
}

impl Msg91Config {
    /// MSG91's production API.
    pub const DEFAULT_BASE_URL: &'static str = "https://control.msg91.com";
    /// The template variable that carries the message text.
    pub const BODY_VARIABLE: &'static str = "body";
}

impl std::fmt::Debug for Msg91Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Msg91Config")
            .field("api_key", &self.api_key)
            .field("sender_id", &self.sender_id)
            .field("template_id", &self.template_id)
            .field("base_url", &self.base_url)
            .finish()
    }
}

/// Sends SMS through MSG91.
#[derive(Clone)]
pub struct Msg91Channel {
    client: Client,
    flow_url: Url,
    api_key: Secret,
    sender_id: String,
    template_id: String,
}

impl std::fmt::Debug for Msg91Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Msg91Channel")
            .field("flow_url", &self.flow_url.as_str())
            .field("sender_id", &self.sender_id)
            .field("template_id", &self.template_id)
            .finish_non_exhaustive()
    }
}

impl Msg91Channel {
    /// Like [`Self::try_new`], for settings already known to be good.
    ///
    /// # Panics
    /// If the settings are invalid (the message names the setting, never a secret). Prefer
    /// [`Self::try_new`] for settings read from the outside.
    pub fn new(config: Msg91Config) -> Self {
        Self::try_new(config).unwrap_or_else(|e| panic!("invalid MSG91 settings: {e}"))
    }

    /// Checks the settings and builds the HTTP client; sends nothing yet.
    pub fn try_new(config: Msg91Config) -> Result<Self, SetupError> {
        let key = http::required(PROVIDER, "api_key", config.api_key.expose())?;
        if reqwest::header::HeaderValue::from_str(&key).is_err() {
            return Err(SetupError::Invalid {
                provider: PROVIDER,
                setting: "api_key",
                reason: "contains characters a header cannot carry".into(),
            });
        }
        Ok(Self {
            client: http::client(PROVIDER)?,
            flow_url: http::endpoint(PROVIDER, &config.base_url, "api/v5/flow")?,
            api_key: Secret::new(key),
            sender_id: http::required(PROVIDER, "sender_id", &config.sender_id)?,
            template_id: http::required(PROVIDER, "template_id", &config.template_id)?,
        })
    }

    /// The request body MSG91 documents: one recipient, number without the `+`.
    fn flow_body(&self, to: &Mobile, body: &str) -> serde_json::Value {
        let mut recipient = serde_json::Map::new();
        let mobiles = to.as_str().trim_start_matches('+');
        recipient.insert("mobiles".into(), mobiles.into());
        recipient.insert(Msg91Config::BODY_VARIABLE.into(), body.into());
        json!({
            "template_id": self.template_id,
            "sender": self.sender_id,
            "short_url": "0",
            "recipients": [recipient],
        })
    }
}

#[async_trait]
impl SmsChannel for Msg91Channel {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    #[tracing::instrument(skip_all, fields(provider = PROVIDER, to = %to.masked()))]
    async fn send(&self, to: &Mobile, body: &str) -> Result<SmsReceipt, ChannelError> {
        let response = self
            .client
            .post(self.flow_url.clone())
            .header("authkey", self.api_key.expose())
            .header(reqwest::header::ACCEPT, "application/json")
            .json(&self.flow_body(to, body))
            .send()
            .await
            .map_err(|e| http::unreachable(PROVIDER, e))?;
        let answer = Answer::read(PROVIDER, response).await?;
        // MSG91 reports some refusals with a 200 and `"type": "error"`.
        let accepted = answer.status.is_success() && answer.str_field("type") == Some("success");
        if !accepted {
            return Err(answer.refused(PROVIDER, answer.message()));
        }
        // On success `message` is the request id, used to look up delivery reports.
        match answer
            .str_field("request_id")
            .or(answer.str_field("message"))
        {
            Some(id) if !id.is_empty() => Ok(SmsReceipt {
                provider: PROVIDER,
                provider_ref: id.to_string(),
            }),
            _ => Err(answer.refused(PROVIDER, "the answer carried no request id".into())),
        }
    }
}
