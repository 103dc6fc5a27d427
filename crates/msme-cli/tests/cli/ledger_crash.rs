//! The crash test: `msme ledger stress` makes thousands of escrow moves at once with retried
//! idempotency keys against a real SQLite file, and is SIGKILLed at random points, then run
//! again, several times. Afterwards `msme ledger verify` must pass and every acknowledged
//! transfer must be in the ledger exactly once.
//!
//! `MSME_CRASH_ESCROWS` (default 40, 50 transfers each) and `MSME_CRASH_KILLS` (default 5)
//! make it larger for manual runs.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::BIN;
use msme_testkit::Msme;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A small generator for kill times; the seed is printed so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// One run of the stress command; killed after `kill_after` unless it finishes first.
/// Returns whether it was killed while still working.
fn run_once(
    m: &Msme,
    args: &[String],
    kill_after: Option<Duration>,
    acked: &Arc<Mutex<BTreeSet<String>>>,
) -> bool {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut child = m
        .command(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let seen = acked.clone();
    let finished = Arc::new(Mutex::new(false));
    let done = finished.clone();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(key) = line.strip_prefix("ack ") {
                seen.lock().unwrap().insert(key.to_string());
            } else if line == "done" {
                *done.lock().unwrap() = true;
            }
        }
    });
    let started = Instant::now();
    let mut killed = false;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            reader.join().unwrap();
            let mut err = String::new();
            let _ = std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err);
            assert!(status.success(), "stress run failed: {err}");
            break;
        }
        if kill_after.is_some_and(|t| started.elapsed() >= t) {
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            reader.join().unwrap();
            killed = !*finished.lock().unwrap();
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    killed
}

#[test]
fn sigkilled_stress_runs_lose_and_double_nothing() {
    let escrows = setting("MSME_CRASH_ESCROWS", 40);
    let kills = setting("MSME_CRASH_KILLS", 5);
    let m = Msme::new(BIN);
    let listings = (escrows * 3 / 2 + 20).to_string();
    m.json(&["demo", "--seed", "11", "--listings", &listings]);
    let args: Vec<String> = [
        "ledger",
        "stress",
        "--escrows",
        &escrows.to_string(),
        "--milestones",
        "50",
        "--concurrency",
        "16",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut rng = Lcg(seed);
    let acked = Arc::new(Mutex::new(BTreeSet::new()));
    let mut survived = 0;
    for _ in 0..kills {
        let after = Duration::from_millis(300 + rng.below(1700));
        if run_once(&m, &args, Some(after), &acked) {
            survived += 1;
        }
    }
    run_once(&m, &args, None, &acked);

    let verified = m.json(&["ledger", "verify"]);
    assert_eq!(verified["clean"], true, "{verified}");
    m.ok(&["audit", "verify"]);
    let db = rusqlite::Connection::open(m.database()).unwrap();
    let mut st = db
        .prepare("SELECT idempotency_key, COUNT(*) FROM ledger_entries GROUP BY idempotency_key")
        .unwrap();
    let entries: BTreeMap<String, i64> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let acked = acked.lock().unwrap();
    let lost = acked.iter().filter(|k| !entries.contains_key(*k)).count();
    let doubled = entries.values().filter(|n| **n > 1).count();
    println!(
        "crash test (seed {seed}): kills survived {survived} of {kills}, transfers acknowledged {}, \
         in the ledger {}, lost {lost}, doubled {doubled}",
        acked.len(),
        entries.len()
    );
    assert_eq!((lost, doubled), (0, 0));
    assert_eq!(
        acked.len(),
        escrows * 51,
        "every transfer acknowledged by the last run"
    );
    assert_eq!(
        entries.len(),
        acked.len(),
        "no transfer in the ledger that was never asked for"
    );
    assert!(survived >= 1, "at least one run was killed while working");
}
