//! A stand-in for an SMS provider: a local HTTP server that records each request and gives a
//! canned answer, so tests can check the request shape the provider documents.

// Each test binary uses only some of these helpers.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use msme_core::ports::{ChannelError, SmsChannel, SmsReceipt};
use msme_core::types::Mobile;

/// One request as the provider saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: Method,
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("request has no `{name}` header"))
            .to_str()
            .unwrap()
    }

    /// The body decoded as `application/x-www-form-urlencoded`.
    pub fn form(&self) -> Vec<(String, String)> {
        let text = std::str::from_utf8(&self.body).unwrap();
        let url = reqwest::Url::parse(&format!("http://form.invalid/?{text}")).unwrap();
        url.query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the body is JSON")
    }
}

/// A running fake provider.
pub struct FakeProvider {
    pub base_url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl FakeProvider {
    /// Serves `status` and the JSON `answer` to every request, on a free local port.
    pub async fn start(status: u16, answer: serde_json::Value) -> Self {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        let status = StatusCode::from_u16(status).unwrap();
        let app = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let seen = seen.clone();
                let answer = answer.clone();
                async move {
                    seen.lock().unwrap().push(Recorded {
                        method,
                        path: uri.path().to_string(),
                        headers,
                        body,
                    });
                    (status, axum::Json(answer)).into_response()
                }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self {
            base_url: format!("http://{addr}"),
            requests,
        }
    }

    /// The only request received; fails the test if there was not exactly one.
    pub fn single_request(&self) -> Recorded {
        let requests = self.requests.lock().unwrap();
        assert_eq!(requests.len(), 1, "expected exactly one request");
        requests[0].clone()
    }
}

/// A local address nothing listens on.
pub async fn closed_port_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

/// The error of sending "hello" to `to` through the channel `make` builds on the base URL of a
/// stand-in answering `status` with `answer`.
pub async fn failed_send<C: SmsChannel>(
    make: fn(&str) -> C,
    to: &Mobile,
    status: u16,
    answer: serde_json::Value,
) -> ChannelError {
    let provider = FakeProvider::start(status, answer).await;
    let sent = make(&provider.base_url).send(to, "hello").await;
    sent.expect_err("the provider refuses")
}

/// The message of a refusal by `provider` with `status`; fails the test on any other error.
pub fn refusal_message<'e>(err: &'e ChannelError, provider: &str, status: u16) -> &'e str {
    match err {
        ChannelError::Refused {
            provider: p,
            status: s,
            message,
        } => {
            assert_eq!((*p, *s), (provider, status), "{err:?}");
            message
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Sending through the channel `make` builds on a closed port fails as unreachable, naming
/// `provider`; the error.
pub async fn unreachable_send<C: SmsChannel>(
    make: fn(&str) -> C,
    to: &Mobile,
    provider: &str,
) -> ChannelError {
    let sent = make(&closed_port_url().await).send(to, "hello").await;
    let err = sent.expect_err("nothing listens");
    let named = matches!(&err, ChannelError::Unreachable { provider: p, .. } if *p == provider);
    assert!(named, "{err:?}");
    err
}

/// Neither a channel's settings nor the channel show `secret` when debug-printed.
pub fn assert_debug_hides<S: std::fmt::Debug, C: std::fmt::Debug>(secret: &str, s: &S, c: &C) {
    for shown in [format!("{s:?}"), format!("{c:?}")] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

/// Sends `body` to `to` through the channel `make` builds on the base URL of a stand-in
/// answering `status` with `answer`: the receipt, and the one request the stand-in received.
pub async fn delivered<C: SmsChannel>(
    make: fn(&str) -> C,
    to: &Mobile,
    body: &str,
    status: u16,
    answer: serde_json::Value,
) -> (SmsReceipt, Recorded) {
    let provider = FakeProvider::start(status, answer).await;
    let sent = make(&provider.base_url).send(to, body).await;
    (sent.expect("delivered"), provider.single_request())
}
