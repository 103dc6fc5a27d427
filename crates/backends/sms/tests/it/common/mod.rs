//! A stand-in for an SMS provider: a local HTTP server that records each request and gives a
//! canned answer, so tests can check the request shape the provider documents.

// Each test binary uses only some of these helpers.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;

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
