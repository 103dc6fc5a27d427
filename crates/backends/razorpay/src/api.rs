//! Calls to Razorpay's REST API and the reading of its answers, errors included.
//!
//! Razorpay answers errors as `{"error": {"code": "BAD_REQUEST_ERROR", "description": ...,
//! "field": ..., "source": ..., "step": ..., "reason": ...}}` with a 4xx status. A 400 is a
//! refusal of the request ([`GatewayError::Rejected`], with Razorpay's description); 401 means
//! the keys are wrong; 404 that the object does not exist; 429 and 5xx that Razorpay cannot
//! answer now. No answer within the timeout is [`GatewayError::Timeout`]: the call may have
//! acted, and is retried with the same key.

use msme_core::ports::GatewayError;
use msme_core::types::Secret;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Client, Method, StatusCode, Url};
use serde_json::Value;

use crate::config::{RazorpayConfig, SetupError};

/// Razorpay's descriptions are quoted in errors; longer ones are cut.
const MAX_DESCRIPTION: usize = 300;

pub(crate) struct Api {
    client: Client,
    base: Url,
    key_id: String,
    key_secret: Secret,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api")
            .field("base", &self.base.as_str())
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl Api {
    pub(crate) fn new(config: &RazorpayConfig) -> Result<Self, SetupError> {
        let base = config.check()?;
        let client = Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(std::time::Duration::from_secs(10)))
            // Credentials go only to the configured host.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("msme-razorpay/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(SetupError::Client)?;
        Ok(Self {
            client,
            base,
            key_id: config.key_id.trim().to_string(),
            key_secret: config.key_secret.clone(),
        })
    }

    fn url(&self, path: &str, query: &[(&str, &str)]) -> Url {
        let mut url = self.base.clone();
        let prefix = url.path().trim_end_matches('/').to_string();
        url.set_path(&format!("{prefix}{path}"));
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    pub(crate) async fn get(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Value, GatewayError> {
        self.call(Method::GET, path, query, None, None).await
    }

    pub(crate) async fn post(
        &self,
        path: &str,
        body: &Value,
        header: Option<(HeaderName, &str)>,
    ) -> Result<Value, GatewayError> {
        self.call(Method::POST, path, &[], Some(body), header).await
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
        header: Option<(HeaderName, &str)>,
    ) -> Result<Value, GatewayError> {
        let mut req = self
            .client
            .request(method.clone(), self.url(path, query))
            .basic_auth(&self.key_id, Some(self.key_secret.expose()));
        if let Some(body) = body {
            req = req.json(body);
        }
        if let Some((name, value)) = header {
            let value = HeaderValue::from_str(value)
                .map_err(|_| GatewayError::Rejected(format!("invalid {name} header")))?;
            req = req.header(name, value);
        }
        let res = req.send().await.map_err(transport)?;
        let status = res.status();
        let text = res.text().await.map_err(transport)?;
        tracing::debug!(%method, path, status = status.as_u16(), "razorpay answered");
        read(status, &text)
    }
}

/// A request that got no answer. The message never carries the request (or its credentials).
fn transport(e: reqwest::Error) -> GatewayError {
    if e.is_timeout() {
        GatewayError::Timeout
    } else if e.is_connect() {
        GatewayError::Unavailable("cannot connect to Razorpay".into())
    } else {
        GatewayError::Unavailable("the connection to Razorpay failed".into())
    }
}

/// Razorpay's error description, cut to a readable length.
fn description(v: &Value) -> String {
    let error = &v["error"];
    let text = error["description"]
        .as_str()
        .or_else(|| error["code"].as_str())
        .unwrap_or("no description");
    text.chars().take(MAX_DESCRIPTION).collect()
}

fn read(status: StatusCode, text: &str) -> Result<Value, GatewayError> {
    let json: Option<Value> = serde_json::from_str(text).ok();
    if status.is_success() {
        return json
            .ok_or_else(|| GatewayError::Unavailable("Razorpay's answer is not JSON".into()));
    }
    let why = json
        .as_ref()
        .map_or_else(|| format!("HTTP {status}"), description);
    Err(match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => GatewayError::Unavailable(format!(
            "Razorpay refused the credentials ({status}): check RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET"
        )),
        StatusCode::NOT_FOUND => GatewayError::NotFound(why),
        // How Razorpay answers an unknown payment or order id.
        StatusCode::BAD_REQUEST if why.contains("does not exist") => GatewayError::NotFound(why),
        StatusCode::TOO_MANY_REQUESTS => GatewayError::Unavailable(format!("rate limited: {why}")),
        s if s.is_server_error() => GatewayError::Unavailable(format!("HTTP {s}: {why}")),
        _ => GatewayError::Rejected(why),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn razorpay_errors_map_to_gateway_errors() {
        let body = r#"{"error":{"code":"BAD_REQUEST_ERROR","description":"The amount must be at least INR 1.00","source":"business","step":"payment_initiation","reason":"input_validation_failed","metadata":{},"field":"amount"}}"#;
        match read(StatusCode::BAD_REQUEST, body) {
            Err(GatewayError::Rejected(why)) => {
                assert_eq!(why, "The amount must be at least INR 1.00")
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            read(StatusCode::NOT_FOUND, body),
            Err(GatewayError::NotFound(_))
        ));
        assert!(matches!(
            read(StatusCode::BAD_GATEWAY, "<html>"),
            Err(GatewayError::Unavailable(_))
        ));
        let auth = read(StatusCode::UNAUTHORIZED, body)
            .unwrap_err()
            .to_string();
        assert!(auth.contains("RAZORPAY_KEY_ID"), "{auth}");
        assert!(read(StatusCode::OK, "not json").is_err());
    }
}
