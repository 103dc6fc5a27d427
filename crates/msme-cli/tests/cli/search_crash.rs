//! The crash the search index must survive, on the real binary: `msme serve` is killed (it
//! aborts, by the `MSME_FAILPOINT` hook) after the database committed published listings and
//! before its index held them. The index lacks them (`msme search check` says so); a restarted
//! server catches up from the audit log and finds them, misspelt, over HTTP.

#![cfg(unix)]

use std::os::unix::process::ExitStatusExt;
use std::time::Duration;

use crate::common::{seller_with_examples, BIN};
use msme_testkit::{block_on, move_listings, Msme, PASSWORD, TO_PUBLISHED};
use serde_json::{json, Value};

/// A buyer's access token, registered and signed in over HTTP.
async fn buyer_token(url: &str) -> String {
    let http = reqwest::Client::new();
    let post = |path: &str, body: Value| http.post(format!("{url}{path}")).json(&body).send();
    let body =
        json!({"name": "Ravi Iyer", "mobile": "9812345678", "password": PASSWORD, "role": "buyer"});
    let res = post("/v1/auth/register", body).await.unwrap();
    assert_eq!(res.status(), 201);
    let login = json!({"mobile": "9812345678", "password": PASSWORD});
    let res = post("/v1/auth/login", login).await.unwrap();
    let tokens: Value = res.json().await.unwrap();
    tokens["access_token"].as_str().unwrap().to_string()
}

#[test]
fn a_server_killed_between_commit_and_index_write_finds_the_listings_after_restart() {
    let m = Msme::initialised(BIN);
    let (_, mut ids) = seller_with_examples(&m);
    ids.sort();

    let failpoint = [(
        msme_backends::FAILPOINT_VAR,
        msme_backends::ABORT_BEFORE_INDEX_WRITE,
    )];
    let mut server = m.serve(&failpoint);
    // The store beside the running server, without its index (which the server holds).
    block_on(async { move_listings(&m.platform_without_index().await, &ids, &TO_PUBLISHED).await });
    // The server's catch-up comes within a second, reaches the index write, and dies there.
    let status = server.exit_within(
        Duration::from_secs(30),
        "the server never reached the index write",
    );
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

    let server = m.serve(&[]);
    let url = server.url();
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
