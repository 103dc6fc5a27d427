//! Matching figures, and a real `msme serve` on a data directory holding every listing, its
//! tantivy index loaded: HTTP search and matching latency and the server's resident memory.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use msme_core::audit::{AuditActor, AuditEvent};
use msme_core::auth::NewAccount;
use msme_core::matching::{
    rank_listings, BuyerPreferences, BuyerPreferencesInput, Candidate, Catalog, Vocabulary, Weights,
};
use msme_core::ports::{Store, User};
use serde_json::{json, Value};

use crate::data::{Queries, Rows};
use crate::measure::{latency, ms};

fn buyer_preferences() -> BuyerPreferences {
    BuyerPreferences::parse(&BuyerPreferencesInput {
        sectors: vec!["machinery".into(), "auto_components".into()],
        states: vec!["MH".into(), "GJ".into(), "TN".into()],
        ticket_min_paise: Some(1_00_00_000_00),
        ticket_max_paise: Some(8_00_00_000_00),
        ebitda_margin_min_pct: Some(10),
        keywords: vec!["cnc".into(), "export".into()],
        ..BuyerPreferencesInput::default()
    })
    .expect("preferences")
}

/// Ranks one buyer against every listing in memory, as `for_buyer` does after its catalog is
/// built.
pub fn matching_in_process(rows: &Rows) {
    let started = Instant::now();
    let mut vocab = Vocabulary::default();
    let candidates: Vec<Candidate> = rows
        .listings
        .iter()
        .zip(&rows.docs)
        .map(|(l, d)| Candidate::new(d, l.seller_id.clone(), None, &mut vocab))
        .collect();
    let catalog = Catalog::from_candidates(vocab, candidates);
    let built = started.elapsed();
    let (prefs, weights) = (buyer_preferences(), Weights::default());
    let mut times: Vec<Duration> = (0..50)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(rank_listings(&catalog, &prefs, &weights, 20));
            t.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "matching, one buyer against {} listings (in memory)",
        catalog.len()
    );
    println!("  catalog built in {:.0} ms", ms(built));
    println!(
        "  ranking p50 {:.2} ms  p99 {:.2} ms  (target under 50 ms)",
        ms(times[25]),
        ms(times[49])
    );
}

fn event(action: &str, id: &str) -> AuditEvent {
    AuditEvent {
        at: chrono::Utc::now(),
        actor: AuditActor::Operator,
        action: action.into(),
        entity_type: if action.starts_with("listing") {
            "listing"
        } else {
            "user"
        }
        .into(),
        entity_id: id.into(),
        request_id: None,
        details: "{}".into(),
    }
}

/// Stores the sellers (one hash for all: no Argon2 per account) and every listing, published.
async fn fill(store: &dyn Store, rows: &Rows) {
    let now = chrono::Utc::now();
    for (i, id) in rows.sellers.iter().enumerate() {
        let account = NewAccount::parse(
            &format!("Bench Seller {i}"),
            &format!("+9170{i:08}"),
            Some(&format!("seller{i}@example.com")),
            "bench password",
            "seller",
        )
        .expect("a bench seller");
        let hash = "$argon2id$v=19$m=19456,t=2,p=1$YmVuY2g$bench".into();
        let user = User::active(id.clone(), account, hash, now);
        store
            .create_user(&user, event("user.created", id.as_str()))
            .await
            .expect("seller");
    }
    for chunk in rows.listings.chunks(5000) {
        let audits = chunk
            .iter()
            .map(|l| event("listing.created", l.id.as_str()))
            .collect();
        store
            .create_listings(chunk, audits)
            .await
            .expect("listings");
    }
}

/// Resident and peak memory of a process, in MB, from `/proc`.
fn memory(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (kb("VmRSS:") / 1024.0, kb("VmHWM:") / 1024.0)
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

fn msme(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_msme"));
    c.arg("--data-dir")
        .arg(data)
        .env_remove("DATABASE_URL")
        .env_remove("MSME_DATA_DIR");
    c
}

/// Starts `msme serve` and returns it with its URL.
fn serve(data: &Path) -> (Server, String) {
    let mut child = msme(data)
        .args(["serve", "--addr", "127.0.0.1:0", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("msme serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("url");
    let url: Value = serde_json::from_str(&line).expect("announced JSON");
    (Server(child), url["url"].as_str().expect("url").to_string())
}

/// Loads the data directory: sellers, listings, and the index built by `reindex`.
async fn prepare(data: &Path, rows: &Rows) {
    let ok = msme(data)
        .arg("init")
        .stdout(Stdio::null())
        .status()
        .expect("init");
    assert!(ok.success());
    let overrides = msme_backends::Overrides {
        data_dir: Some(data.into()),
        database_url: None,
    };
    let settings = msme_backends::Settings::load(&overrides).expect("settings");
    let started = Instant::now();
    let store = msme_backends::open_store(&settings.database_url)
        .await
        .expect("store");
    fill(&*store, rows).await;
    println!(
        "  stored {} listings of {} sellers in SQLite in {:.1} s",
        rows.listings.len(),
        rows.sellers.len(),
        started.elapsed().as_secs_f64()
    );
    drop(store);
    let platform = msme_backends::open_platform_unsynced(&settings)
        .await
        .expect("platform");
    let started = Instant::now();
    let n = platform
        .search()
        .indexer()
        .reindex(&mut |_| {})
        .await
        .expect("reindex");
    let secs = started.elapsed().as_secs_f64();
    println!("  msme search reindex (store pages of 200 to tantivy): {n} listings in {secs:.1} s, {:.0} listings/s", n as f64 / secs);
}

async fn http_json(http: &reqwest::Client, req: reqwest::RequestBuilder) -> Value {
    let _ = http;
    let res = req.send().await.expect("request");
    assert!(res.status().is_success(), "{}", res.status());
    res.json().await.expect("json")
}

/// A buyer signed in over HTTP; returns (id, token).
async fn buyer(http: &reqwest::Client, url: &str) -> (String, String) {
    let body = json!({"name": "Bench Buyer", "mobile": "9812345678", "password": "correct horse battery", "role": "buyer"});
    let made = http_json(
        http,
        http.post(format!("{url}/v1/auth/register")).json(&body),
    )
    .await;
    let login = json!({"mobile": "9812345678", "password": "correct horse battery"});
    let tokens = http_json(http, http.post(format!("{url}/v1/auth/login")).json(&login)).await;
    let token = tokens["access_token"].as_str().expect("token").to_string();
    (made["id"].as_str().expect("id").to_string(), token)
}

/// The server part: HTTP search and matching latency, and resident memory.
pub async fn run(dir: &Path, rows: &Rows, q: &Queries) {
    println!(
        "\nmsme serve with {} listings (SQLite, tantivy index in the data directory)",
        rows.listings.len()
    );
    let data = dir.join("data");
    prepare(&data, rows).await;
    let (server, url) = serve(&data);
    let pid = server.0.id();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (rss, _) = memory(pid);
    println!("  resident memory after start:            {rss:>6.1} MB");
    let http = reqwest::Client::new();
    let (buyer_id, token) = buyer(&http, &url).await;
    let search = |r: &msme_core::search::SearchRequest| {
        let body = json!({"query": r.query, "filters": {"state": r.filters.state.map(|s| s.code), "asking_price_max_paise": r.filters.asking_price_max_paise.map(|p| p.get())}});
        let req = http
            .post(format!("{url}/v1/search"))
            .bearer_auth(&token)
            .json(&body);
        async move {
            http_json(&reqwest::Client::new(), req).await["total"]
                .as_u64()
                .unwrap_or(0)
        }
    };
    println!(
        "  POST /v1/search plain     {}",
        latency(&q.plain, 1, search).await
    );
    println!(
        "  POST /v1/search filtered  {}",
        latency(&q.filtered, 1, search).await
    );
    println!(
        "  POST /v1/search misspelt  {}",
        latency(&q.misspelt, 1, search).await
    );
    let (rss, _) = memory(pid);
    println!("  resident memory after 300 searches:     {rss:>6.1} MB");
    let body = json!({"buyer_id": buyer_id, "limit": 20});
    // Saving preferences wakes the matcher, which builds the catalog from the store on its
    // first run and ranks every listing for the buyer.
    let started = Instant::now();
    let prefs = serde_json::to_value(buyer_preferences().to_input()).expect("prefs");
    let put = http.put(format!("{url}/v1/buyer-preferences"));
    http_json(&http, put.bearer_auth(&token).json(&prefs)).await;
    loop {
        let get = http.get(format!("{url}/v1/matches/{buyer_id}"));
        let saved = http_json(&http, get.bearer_auth(&token)).await;
        if saved["items"].as_array().is_some_and(|i| !i.is_empty()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "  saved matches ready {:.0} ms after the preferences were saved (catalog built from the store)",
        ms(started.elapsed())
    );
    let calls: Vec<u8> = vec![0; 20];
    let matching = |_: &u8| {
        let req = http
            .post(format!("{url}/v1/matchmaking"))
            .bearer_auth(&token)
            .json(&body);
        async move {
            http_json(&reqwest::Client::new(), req).await["items"]
                .as_array()
                .map_or(0, |i| i.len() as u64)
        }
    };
    println!(
        "  POST /v1/matchmaking (ranks every listing, shows 20) {}",
        latency(&calls, 1, matching).await
    );
    let (rss, peak) = memory(pid);
    println!("  resident memory with index and catalog: {rss:>6.1} MB (peak {peak:.1} MB; target under 256 MB)");
    drop(server);
}
