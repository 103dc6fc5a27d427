//! The README's walk-through, end to end: the real server on a random port, over HTTP, on the
//! embedded SQLite default and on PostgreSQL. Register, verify the mobile by OTP (read from the
//! outbox as an operator would), log in, refresh, and see a reused refresh token end the session.

use std::io::Write;
use std::net::SocketAddr;

use msme::backends::{init, open_platform, Overrides, Settings};
use msme::core::rbac::Actor;
use msme::Platform;
use serde_json::{json, Value};

struct App {
    base: String,
    http: reqwest::Client,
    platform: Platform,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
    _dir: tempfile::TempDir,
}

impl App {
    async fn spawn(database_url: Option<String>) -> App {
        let dir = tempfile::tempdir().expect("tempdir");
        let overrides = Overrides {
            data_dir: Some(dir.path().into()),
            database_url,
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
            stop: Some(tx),
            server,
            _dir: dir,
        }
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
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

    async fn get(&self, path: &str, token: &str) -> (u16, Value) {
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

    async fn stop(mut self) {
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

async fn walk_through(app: &App) {
    let account = json!({"name": "Asha Rao", "mobile": "98765 43210", "email": "asha@example.in",
                         "password": "chai-and-ledgers", "role": "seller"});
    let (status, user) = app.post("/v1/auth/register", account).await;
    assert_eq!(status, 201, "{user}");
    assert_eq!(user["mobile"], "+919876543210");

    let (status, _) = app
        .post("/v1/auth/send-otp", json!({"mobile": "9876543210"}))
        .await;
    assert_eq!(status, 202);
    let outbox = app
        .platform
        .outbox()
        .list(&Actor::operator(), None, 10)
        .await
        .expect("outbox");
    let code: String = outbox
        .last()
        .expect("an SMS")
        .body
        .chars()
        .take(6)
        .collect();
    let (status, _) = app
        .post(
            "/v1/auth/verify-otp",
            json!({"mobile": "9876543210", "otp": code}),
        )
        .await;
    assert_eq!(status, 200);

    let login = json!({"mobile": "9876543210", "password": "chai-and-ledgers"});
    let (status, tokens) = app.post("/v1/auth/login", login).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    let access = tokens["access_token"].as_str().expect("access token");
    let (status, me) = app.get("/v1/me", access).await;
    assert_eq!(
        (status, me["id"].clone(), me["mobile_verified"].clone()),
        (200, user["id"].clone(), json!(true))
    );

    let old = tokens["refresh_token"].clone();
    let (status, fresh) = app
        .post("/v1/auth/refresh-token", json!({"refresh_token": old}))
        .await;
    assert_eq!(status, 200);
    let (status, err) = app
        .post("/v1/auth/refresh-token", json!({"refresh_token": old}))
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (401, Some("refresh_token_reused"))
    );
    let newer = fresh["refresh_token"].clone();
    let (status, _) = app
        .post("/v1/auth/refresh-token", json!({"refresh_token": newer}))
        .await;
    assert_eq!(status, 401, "reuse revoked the whole session");
    let (status, _) = app
        .get("/v1/me", fresh["access_token"].as_str().unwrap())
        .await;
    assert_eq!(status, 401);

    let verdict = app
        .platform
        .audit()
        .verify(&Actor::operator())
        .await
        .expect("verify");
    assert!(
        verdict.to_string().starts_with("audit chain intact"),
        "{verdict}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readme_walk_through_on_sqlite() {
    let app = App::spawn(None).await;
    assert_eq!(app.platform.store().backend_name(), "sqlite");
    walk_through(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readme_walk_through_on_postgres() {
    let Ok(admin_url) = std::env::var("MSME_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must set MSME_TEST_POSTGRES_URL"
        );
        // Written straight to stderr, which the test harness does not capture.
        let _ = writeln!(
            std::io::stderr(),
            "PostgreSQL walk-through skipped: set MSME_TEST_POSTGRES_URL"
        );
        return;
    };
    let (name, url) = fresh_database(&admin_url).await;
    let app = App::spawn(Some(url)).await;
    assert_eq!(app.platform.store().backend_name(), "postgres");
    walk_through(&app).await;
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
