//! What both providers share: the HTTP client, settings checks and reading answers.

use std::time::Duration;

use msme_core::ports::ChannelError;
use reqwest::{Client, StatusCode, Url};

use crate::SetupError;

/// How long a whole request may take; an OTP that arrives later is useless anyway.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Error answers are quoted in the outbox; longer text is cut to this many characters.
const MAX_MESSAGE_CHARS: usize = 300;

/// A client with timeouts and no redirects, so credentials go only to the configured host.
pub(crate) fn client(provider: &'static str) -> Result<Client, SetupError> {
    Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("msme-sms/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|source| SetupError::Client { provider, source })
}

/// Checks that a setting is not blank and returns it trimmed.
pub(crate) fn required(
    provider: &'static str,
    setting: &'static str,
    value: &str,
) -> Result<String, SetupError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(SetupError::Invalid {
            provider,
            setting,
            reason: "is empty".into(),
        });
    }
    Ok(value.to_string())
}

/// Parses an `http(s)://host[:port][/prefix]` base URL and joins `path` onto it.
pub(crate) fn endpoint(provider: &'static str, base: &str, path: &str) -> Result<Url, SetupError> {
    let invalid = |reason: &str| SetupError::Invalid {
        provider,
        setting: "base_url",
        reason: reason.into(),
    };
    let base = required(provider, "base_url", base)?;
    let url = Url::parse(&format!("{}/{}", base.trim_end_matches('/'), path))
        .map_err(|e| invalid(&format!("is not a URL: {e}")))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(invalid(
            "must start with https:// (or http:// for a local test server)",
        ));
    }
    if url.query().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("must not carry a query or credentials"));
    }
    Ok(url)
}

/// Maps a failed request (connect, TLS, timeout, broken body) to `Unreachable`.
pub(crate) fn unreachable(provider: &'static str, e: reqwest::Error) -> ChannelError {
    ChannelError::Unreachable {
        provider,
        source: Box::new(e),
    }
}

/// A provider's answer: its status and body, parsed as JSON when it is JSON.
pub(crate) struct Answer {
    pub status: StatusCode,
    pub json: Option<serde_json::Value>,
    pub text: String,
}

impl Answer {
    /// Reads the whole answer; a body cut off mid-way counts as unreachable.
    pub async fn read(
        provider: &'static str,
        response: reqwest::Response,
    ) -> Result<Self, ChannelError> {
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| unreachable(provider, e))?;
        let json = serde_json::from_str(&text).ok();
        Ok(Self { status, json, text })
    }

    /// A string field of the JSON answer, if there is one.
    pub fn str_field(&self, name: &str) -> Option<&str> {
        self.json.as_ref()?.get(name)?.as_str()
    }

    /// The provider's explanation: its `message` field (with its `code` when it gives one),
    /// else the start of the body, else the status's reason.
    pub fn message(&self) -> String {
        let code = self.json.as_ref().and_then(|j| j.get("code"));
        match (self.str_field("message"), code) {
            (Some(m), Some(c)) if !c.is_null() => format!("{} (code {c})", cut(m)),
            (Some(m), _) => cut(m),
            (None, _) if !self.text.trim().is_empty() => cut(self.text.trim()),
            (None, _) => self
                .status
                .canonical_reason()
                .unwrap_or("no explanation given")
                .to_string(),
        }
    }

    /// The answer as a refusal.
    pub fn refused(&self, provider: &'static str, message: String) -> ChannelError {
        ChannelError::Refused {
            provider,
            status: self.status.as_u16(),
            message,
        }
    }
}

fn cut(s: &str) -> String {
    match s.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_joins_paths_and_refuses_bad_bases() {
        let url = endpoint("t", "https://api.example.com/", "a/b.json").unwrap();
        assert_eq!(url.as_str(), "https://api.example.com/a/b.json");
        assert!(endpoint("t", "ftp://x", "a").is_err());
        assert!(endpoint("t", "", "a").is_err());
        assert!(endpoint("t", "https://user:pw@x", "a").is_err());
        assert!(endpoint("t", "not a url", "a").is_err());
    }

    #[test]
    fn long_messages_are_cut() {
        let long = "x".repeat(1000);
        assert_eq!(cut(&long).chars().count(), MAX_MESSAGE_CHARS + 3);
        assert_eq!(cut("short"), "short");
    }
}
