//! Escrow transfer throughput with full durability, printed as figures: every milestone
//! release is one transfer (one transaction: idempotency key, escrow compare-and-set, balance
//! rows with the overdraft guard, a balanced journal entry, the audit entry; committed with
//! SQLite `synchronous=FULL` / PostgreSQL `fsync` and `synchronous_commit` on), on SQLite and
//! PostgreSQL, one at a time and from 8 clients, and in batches (many releases per
//! transaction). Beside them, `pgbench`'s built-in TPC-B-like script on the same PostgreSQL,
//! in a scratch database made and dropped here, as the machine's reference rate.
//!
//! `cargo bench --bench escrow` (set `MSME_TEST_POSTGRES_URL` to include PostgreSQL and
//! pgbench; `MSME_BENCH_ESCROWS` for more escrows, 25 releases each).

use std::time::Instant;

use msme::backends::Database;
use msme::core::auth::NewAccount;
use msme::core::ledger::{EscrowId, EscrowTermsInput, IdempotencyKey, MilestoneInput};
use msme::core::listing::ListingAction;
use msme::core::rbac::Actor;
use msme::core::types::UserId;
use msme::{Platform, RequestMeta};

const MILESTONES: usize = 25;
const CLIENTS: usize = 8;
const PGBENCH_SECONDS: u32 = 10;

mod common;

fn main() {
    common::run(
        &format!(
            "msme escrow transfer benchmark, {} escrows x {MILESTONES} releases",
            escrows()
        ),
        run(),
    );
}

async fn run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sqlite = common::sqlite(&dir).await;
    measure("sqlite", sqlite).await;
    let Some((db, pg)) = common::postgres().await else {
        return;
    };
    measure("postgres", pg).await;
    match pg::pgbench(&db.url) {
        Ok(tps) => common::report_rate(
            &format!("pgbench TPC-B-like (same PostgreSQL, {CLIENTS} clients, {PGBENCH_SECONDS}s)"),
            tps,
        ),
        Err(e) => println!("pgbench: could not run ({e})"),
    }
    db.drop_now().await;
}

/// Escrows funded and ready to release, and who is who.
struct Bench {
    p: Platform,
    escrows: Vec<EscrowId>,
}

async fn measure(backend: &str, db: Database) {
    let b = prepare(db).await;
    // A sixteenth one at a time, three sixteenths from 8 clients, the rest in batches.
    let e = b.escrows.len();
    let (serial, rest) = b.escrows.split_at(e / 16);
    let (concurrent, rest) = rest.split_at(e * 3 / 16);
    let (batched_one, batched_many) = rest.split_at(rest.len() / 3);
    let start = Instant::now();
    let n = release_all(&b.p, serial, 1, "s").await;
    common::report(
        &format!("escrow transfer ({backend}, durable, 1 client)"),
        n,
        start.elapsed(),
    );
    let start = Instant::now();
    let n = release_all(&b.p, concurrent, CLIENTS, "c").await;
    common::report(
        &format!("escrow transfer ({backend}, durable, {CLIENTS} clients)"),
        n,
        start.elapsed(),
    );
    let start = Instant::now();
    let n = release_batches(&b.p, batched_one, 1).await;
    let size = batched_one.len();
    common::report(
        &format!("escrow transfer ({backend}, batches of {size}, 1 client)"),
        n,
        start.elapsed(),
    );
    let start = Instant::now();
    let n = release_batches(&b.p, batched_many, CLIENTS).await;
    let size = batched_many.len() / CLIENTS;
    common::report(
        &format!("escrow transfer ({backend}, batches of {size}, {CLIENTS} clients)"),
        n,
        start.elapsed(),
    );
}

/// Releases every milestone of `escrows` in batches (one milestone of each of a client's
/// escrows per batch), `clients` at a time; returns how many transfers were made.
async fn release_batches(p: &Platform, escrows: &[EscrowId], clients: usize) -> usize {
    use msme::core::escrow_service::ReleaseRequest;
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let p = p.clone();
            let mine: Vec<EscrowId> = escrows.iter().skip(c).step_by(clients).cloned().collect();
            tokio::spawn(async move {
                let (m, op) = (RequestMeta::default(), Actor::operator());
                let mut n = 0;
                for j in 0..MILESTONES {
                    let batch: Vec<ReleaseRequest> = mine
                        .iter()
                        .map(|id| ReleaseRequest {
                            key: IdempotencyKey::parse(&format!("b-{id}-{j}")).expect("key"),
                            escrow: id.clone(),
                            milestone: format!("m{j}"),
                        })
                        .collect();
                    for answer in p.escrows().release_batch(&m, &op, &batch).await {
                        answer.expect("release");
                        n += 1;
                    }
                }
                n
            })
        })
        .collect();
    counted(tasks).await
}

async fn prepare(db: Database) -> Bench {
    let p = common::platform(&db);
    let (m, op) = (RequestMeta::default(), Actor::operator());
    let make = |name: &str, mobile: &str, role: &str| {
        NewAccount::parse(name, mobile, None, "bench-password-1", role).expect("account")
    };
    let seller = p
        .users()
        .create(&m, &op, make("Bench Seller", "9000000201", "seller"))
        .await;
    let seller = seller.expect("seller").user.id;
    let buyer = p
        .users()
        .create(&m, &op, make("Bench Buyer", "9000000202", "buyer"))
        .await;
    let buyer = buyer.expect("buyer").user.id;
    let inputs: Vec<_> = msme::demo::generate(3, escrows())
        .listings
        .into_iter()
        .map(|l| l.input)
        .collect();
    let mut ids = Vec::new();
    for (n, input) in inputs.into_iter().enumerate() {
        let rows = [(1, input)];
        let made = p
            .listings()
            .import(&m, &op, &seller, &rows, false)
            .await
            .expect("listing");
        let listing = made.listings[0].1.clone();
        for action in ListingAction::TO_PUBLISHED {
            p.listings()
                .transition(&m, &op, &listing, action, None)
                .await
                .expect("workflow");
        }
        let terms = terms(listing, &seller, &buyer);
        let key = |s: String| IdempotencyKey::parse(&s).expect("key");
        let e = p
            .escrows()
            .create(&m, &op, &key(format!("open-{n}")), terms)
            .await
            .expect("open");
        let id = e.value.id;
        p.escrows()
            .fund(&m, &op, &key(format!("fund-{n}")), &id)
            .await
            .expect("fund");
        ids.push(id);
    }
    Bench { p, escrows: ids }
}

fn terms(
    listing: msme::core::types::ListingId,
    seller: &UserId,
    buyer: &UserId,
) -> EscrowTermsInput {
    EscrowTermsInput {
        listing_id: listing,
        buyer_id: buyer.clone(),
        seller_id: seller.clone(),
        amount_paise: 1_00_000 * MILESTONES as i64,
        platform_fee_bps: 250,
        agent_id: None,
        agent_commission_bps: 0,
        milestones: MilestoneInput::numbered([1_00_000; MILESTONES]),
    }
}

/// Releases every milestone of `escrows`, `clients` at a time (each client its own escrows,
/// one release after another); returns how many transfers were made.
async fn release_all(p: &Platform, escrows: &[EscrowId], clients: usize, tag: &str) -> usize {
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let p = p.clone();
            let mine: Vec<EscrowId> = escrows.iter().skip(c).step_by(clients).cloned().collect();
            let tag = tag.to_string();
            tokio::spawn(async move {
                let (m, op) = (RequestMeta::default(), Actor::operator());
                let mut n = 0;
                for id in &mine {
                    for j in 0..MILESTONES {
                        let key = IdempotencyKey::parse(&format!("{tag}-{id}-{j}")).expect("key");
                        p.escrows()
                            .release(&m, &op, &key, id, &format!("m{j}"))
                            .await
                            .expect("release");
                        n += 1;
                    }
                }
                n
            })
        })
        .collect();
    counted(tasks).await
}

mod pg {
    /// Runs pgbench's TPC-B-like script (scale 1, its own `pgbench_*` tables) in the scratch
    /// database at `url` and returns its transactions per second.
    pub fn pgbench(url: &str) -> Result<f64, String> {
        let run = |args: Vec<String>| {
            std::process::Command::new("pgbench")
                .args(args)
                .output()
                .map_err(|e| e.to_string())
        };
        let init = run(vec![
            "-i".into(),
            "-s".into(),
            "1".into(),
            "-q".into(),
            url.into(),
        ]);
        let bench = init.and_then(|i| {
            if !i.status.success() {
                return Err(String::from_utf8_lossy(&i.stderr).into_owned());
            }
            run(vec![
                "-c".into(),
                super::CLIENTS.to_string(),
                "-j".into(),
                "2".into(),
                "-T".into(),
                super::PGBENCH_SECONDS.to_string(),
                url.into(),
            ])
        });
        let out = bench?;
        let text = String::from_utf8_lossy(&out.stdout);
        text.lines()
            .find_map(|l| l.strip_prefix("tps = "))
            .and_then(|l| l.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("no tps in pgbench's output: {text}"))
    }
}

/// The sum of what the tasks counted.
async fn counted(tasks: Vec<tokio::task::JoinHandle<usize>>) -> usize {
    let mut total = 0;
    for t in tasks {
        total += t.await.expect("task");
    }
    total
}

fn escrows() -> usize {
    common::count_from_env("MSME_BENCH_ESCROWS", 128)
}
