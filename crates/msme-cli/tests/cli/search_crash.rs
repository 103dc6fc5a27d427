//! The crash the search index must survive, on the real binary: `msme serve` is killed (it
//! aborts, by the `MSME_FAILPOINT` hook) after the database committed published listings and
//! before its index held them. The index lacks them (`msme search check` says so); a restarted
//! server catches up from the audit log and finds them, misspelt, over HTTP.

#![cfg(unix)]

use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::{block_on, example_csv, Msme};
use crate::serve::{first_line, Server};
use msme_core::listing::ListingAction;
use msme_core::rbac::Actor;
use msme_core::types::ListingId;
use msme_core::{Platform, RequestMeta};
use serde_json::{json, Value};

/// `msme serve` on a free port, with `env`; returns it and its URL.
fn serve(m: &Msme, env: &[(&str, &str)]) -> (Server, String) {
    let mut cmd = m.command(&["serve", "--addr", "127.0.0.1:0", "--json"]);
    cmd.stdout(Stdio::piped()).stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut server = Server(cmd.spawn().unwrap());
    let line = first_line(&mut server.0, Duration::from_secs(60));
    let announced: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    (server, announced["url"].as_str().unwrap().to_string())
}

/// The store beside the running server, without its index (which the server holds).
async fn beside(m: &Msme) -> Platform {
    let overrides = msme_backends::Overrides {
        data_dir: Some(m.data_dir.clone()),
        database_url: None,
    };
    let settings = msme_backends::Settings::load(&overrides).unwrap();
    let db = msme_backends::open_database(&settings.database_url)
        .await
        .unwrap();
    Platform::builder(db.store.clone(), settings.jwt_secret.unwrap())
        .gateway(db.sandbox_gateway())
        .build()
        .unwrap()
}

/// Submits, approves and publishes each listing; the commits happen here, the index writes
/// are the server's.
async fn publish(p: &Platform, ids: &[String]) {
    let (meta, operator) = (RequestMeta::default(), Actor::operator());
    for id in ids {
        let id = ListingId::parse(id).unwrap();
        for action in [
            ListingAction::Submit,
            ListingAction::Approve,
            ListingAction::Publish,
        ] {
            p.listings()
                .transition(&meta, &operator, &id, action, None)
                .await
                .unwrap();
        }
    }
}

/// A buyer's access token, registered and signed in over HTTP.
async fn buyer_token(url: &str) -> String {
    let http = reqwest::Client::new();
    let body = json!({"name": "Ravi Iyer", "mobile": "9812345678", "password": "correct horse battery", "role": "buyer"});
    let res = http
        .post(format!("{url}/v1/auth/register"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let login = json!({"mobile": "9812345678", "password": "correct horse battery"});
    let res = http
        .post(format!("{url}/v1/auth/login"))
        .json(&login)
        .send()
        .await
        .unwrap();
    let tokens: Value = res.json().await.unwrap();
    tokens["access_token"].as_str().unwrap().to_string()
}

#[test]
fn a_server_killed_between_commit_and_index_write_finds_the_listings_after_restart() {
    let m = Msme::initialised();
    m.create_user("Asha Rao", "9876543210", "seller");
    m.json(&[
        "listing",
        "import",
        &example_csv(),
        "--seller",
        "9876543210",
    ]);
    let mut ids: Vec<String> = m.json(&["listing", "list"])["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();

    let failpoint = [(
        msme_backends::FAILPOINT_VAR,
        msme_backends::ABORT_BEFORE_INDEX_WRITE,
    )];
    let (mut server, _) = serve(&m, &failpoint);
    block_on(async { publish(&beside(&m).await, &ids).await });
    // The server's catch-up comes within a second, reaches the index write, and dies there.
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the server never reached the index write"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(
        status.signal(),
        Some(6),
        "killed by SIGABRT, not a clean exit: {status}"
    );

    let out = m.run(&["search", "check", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the index lacks what was committed"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut missing: Vec<String> = report["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    missing.sort();
    assert_eq!(missing, ids);

    let (server, url) = serve(&m, &[]);
    let found = block_on(async {
        let token = buyer_token(&url).await;
        let http = reqwest::Client::new();
        let res = http
            .post(format!("{url}/v1/search"))
            .bearer_auth(token)
            .json(&json!({"query": "orgnic spices"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        res.json::<Value>().await.unwrap()
    });
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(
        found["items"][0]["title"],
        "Organic spice processing and export"
    );
    drop(server);
    assert_eq!(m.json(&["search", "check"])["consistent"], true);
}
