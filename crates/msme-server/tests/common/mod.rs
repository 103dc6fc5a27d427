//! Spawns the real server on 127.0.0.1:0 over a real SQLite store in a temporary directory.
#![allow(dead_code)] // each test binary uses a different part

use std::net::SocketAddr;
use std::sync::Arc;

use msme_core::auth::NewAccount;
use msme_core::rbac::Actor;
use msme_core::types::Secret;
use msme_core::{Platform, RequestMeta};
use msme_server::{RateLimit, ServerConfig};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const PASSWORD: &str = "correct horse battery";

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub base: String,
    pub platform: Platform,
    pub http: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    _dir: tempfile::TempDir,
}

impl TestApp {
    /// With limits high enough that no test meets them by accident.
    pub async fn spawn() -> Self {
        Self::spawn_with(RateLimit {
            per_second: 1000.0,
            burst: 1000,
        })
        .await
    }

    pub async fn spawn_with(limit: RateLimit) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = msme_sqlite::SqliteStore::open(&dir.path().join("msme.db"))
            .await
            .expect("open sqlite");
        let platform = Platform::builder(
            Arc::new(store),
            Secret::new("a test secret of at least thirty-two bytes"),
        )
        .build()
        .expect("platform");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let config = ServerConfig::new(addr);
        let task = tokio::spawn(msme_server::serve_with(
            platform.clone(),
            config,
            limit,
            listener,
            async {
                let _ = stopped.await;
            },
        ));
        Self {
            base: format!("http://{addr}"),
            platform,
            http: reqwest::Client::new(),
            stop: Some(stop),
            task: Some(task),
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.http
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get_auth(&self, path: &str, token: &str) -> Response {
        let req = self.http.get(self.url(path)).bearer_auth(token);
        req.send().await.unwrap()
    }

    pub async fn post_auth(&self, path: &str, token: &str, body: Value) -> Response {
        let req = self.http.post(self.url(path)).bearer_auth(token);
        req.json(&body).send().await.unwrap()
    }

    /// Registers an account over HTTP and returns its JSON.
    pub async fn register(&self, mobile: &str, role: &str) -> Value {
        let body = json!({"name": "Asha Rao", "mobile": mobile, "email": null,
                          "password": PASSWORD, "role": role});
        let res = self.post("/v1/auth/register", body).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        res.json().await.unwrap()
    }

    /// Signs in with the password and returns the token JSON.
    pub async fn login(&self, mobile: &str) -> Value {
        let res = self
            .post(
                "/v1/auth/login",
                json!({"mobile": mobile, "password": PASSWORD}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.unwrap()
    }

    /// The newest OTP sent to `mobile`, read from the outbox as an operator would.
    pub async fn latest_otp(&self, mobile_e164: &str) -> String {
        let outbox = self.platform.outbox();
        let messages = outbox.list(&Actor::operator(), None, 1000).await.unwrap();
        let sms = messages
            .iter()
            .rev()
            .find(|m| m.recipient == mobile_e164)
            .expect("an sms to this number");
        sms.body[..6].to_string()
    }

    /// Makes an admin as an operator; returns the TOTP secret.
    pub async fn make_admin(&self, mobile: &str) -> String {
        let account = NewAccount::parse("Ravi Admin", mobile, None, PASSWORD, "admin").unwrap();
        let users = self.platform.users();
        let made = users
            .create(&RequestMeta::default(), &Actor::operator(), account)
            .await
            .unwrap();
        made.mfa.expect("admins get a secret").secret
    }

    /// Stops the server and waits until it has finished.
    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        let task = self.task.take().unwrap();
        task.await
            .expect("server task")
            .expect("server ran cleanly");
    }
}

/// Asserts the JSON error shape and returns the code.
pub async fn error_code(res: Response, status: StatusCode) -> String {
    assert_eq!(res.status(), status);
    let ct = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("application/json"), "content-type {ct}");
    let body: Value = res.json().await.unwrap();
    body["error"]["code"]
        .as_str()
        .expect("error.code")
        .to_string()
}

/// A TOTP code for `secret`, `offset` seconds from now.
pub fn totp(secret: &str, offset: i64) -> String {
    let now = chrono::Utc::now().timestamp() + offset;
    msme_core::auth::totp::code_at(secret, now).unwrap()
}
