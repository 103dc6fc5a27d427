//! Reads do not write: a buyer's views wait in the server's memory and are written in batches
//! off the request path, so a server killed without warning loses at most its last second of
//! views, and no view is an audit entry.

use std::time::Duration;

use crate::common::{seller_with_examples, BIN};
use msme_testkit::{move_listings, Msme, PASSWORD, TO_PUBLISHED};
use serde_json::{json, Value};

fn count(m: &Msme, sql: &str) -> i64 {
    let db = rusqlite::Connection::open(m.database()).unwrap();
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[cfg(unix)]
#[tokio::test]
async fn a_killed_server_keeps_every_view_older_than_a_second() {
    let m = Msme::initialised(BIN);
    let (_, ids) = seller_with_examples(&m);
    move_listings(&m.platform().await, &ids, &TO_PUBLISHED).await;
    m.create_user("Ravi Iyer", "9812345678", "buyer");
    let mut server = m.serve(&[]);
    let url = server.url();
    let http = reqwest::Client::new();
    let login = json!({"mobile": "9812345678", "password": PASSWORD});
    let res = http.post(format!("{url}/v1/auth/login")).json(&login);
    let tokens: Value = res.send().await.unwrap().json().await.unwrap();
    let token = tokens["access_token"].as_str().unwrap().to_string();
    let audited = count(&m, "SELECT count(*) FROM audit_log");

    for round in 0..10 {
        for id in &ids {
            let res = http
                .get(format!("{url}/v1/listings/{id}"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "round {round}");
        }
    }
    // Older than a second, then the server dies without a chance to flush.
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    server.child.kill().unwrap();
    server.child.wait().unwrap();

    let views = "SELECT count(*) FROM interactions WHERE kind = 'view'";
    assert_eq!(count(&m, views), 10 * ids.len() as i64, "every view kept");
    let after = count(&m, "SELECT count(*) FROM audit_log");
    assert_eq!(after, audited, "views are not audit entries");
}
