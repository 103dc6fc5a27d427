//! The runtime on the real binary: beside `msme serve` it follows changes another process (the
//! CLI) makes, within 2 s; as `msme worker`, two processes on one PostgreSQL hand the stream
//! over without handling any event twice or skipping one.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::{demo_deal, release, BIN};
use msme_testkit::{block_on, until, Msme, Running};

/// Latency the issue promises from a committed change to its effect in a running server.
const FOLLOW_WITHIN: Duration = Duration::from_secs(2);

fn login(http: &reqwest::blocking::Client, url: &str, mobile: &str) -> String {
    let res = http
        .post(format!("{url}/v1/auth/login"))
        .json(&json!({"mobile": mobile, "password": "msme-demo-2026"}))
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json::<Value>().unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string()
}

fn search_ids(http: &reqwest::blocking::Client, url: &str, token: &str) -> Vec<String> {
    let res = http
        .post(format!("{url}/v1/search"))
        .bearer_auth(token)
        .json(&json!({"limit": 50}))
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    let page: Value = res.json().unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect()
}

/// The indexer's and matcher's lag behind the stream, as `msme worker status` shows it.
fn caught_up(m: &Msme) -> bool {
    let status = m.json(&["worker", "status"]);
    let lag = |name: &str| {
        status
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["consumer"] == name)
            .map(|c| c["lag"].as_i64().unwrap())
    };
    lag("search-indexer") == Some(0) && lag("matcher") == Some(0)
}

/// Every buyer's saved matches, read through the library beside the server.
fn matched_listings(m: &Msme) -> Vec<String> {
    let buyers = m.ids_of_role("buyer");
    block_on(async {
        let store = msme_backends::open_store(&m.database_url()).await.unwrap();
        let mut out = Vec::new();
        for b in buyers {
            let id = msme_core::types::UserId::from_trusted(b);
            let saved = store.saved_matches(&id).await.unwrap();
            out.extend(saved.into_iter().map(|s| s.listing.as_str().to_string()));
        }
        out
    })
}

fn a_listing_changed_through_the_cli_is_searchable_and_matched_within_2s(m: Msme) {
    let demo = m.json(&["demo", "--seed", "7", "--listings", "12"]);
    let approved = m.json(&["listing", "list", "--status", "approved"]);
    let listing = approved["items"][0]["id"].as_str().unwrap().to_string();
    let server = m.serve(&[]);
    let url = server.url();
    let http = reqwest::blocking::Client::new();
    let token = login(&http, &url, demo["try"]["buyer"].as_str().unwrap());
    until("caught up at start", Duration::from_secs(60), || {
        caught_up(&m).then_some(())
    });
    assert!(!search_ids(&http, &url, &token).is_empty());
    assert!(!search_ids(&http, &url, &token).contains(&listing));
    assert!(!matched_listings(&m).contains(&listing));

    // Published by the operator through the CLI: another process, nothing over HTTP.
    m.json(&["listing", "publish", &listing]);
    let published = Instant::now();
    until("searchable", FOLLOW_WITHIN, || {
        search_ids(&http, &url, &token)
            .contains(&listing)
            .then_some(())
    });
    until(
        "matched",
        FOLLOW_WITHIN.saturating_sub(published.elapsed()),
        || matched_listings(&m).contains(&listing).then_some(()),
    );

    m.json(&["listing", "withdraw", &listing]);
    until("gone from search", FOLLOW_WITHIN, || {
        (!search_ids(&http, &url, &token).contains(&listing)).then_some(())
    });
    until("gone from matches", FOLLOW_WITHIN, || {
        (!matched_listings(&m).contains(&listing)).then_some(())
    });
    let status = m.json(&["worker", "status"]);
    for c in status.as_array().unwrap() {
        assert_eq!(c["dead_letters"], 0, "{status}");
    }
}

fn a_release_made_through_the_cli_is_paid_out_by_the_server(m: Msme) {
    let deal = demo_deal(&m);
    let _server = m.serve(&[]);
    let amount = ["--amount-paise", "1000000", "--milestone", "all=1000000"];
    let mut terms = vec!["--platform-fee-bps", "250", "--key", "open-1"];
    terms.extend(amount);
    let opened = m.json(&deal.create(&terms));
    let id = opened["id"].as_str().unwrap().to_string();
    m.json(&["escrow", "fund", &id, "--key", "fund-1"]);
    assert_eq!(m.json(&["payouts", "list"])["items"], json!([]));
    let done = m.json(&release(&id, "all", "r1"));
    assert_eq!(done["state"], "released");
    let payout = until("the seller's payout settled", FOLLOW_WITHIN * 5, || {
        let list = m.json(&["payouts", "list"]);
        let items = list["items"].as_array().unwrap().clone();
        (items.len() == 1 && items[0]["state"] == "settled").then(|| items[0].clone())
    });
    assert_eq!(payout["amount_paise"], 1000000 - 25_000, "{payout}");
}

msme_testkit::on_each_backend!(cli(crate::common::BIN):
    a_listing_changed_through_the_cli_is_searchable_and_matched_within_2s,
    a_release_made_through_the_cli_is_paid_out_by_the_server,
);

/// `msme worker` with the runtime's debug log as JSON lines on stderr, kept by a thread.
struct Worker {
    child: Running,
    log: std::sync::mpsc::Receiver<String>,
}

fn worker(m: &Msme) -> Worker {
    let mut child = m
        .command(&["worker", "--json"])
        .env("RUST_LOG", "warn,msme_core::runtime=debug")
        .env("MSME_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, log) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let child = Running::started(child);
    let started = &child.first_line;
    assert!(started.contains("consumers"), "{started}");
    Worker { child, log }
}

impl Worker {
    /// Stops it as an operator would (SIGTERM: it finishes its batch and gives its leases up).
    fn stop(mut self) -> Vec<Value> {
        self.child.terminate();
        let status = self.child.child.wait().unwrap();
        assert!(status.success(), "the worker stops cleanly: {status}");
        std::mem::drop(self.child);
        let mut lines = Vec::new();
        while let Ok(line) = self.log.recv_timeout(Duration::from_secs(5)) {
            lines.push(line);
        }
        lines
            .iter()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|l| l["fields"]["message"] == "events handled")
            .map(|l| l["fields"].clone())
            .collect()
    }
}

const EVENTS: usize = 10_000;

/// Appends events, half of them listing changes the indexer and matcher act on.
fn append_events(m: &Msme, range: std::ops::Range<usize>) {
    block_on(async {
        let store = msme_backends::open_store(&m.database_url()).await.unwrap();
        let event = |i: usize| msme_core::audit::AuditEvent {
            at: chrono::Utc::now(),
            actor: msme_core::audit::AuditActor::System,
            action: if i.is_multiple_of(2) {
                "listing.updated"
            } else {
                "test.tick"
            }
            .into(),
            entity_type: if i.is_multiple_of(2) {
                "listing"
            } else {
                "test"
            }
            .into(),
            entity_id: format!("0190aaaa-0000-7000-8000-{i:012}"),
            request_id: None,
            details: "{}".into(),
        };
        for chunk in range.collect::<Vec<_>>().chunks(8) {
            let appends = chunk.iter().map(|&i| store.append_audit(event(i)));
            for done in futures_util::future::join_all(appends).await {
                done.unwrap();
            }
        }
    });
}

#[cfg(unix)]
#[test]
fn two_workers_on_postgres_hand_the_stream_over_without_doing_an_event_twice() {
    let Some(m) = Msme::initialised_on_postgres(BIN) else {
        return;
    };
    let head_before = m.json(&["audit", "verify"])["entries"].as_i64().unwrap();
    let first = worker(&m);
    let second = worker(&m);
    append_events(&m, 0..EVENTS / 2);
    // The first worker holds every consumer (it started first); stopping it hands them over.
    let from_first = first.stop();
    append_events(&m, EVENTS / 2..EVENTS);
    let head = head_before + EVENTS as i64;
    until(
        "the second worker caught up",
        Duration::from_secs(120),
        || {
            let status = m.json(&["worker", "status"]);
            let rows = status.as_array().unwrap().clone();
            (rows.len() >= 6 && rows.iter().all(|r| r["cursor"] == head)).then_some(())
        },
    );
    let from_second = second.stop();
    assert!(
        !from_first.is_empty() && !from_second.is_empty(),
        "both worked"
    );

    // Per consumer, the batches of both workers tile 1..=head: none twice, none skipped.
    let mut batches: BTreeMap<String, Vec<(i64, i64, String)>> = BTreeMap::new();
    for b in from_first.iter().chain(&from_second) {
        let consumer = b["consumer"].as_str().unwrap().to_string();
        let range = (
            b["first"].as_i64().unwrap(),
            b["last"].as_i64().unwrap(),
            b["worker"].as_str().unwrap().to_string(),
        );
        batches.entry(consumer).or_default().push(range);
    }
    assert!(batches.len() >= 6, "{:?}", batches.keys());
    for (consumer, mut ranges) in batches {
        ranges.sort();
        let mut next = 1;
        for (first, last, _) in &ranges {
            assert_eq!(*first, next, "{consumer}: a gap or an overlap at {first}");
            next = last + 1;
        }
        assert_eq!(next, head + 1, "{consumer} reached the head");
        let workers: std::collections::BTreeSet<&str> =
            ranges.iter().map(|r| r.2.as_str()).collect();
        assert_eq!(
            workers.len(),
            2,
            "{consumer}: handed over from one worker to the other"
        );
    }
}
