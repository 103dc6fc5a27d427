//! Auth throughput, printed as figures: access-token verification, refresh rotations on SQLite
//! and PostgreSQL, and password logins against the Argon2 concurrency bound.
//!
//! `cargo bench --bench auth` (set `MSME_TEST_POSTGRES_URL` to include PostgreSQL).

use std::time::{Duration, Instant};

use msme::core::auth::{LoginId, NewAccount, TokenKeys, TokenPair};
use msme::core::types::{Mobile, Password, Secret};
use msme::{Platform, RequestMeta};

const PASSWORD: &str = "bench-password-1";

mod common;

fn main() {
    common::run("msme auth benchmark", run());
}

async fn run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sqlite = common::sqlite(&dir).await;
    let platform = common::platform(&sqlite);
    let tokens = seed(&platform, "9000000001").await;
    jwt_verification(&tokens).await;
    authenticate(&platform, &tokens).await;
    refresh_rotations(&platform, "sqlite", "9000000002").await;
    logins(&platform).await;
    if let Some((db, pg)) = common::postgres().await {
        let platform = common::platform(&pg);
        refresh_rotations(&platform, "postgres", "9000000003").await;
        drop(platform);
        db.drop_now().await;
    }
}

async fn seed(p: &Platform, mobile: &str) -> TokenPair {
    let account =
        NewAccount::parse("Bench User", mobile, None, PASSWORD, "buyer").expect("account");
    p.auth()
        .register(&RequestMeta::default(), account)
        .await
        .expect("register");
    login(p, mobile).await
}

async fn login(p: &Platform, mobile: &str) -> TokenPair {
    let id = LoginId::Mobile(Mobile::parse(mobile).expect("mobile"));
    let pw = Password::parse(PASSWORD).expect("password");
    p.auth()
        .login(&RequestMeta::default(), &id, &pw, None)
        .await
        .expect("login")
}

async fn jwt_verification(tokens: &TokenPair) {
    let keys = TokenKeys::new(&Secret::new(common::SECRET)).expect("keys");
    let now = chrono::Utc::now();
    let n = 200_000;
    let start = Instant::now();
    for _ in 0..n {
        keys.verify(&tokens.access_token, now).expect("valid");
    }
    common::report(
        "access-token verification (JWT only, 1 thread)",
        n,
        start.elapsed(),
    );
}

async fn authenticate(p: &Platform, tokens: &TokenPair) {
    let n = 20_000;
    let start = Instant::now();
    for _ in 0..n {
        p.auth()
            .authenticate(&tokens.access_token)
            .await
            .expect("valid");
    }
    common::report(
        "authenticate (JWT + live-session check, sqlite)",
        n,
        start.elapsed(),
    );
}

async fn refresh_rotations(p: &Platform, backend: &str, mobile: &str) {
    let mut tokens = seed(p, mobile).await;
    let budget = Duration::from_secs(3);
    let start = Instant::now();
    let mut n = 0;
    while start.elapsed() < budget {
        tokens = p
            .auth()
            .refresh(&RequestMeta::default(), &tokens.refresh_token)
            .await
            .expect("refresh");
        n += 1;
    }
    common::report(
        &format!("refresh rotations ({backend}, durable, 1 client)"),
        n,
        start.elapsed(),
    );
}

async fn logins(p: &Platform) {
    let clients = 8;
    let per_client = 10;
    let start = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let p = p.clone();
            tokio::spawn(async move {
                for _ in 0..per_client {
                    login(&p, "9000000001").await;
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
    let bound = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    common::report(
        &format!("password logins (Argon2id 19MiB/t2, bound {bound}, {clients} clients)"),
        clients * per_client,
        start.elapsed(),
    );
}
