//! The real server on a random port over a temporary data directory, for the end-to-end
//! tests of the facade: on the embedded SQLite default, or on a fresh PostgreSQL database.
#![allow(dead_code)]

use std::net::SocketAddr;

use msme::backends::{init, open_platform, Overrides, Settings};
use msme::Platform;
use msme_postgres::testing::{server_url, TestDb};
use serde_json::Value;

pub struct App {
    pub base: String,
    pub http: reqwest::Client,
    pub platform: Platform,
    /// The database URL the server was given (`None`: SQLite in the data directory).
    pub database_url: Option<String>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
    _dir: tempfile::TempDir,
}

impl App {
    pub async fn spawn(database_url: Option<String>) -> App {
        let dir = tempfile::tempdir().expect("tempdir");
        let overrides = Overrides {
            data_dir: Some(dir.path().into()),
            database_url: database_url.clone(),
        };
        init(&Settings::load_with(&overrides, &no_env).expect("settings")).expect("init");
        let settings = Settings::load_with(&overrides, &no_env).expect("settings");
        let platform = open_platform(&settings).await.expect("open platform");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let shutdown = async move {
            let _ = rx.await;
        };
        let server = tokio::spawn(msme_server::serve(platform.clone(), listener, shutdown));
        App {
            base: format!("http://{addr}"),
            http: reqwest::Client::new(),
            platform,
            database_url,
            stop: Some(tx),
            server,
            _dir: dir,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        answer(self.http.post(self.url(path)).json(&body)).await
    }

    pub async fn post_auth(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        answer(
            self.http
                .post(self.url(path))
                .bearer_auth(token)
                .json(&body),
        )
        .await
    }

    /// A POST that moves money: with its `Idempotency-Key`.
    pub async fn post_keyed(
        &self,
        path: &str,
        token: &str,
        key: &str,
        body: Value,
    ) -> (u16, Value) {
        let req = self.http.post(self.url(path)).bearer_auth(token);
        answer(req.header("Idempotency-Key", key).json(&body)).await
    }

    pub async fn put_auth(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        answer(self.http.put(self.url(path)).bearer_auth(token).json(&body)).await
    }

    pub async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        answer(self.http.get(self.url(path)).bearer_auth(token)).await
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        self.server
            .await
            .expect("server task")
            .expect("server stopped cleanly");
    }
}

/// Sends a request; its status and JSON body (null when the body is not JSON).
async fn answer(req: reqwest::RequestBuilder) -> (u16, Value) {
    let res = req.send().await.expect("request");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Settings come from the test, not from the machine's environment.
fn no_env(_: &str) -> Option<String> {
    None
}

/// Runs `story` on a fresh PostgreSQL database (which is dropped afterwards). Without
/// `MSME_TEST_POSTGRES_URL` the PostgreSQL run is skipped, and says so, except in CI, where it
/// fails.
pub async fn on_postgres<F, Fut>(story: F)
where
    F: FnOnce(App) -> Fut,
    Fut: std::future::Future<Output = App>,
{
    let Some(admin_url) = server_url() else {
        return;
    };
    let db = TestDb::create(&admin_url).await;
    let app = App::spawn(Some(db.url.clone())).await;
    assert_eq!(app.platform.store().backend_name(), "postgres");
    let app = story(app).await;
    app.stop().await;
    db.drop_now().await;
}
