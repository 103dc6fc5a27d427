//! `msme ledger stress` (hidden): many concurrent escrow moves with retried idempotency keys,
//! for the crash test, which SIGKILLs it at random points and runs it again.
//!
//! The first run picks published listings and buyers and writes the plan to
//! `<data dir>/stress-plan.json` (atomically); every later run reads it, so every run makes the
//! same requests under the same keys: `stress.open.I`, `stress.fund.I`, `stress.release.I.J`.
//! A run prints `ack KEY` once a funding or release under KEY has been acknowledged (its
//! receipt returned: committed, or replayed), then `done` when every move is acknowledged.
//! Some calls are repeated with the same key, one after the other or two at once; a repeat
//! must come back replayed.

use std::collections::VecDeque;
use std::io::Write as _;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{bail, Context};
use msme_core::error::DomainError;
use msme_core::escrow_service::{MoneyError, Receipt};
use msme_core::ledger::{Escrow, EscrowId, EscrowTermsInput, IdempotencyKey, MilestoneInput};
use msme_core::listing::{ListingQuery, ListingStatus, ListingView};
use msme_core::rbac::Actor;
use msme_core::types::{ListingId, Role, UserId};
use msme_core::{Platform, RequestMeta};
use serde_json::{json, Value};

use super::Ctx;
use crate::cli::StressArgs;

/// One escrow of the plan: a listing, its seller and a buyer.
#[derive(Clone, Debug)]
struct Deal {
    listing: ListingId,
    seller: UserId,
    buyer: UserId,
}

/// Each milestone is ₹1,000.00: no amount ends in a digit the sandbox fails on.
const MILESTONE_PAISE: i64 = 1_00_000;

pub async fn run(ctx: &Ctx, args: &StressArgs) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let path = ctx.settings()?.data_dir.join("stress-plan.json");
    let deals = Arc::new(plan(&platform, &path, args.escrows).await?);
    let queue = Arc::new(Mutex::new((0..deals.len()).collect::<VecDeque<_>>()));
    let mut workers = tokio::task::JoinSet::<anyhow::Result<()>>::new();
    for _ in 0..args.concurrency.max(1) {
        let (platform, deals, queue) = (platform.clone(), deals.clone(), queue.clone());
        let (milestones, seed) = (args.milestones, args.seed);
        workers.spawn(async move {
            loop {
                let next = queue.lock().expect("queue").pop_front();
                let Some(i) = next else { return Ok(()) };
                let mut rng = Rng(seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
                move_deal(&platform, i, &deals[i], milestones, &mut rng).await?;
            }
        });
    }
    while let Some(done) = workers.join_next().await {
        done.context("a stress worker panicked")??;
    }
    say("done");
    Ok(())
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// The deals of the plan file, or new ones (written atomically before any is used).
async fn plan(platform: &Platform, path: &Path, n: usize) -> anyhow::Result<Vec<Deal>> {
    if let Ok(text) = std::fs::read_to_string(path) {
        let v: Value = serde_json::from_str(&text).context("reading the stress plan")?;
        let deal = |d: &Value| -> Option<Deal> {
            Some(Deal {
                listing: ListingId::parse(d["listing"].as_str()?).ok()?,
                seller: UserId::parse(d["seller"].as_str()?).ok()?,
                buyer: UserId::parse(d["buyer"].as_str()?).ok()?,
            })
        };
        let deals: Option<Vec<Deal>> = v.as_array().and_then(|a| a.iter().map(deal).collect());
        return deals.context("the stress plan is not a list of deals");
    }
    let op = Actor::operator();
    let buyers: Vec<UserId> = platform
        .users()
        .list(&op, None, 500)
        .await?
        .into_iter()
        .filter(|u| u.role == Role::Buyer)
        .map(|u| u.id)
        .collect();
    if buyers.is_empty() {
        bail!("no buyer accounts: run `msme demo` first");
    }
    let listings = published(platform, n).await?;
    if listings.len() < n {
        bail!(
            "{n} published listings are needed, there are {}",
            listings.len()
        );
    }
    let deals: Vec<Deal> = listings
        .into_iter()
        .enumerate()
        .map(|(i, (listing, seller))| Deal {
            listing,
            seller,
            buyer: buyers[i % buyers.len()].clone(),
        })
        .collect();
    let json: Vec<Value> = deals
        .iter()
        .map(|d| {
            json!({"listing": d.listing.as_str(), "seller": d.seller.as_str(),
                        "buyer": d.buyer.as_str()})
        })
        .collect();
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_vec(&json)?)?;
    std::fs::File::open(&tmp)?.sync_all()?;
    std::fs::rename(&tmp, path)?;
    Ok(deals)
}

/// Up to `n` published listings with their sellers.
async fn published(platform: &Platform, n: usize) -> anyhow::Result<Vec<(ListingId, UserId)>> {
    let mut found = Vec::new();
    let mut query = ListingQuery {
        statuses: vec![ListingStatus::Published],
        limit: 200,
        ..ListingQuery::default()
    };
    loop {
        let (page, next) = platform
            .listings()
            .list(&Actor::operator(), query.clone())
            .await?;
        for view in page {
            if let ListingView::Full(f) = view {
                found.push((f.listing.id.clone(), f.listing.seller_id.clone()));
            }
        }
        match next {
            Some(cursor) if found.len() < n => {
                query.after = Some(msme_core::listing::ListingCursor::decode(&cursor)?);
            }
            _ => break,
        }
    }
    found.truncate(n);
    Ok(found)
}

fn key(s: String) -> IdempotencyKey {
    IdempotencyKey::parse(&s).expect("a stress key is valid")
}

/// Opens, funds and releases one deal; every call retried under its key until acknowledged.
async fn move_deal(
    p: &Platform,
    i: usize,
    d: &Deal,
    milestones: u32,
    rng: &mut Rng,
) -> anyhow::Result<()> {
    let input = EscrowTermsInput {
        listing_id: d.listing.clone(),
        buyer_id: d.buyer.clone(),
        seller_id: d.seller.clone(),
        amount_paise: MILESTONE_PAISE * i64::from(milestones),
        platform_fee_bps: 100,
        agent_id: None,
        agent_commission_bps: 0,
        milestones: MilestoneInput::numbered((0..milestones).map(|_| MILESTONE_PAISE)),
    };
    let (meta, op) = (RequestMeta::with_request_id("stress"), Actor::operator());
    let open = key(format!("stress.open.{i}"));
    let escrow = until_acknowledged(&open, rng, || async {
        p.escrows().create(&meta, &op, &open, input.clone()).await
    })
    .await?;
    let id: EscrowId = escrow.id;
    let fund = key(format!("stress.fund.{i}"));
    until_acknowledged(&fund, rng, || async {
        p.escrows().fund(&meta, &op, &fund, &id).await
    })
    .await?;
    say(&format!("ack {fund}"));
    let mut order: Vec<u32> = (0..milestones).collect();
    rng.shuffle(&mut order);
    for j in order {
        let k = key(format!("stress.release.{i}.{j}"));
        let name = format!("m{j}");
        until_acknowledged(&k, rng, || async {
            p.escrows().release(&meta, &op, &k, &id, &name).await
        })
        .await?;
        say(&format!("ack {k}"));
    }
    Ok(())
}

/// Calls `call` until it returns a receipt, sometimes again (or twice at once) with the same
/// key, which must then be a replay of the same escrow.
async fn until_acknowledged<F, Fut>(
    key: &IdempotencyKey,
    rng: &mut Rng,
    call: F,
) -> anyhow::Result<Escrow>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<Receipt<Escrow>, MoneyError>>,
{
    for attempt in 0..200 {
        let result = if rng.below(8) == 0 {
            let (a, b) = tokio::join!(call(), call());
            both_once(key, a, b)
        } else {
            call().await
        };
        match result {
            Ok(first) => {
                if rng.below(4) == 0 {
                    let again = call().await;
                    check_replay(key, &first, again)?;
                }
                return Ok(first.value);
            }
            Err(e) if retryable(&e) => {
                tokio::time::sleep(Duration::from_millis(1 + attempt % 20)).await;
            }
            Err(e) => return Err(e).with_context(|| format!("request {key}")),
        }
    }
    bail!("request {key} was never acknowledged")
}

/// Two concurrent calls with one key: at most one may have acted.
fn both_once(
    key: &IdempotencyKey,
    a: Result<Receipt<Escrow>, MoneyError>,
    b: Result<Receipt<Escrow>, MoneyError>,
) -> Result<Receipt<Escrow>, MoneyError> {
    if let (Ok(x), Ok(y)) = (&a, &b) {
        assert!(
            x.replayed || y.replayed,
            "two concurrent requests with key {key} both acted"
        );
    }
    a.or(b)
}

fn check_replay(
    key: &IdempotencyKey,
    first: &Receipt<Escrow>,
    again: Result<Receipt<Escrow>, MoneyError>,
) -> anyhow::Result<()> {
    let again = again.with_context(|| format!("repeating {key}"))?;
    if !again.replayed || again.value.id != first.value.id {
        bail!("repeating {key} acted again instead of replaying");
    }
    Ok(())
}

/// A concurrent move of the same escrow, or a gateway that did not answer: retry the key.
fn retryable(e: &MoneyError) -> bool {
    matches!(
        e.code(),
        "concurrent_update" | "gateway_timeout" | "gateway_unavailable"
    ) || matches!(e, MoneyError::Store(s) if s.kind() == msme_core::ErrorKind::Unavailable)
}

/// SplitMix64: a small seeded generator, enough to vary retries and order.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            v.swap(i, j);
        }
    }
}
