//! The real server on a random port over a temporary data directory, for the end-to-end
//! tests of the facade: on the embedded SQLite default, or on a fresh PostgreSQL database.
#![allow(dead_code)]

use std::io::Write;
use std::net::SocketAddr;

use msme::backends::{init, open_platform, Overrides, Settings};
use msme::Platform;
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

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn post_auth(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let res = self
            .http
            .post(url)
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn put_auth(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let res = self
            .http
            .put(url)
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        let res = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
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

/// Settings come from the test, not from the machine's environment.
fn no_env(_: &str) -> Option<String> {
    None
}

/// Runs `story` on SQLite, or on a fresh PostgreSQL database (which is dropped afterwards).
/// Without `MSME_TEST_POSTGRES_URL` the PostgreSQL run is skipped, and says so, except in CI,
/// where it fails.
pub async fn on_postgres<F, Fut>(story: F)
where
    F: FnOnce(App) -> Fut,
    Fut: std::future::Future<Output = App>,
{
    let Ok(admin_url) = std::env::var("MSME_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must set MSME_TEST_POSTGRES_URL"
        );
        // Written straight to stderr, which the test harness does not capture.
        let _ = writeln!(
            std::io::stderr(),
            "PostgreSQL end-to-end test skipped: set MSME_TEST_POSTGRES_URL"
        );
        return;
    };
    let (name, url) = fresh_database(&admin_url).await;
    let app = App::spawn(Some(url)).await;
    assert_eq!(app.platform.store().backend_name(), "postgres");
    let app = story(app).await;
    app.stop().await;
    drop_database(&admin_url, &name).await;
}

/// A new, empty database on the server the admin URL points at.
async fn fresh_database(admin_url: &str) -> (String, String) {
    use sqlx::Connection;
    let name = format!("msme_walk_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(admin_url)
        .await
        .expect("PostgreSQL reachable");
    // The name is made here from a UUID, never from input.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create database");
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(admin_url);
    let url = format!("{base}/{name}");
    (name, url)
}

async fn drop_database(admin_url: &str, name: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(admin_url)
        .await
        .expect("PostgreSQL reachable");
    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await
        .expect("drop database");
}
