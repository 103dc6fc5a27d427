//! Spawns the real server on 127.0.0.1:0 over the platform `msme serve` opens: a temporary
//! data directory with its files and search index, and its database either a SQLite file in it
//! or a fresh PostgreSQL database.
#![allow(dead_code)] // each test binary uses a different part

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use msme_backends::{init, open_platform, Overrides, Settings};
use msme_core::auth::NewAccount;
use msme_core::rbac::Actor;
use msme_core::{Platform, RequestMeta};
use msme_postgres::testing::{server_url, TestDb};
use msme_server::{RateLimit, ServerConfig};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const PASSWORD: &str = "correct horse battery";

/// Runs each named test (an `async fn(TestApp)`) twice, as the modules `NAME::sqlite` and
/// `NAME::postgres`. The PostgreSQL run skips, and says so, without `MSME_TEST_POSTGRES_URL`,
/// except in CI, where it fails.
#[macro_export]
macro_rules! on_each_backend {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name($crate::common::TestApp::spawn().await).await
            }
            #[tokio::test]
            async fn postgres() {
                if let Some(app) = $crate::common::TestApp::spawn_postgres().await {
                    super::$name(app).await
                }
            }
        }
    )*};
}

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub base: String,
    pub platform: Platform,
    pub http: reqwest::Client,
    /// Where uploaded files' bytes are kept.
    pub blobs_dir: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    database: Option<TestDb>,
    _dir: tempfile::TempDir,
}

/// Limits high enough that no test meets them by accident.
const GENEROUS: RateLimit = RateLimit {
    per_second: 1000.0,
    burst: 1000,
};

impl TestApp {
    /// On a SQLite file in the data directory.
    pub async fn spawn() -> Self {
        Self::spawn_with(GENEROUS).await
    }

    pub async fn spawn_with(limit: RateLimit) -> Self {
        Self::spawn_on(None, limit).await
    }

    /// On a fresh PostgreSQL database, or `None` (outside CI) when no server is configured.
    pub async fn spawn_postgres() -> Option<Self> {
        let Some(url) = server_url() else {
            let _ = writeln!(std::io::stderr(), "PostgreSQL API test skipped");
            return None;
        };
        let db = TestDb::create(&url).await;
        let app = Self::spawn_on(Some(db), GENEROUS).await;
        assert_eq!(app.platform.store().backend_name(), "postgres");
        Some(app)
    }

    async fn spawn_on(database: Option<TestDb>, limit: RateLimit) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let overrides = Overrides {
            data_dir: Some(dir.path().into()),
            database_url: database.as_ref().map(|db| db.url.clone()),
        };
        let no_env = |_: &str| None;
        init(&Settings::load_with(&overrides, &no_env).expect("settings")).expect("init");
        let settings = Settings::load_with(&overrides, &no_env).expect("settings");
        let platform = open_platform(&settings).await.expect("open platform");
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
            blobs_dir: dir.path().join("blobs"),
            stop: Some(stop),
            task: Some(task),
            database,
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

    pub async fn put_auth(&self, path: &str, token: &str, body: Value) -> Response {
        let req = self.http.put(self.url(path)).bearer_auth(token);
        req.json(&body).send().await.unwrap()
    }

    pub async fn delete_auth(&self, path: &str, token: &str) -> Response {
        let req = self.http.delete(self.url(path)).bearer_auth(token);
        req.send().await.unwrap()
    }

    /// GETs `path` and returns the JSON of a 200.
    pub async fn json_ok(&self, path: &str, token: &str) -> Value {
        let res = self.get_auth(path, token).await;
        assert_eq!(res.status(), StatusCode::OK, "GET {path}");
        res.json().await.unwrap()
    }

    /// Registers and signs in; returns the account id and an access token.
    pub async fn signed_in(&self, mobile: &str, role: &str) -> (String, String) {
        let account = self.register(mobile, role).await;
        let tokens = self.login(mobile).await;
        (
            account["id"].as_str().unwrap().to_string(),
            tokens["access_token"].as_str().unwrap().to_string(),
        )
    }

    /// Makes an admin and signs it in with its authenticator code; returns an access token.
    pub async fn admin_token(&self, mobile: &str) -> String {
        let secret = self.make_admin(mobile).await;
        let body = json!({"mobile": mobile, "password": PASSWORD, "totp": totp(&secret, 0)});
        let res = self.post("/v1/auth/login", body).await;
        assert_eq!(res.status(), StatusCode::OK);
        let tokens: Value = res.json().await.unwrap();
        tokens["access_token"].as_str().unwrap().to_string()
    }

    /// Uploads a file as multipart form data.
    pub async fn upload(
        &self,
        token: &str,
        file: (&str, Vec<u8>),
        fields: &[(&str, &str)],
    ) -> Response {
        let part = reqwest::multipart::Part::bytes(file.1).file_name(file.0.to_string());
        let mut form = reqwest::multipart::Form::new().part("file", part);
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        let req = self.http.post(self.url("/v1/documents")).bearer_auth(token);
        req.multipart(form).send().await.unwrap()
    }

    /// Creates a listing from [`listing_body`] and returns its JSON.
    pub async fn create_listing(&self, token: &str, anonymous: bool) -> Value {
        let res = self
            .post_auth("/v1/listings", token, listing_body(anonymous))
            .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        res.json().await.unwrap()
    }

    /// Takes a draft through submit, approve (by `admin`) and publish; returns the listing.
    pub async fn publish(&self, seller: &str, admin: &str, id: &str) -> Value {
        for (token, action) in [(seller, "submit"), (admin, "approve"), (seller, "publish")] {
            let path = format!("/v1/listings/{id}/{action}");
            let res = self.post_auth(&path, token, json!({})).await;
            assert_eq!(res.status(), StatusCode::OK, "{action}");
        }
        self.json_ok(&format!("/v1/listings/{id}"), seller).await
    }

    /// Files in the blob store.
    pub fn blob_count(&self) -> usize {
        std::fs::read_dir(self.blobs_dir.join("documents")).map_or(0, |d| d.count())
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

    /// Stops the server, waits until it has finished, and drops its PostgreSQL database.
    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        let task = self.task.take().unwrap();
        task.await
            .expect("server task")
            .expect("server ran cleanly");
        if let Some(db) = self.database.take() {
            db.drop_now().await;
        }
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

/// A complete, valid listing in the wire names of the issue.
pub fn listing_body(anonymous: bool) -> Value {
    json!({
        "title": "Rao Precision CNC machining unit",
        "description": "Profitable CNC job shop serving auto OEMs around Pune for 18 years.",
        "industry": "machinery",
        "city": "Pune",
        "state": "Maharashtra",
        "year_established": 2008,
        "employees": 42,
        "deal_type": "full_sale",
        "asking_price_paise": 12_00_00_000_00i64,
        "anonymous": anonymous,
        "financials": [{
            "fiscal_year": 2024,
            "revenue_paise": 8_00_00_000_00i64,
            "ebitda_paise": 1_20_00_000_00i64,
            "net_profit_paise": 60_00_000_00i64,
            "total_assets_paise": 5_00_00_000_00i64,
            "total_liabilities_paise": 2_00_00_000_00i64,
            "debt_paise": 1_00_00_000_00i64,
        }],
    })
}

/// A small but real-looking PDF.
pub fn pdf() -> Vec<u8> {
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

/// The first bytes of a PNG.
pub fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend_from_slice(&[0u8; 64]);
    b
}

/// A Windows executable's header.
pub fn exe() -> Vec<u8> {
    let mut b = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    b.extend_from_slice(&[0u8; 64]);
    b
}
