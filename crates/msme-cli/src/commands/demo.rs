//! `msme demo`: a fresh data directory filled with the generated demo marketplace
//! ([`msme_demo::generate`]).
//!
//! Everything goes through the core as the operator, as real data would: accounts through
//! `users().create`, listings through `listings().import` (one transaction per seller, as
//! drafts), then the workflow (submit, approve, publish) up to each listing's target status.
//! Work runs a few jobs at a time: Argon2 hashing is bounded by the platform's hasher anyway.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Instant;

use anyhow::{bail, Context};
use indicatif::ProgressBar;
use msme_core::listing::{ListingAction, ListingInput, ListingStatus};
use msme_core::model::ComparableSource;
use msme_core::rbac::Actor;
use msme_core::types::{ListingId, UserId};
use msme_core::{Platform, RequestMeta};
use msme_demo::{generate, DemoListing, DemoMarketplace};

use super::Ctx;
use crate::cli::DemoArgs;
use crate::error::InputError;
use crate::progress;

mod matching;
mod summary;

/// What became of one demo listing: the status it was meant for and the one it reached.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub target: ListingStatus,
    pub reached: ListingStatus,
    /// The listing's index in the generated marketplace, and its id.
    pub index: usize,
    pub id: ListingId,
}

/// Generates the marketplace and loads it into a fresh data directory.
pub async fn demo(ctx: &Ctx, args: &DemoArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let settings = ctx.initialised_settings()?;
    let platform = msme_backends::open_platform(&settings).await?;
    refuse_used(&platform).await?;
    let market = generate(args.seed, args.listings as usize);
    let ids = create_accounts(ctx, &platform, &market).await?;
    let accounts_took = started.elapsed();
    let outcomes = create_listings(ctx, &platform, &market, &ids).await?;
    // The closed deals become comparable deals, so `msme model train` works out of the box.
    platform
        .models()
        .add_comparables(
            &ctx.meta(),
            &Actor::operator(),
            ComparableSource::Demo,
            &msme_demo::comparables(args.seed, &market.closed_deals),
        )
        .await
        .context("adding the demo's closed deals as comparable deals")?;
    let matching = matching::load(ctx, &platform, &market, &ids, &outcomes).await?;
    let took = summary::Took {
        accounts: accounts_took,
        total: started.elapsed(),
    };
    summary::emit(ctx, &market, &outcomes, took, &matching)
}

/// Demo data goes only where there is nothing to mix it with.
async fn refuse_used(platform: &Platform) -> anyhow::Result<()> {
    let existing = platform.users().list(&Actor::operator(), None, 1).await?;
    if !existing.is_empty() {
        return Err(InputError(
            "this data directory already has accounts; `msme demo` fills only a fresh one \
             (pass a new --data-dir)"
                .into(),
        )
        .into());
    }
    Ok(())
}

/// How many jobs run at once: enough to keep every core hashing.
fn parallelism() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get() * 2)
}

/// Runs `jobs` with at most `limit` at once; results in job order. The first failure ends the
/// run (dropping the set aborts the jobs still running).
async fn run_bounded<T, F>(jobs: Vec<F>, limit: usize) -> anyhow::Result<Vec<T>>
where
    F: Future<Output = anyhow::Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let mut results: Vec<Option<T>> = (0..jobs.len()).map(|_| None).collect();
    let mut running = tokio::task::JoinSet::new();
    let mut pending = jobs.into_iter().enumerate();
    loop {
        while running.len() < limit.max(1) {
            let Some((i, job)) = pending.next() else {
                break;
            };
            running.spawn(async move { (i, job.await) });
        }
        let Some(done) = running.join_next().await else {
            break;
        };
        let (i, result) = done.context("a demo task stopped")?;
        results[i] = Some(result?);
    }
    Ok(results.into_iter().flatten().collect())
}

/// Creates every account (one Argon2 hash each); their ids in the marketplace's order.
async fn create_accounts(
    ctx: &Ctx,
    platform: &Platform,
    market: &DemoMarketplace,
) -> anyhow::Result<Vec<UserId>> {
    let bar = progress::items(&ctx.out, market.accounts.len() as u64, "accounts");
    let jobs = market
        .accounts
        .iter()
        .map(|a| {
            let (p, meta, bar) = (platform.clone(), ctx.meta(), bar.clone());
            let (account, mobile) = (a.new_account(), a.mobile.to_string());
            async move {
                let created = p
                    .users()
                    .create(&meta, &Actor::operator(), account)
                    .await
                    .with_context(|| format!("creating the demo account {mobile}"))?;
                bar.inc(1);
                Ok(created.user.id)
            }
        })
        .collect();
    let ids = run_bounded(jobs, parallelism()).await?;
    bar.finish_and_clear();
    Ok(ids)
}

/// Imports each seller's listings and drives each to its target status.
async fn create_listings(
    ctx: &Ctx,
    platform: &Platform,
    market: &DemoMarketplace,
    ids: &[UserId],
) -> anyhow::Result<Vec<Outcome>> {
    let bar = progress::items(&ctx.out, market.listings.len() as u64, "listings");
    let mut by_seller: BTreeMap<usize, Vec<(usize, DemoListing)>> = BTreeMap::new();
    for (i, l) in market.listings.iter().enumerate() {
        by_seller
            .entry(l.seller)
            .or_default()
            .push((i + 1, l.clone()));
    }
    let mut jobs = Vec::with_capacity(by_seller.len());
    for (seller, listings) in by_seller {
        let id = ids
            .get(seller)
            .with_context(|| format!("demo listing owned by account {seller}, which is missing"))?
            .clone();
        let (p, meta, bar) = (platform.clone(), ctx.meta(), bar.clone());
        jobs.push(async move { load_seller(&p, &meta, &id, &listings, &bar).await });
    }
    let outcomes = run_bounded(jobs, parallelism()).await?;
    bar.finish_and_clear();
    Ok(outcomes.into_iter().flatten().collect())
}

/// One seller's listings: imported as drafts in one transaction, then moved along.
async fn load_seller(
    p: &Platform,
    meta: &RequestMeta,
    seller: &UserId,
    listings: &[(usize, DemoListing)],
    bar: &ProgressBar,
) -> anyhow::Result<Vec<Outcome>> {
    let rows: Vec<(usize, ListingInput)> = listings
        .iter()
        .map(|(n, l)| (*n, l.input.clone()))
        .collect();
    let report = p
        .listings()
        .import(meta, &Actor::operator(), seller, &rows, false)
        .await
        .context("importing demo listings")?;
    if let Some(e) = report.errors.first() {
        bail!(
            "demo listing {} failed its checks ({}: {}); the generator has a bug",
            e.line,
            e.field,
            e.reason
        );
    }
    let made: std::collections::HashMap<usize, ListingId> = report.listings.into_iter().collect();
    let mut outcomes = Vec::with_capacity(listings.len());
    for (n, l) in listings {
        let id = made
            .get(n)
            .with_context(|| format!("demo listing {n} was not imported"))?;
        let reached = drive(p, meta, id, l.status).await?;
        outcomes.push(Outcome {
            target: l.status,
            reached,
            index: n - 1,
            id: id.clone(),
        });
        bar.inc(1);
    }
    Ok(outcomes)
}

/// The workflow steps to a status, and the status they reach. Listings meant to be under offer
/// or sold stop at published: only an escrow moves them further, and the core has none yet.
fn path_to(target: ListingStatus) -> (&'static [ListingAction], ListingStatus) {
    use ListingAction::{Approve, Publish, Reject, Submit, Withdraw};
    use ListingStatus as S;
    match target {
        S::Draft => (&[], S::Draft),
        S::Submitted => (&[Submit], S::Submitted),
        S::Approved => (&[Submit, Approve], S::Approved),
        S::Published | S::UnderOffer | S::Sold => (&[Submit, Approve, Publish], S::Published),
        S::Rejected => (&[Submit, Reject], S::Rejected),
        S::Withdrawn => (&[Withdraw], S::Withdrawn),
    }
}

/// Moves a draft along the workflow as the operator; returns the status reached.
async fn drive(
    p: &Platform,
    meta: &RequestMeta,
    id: &ListingId,
    target: ListingStatus,
) -> anyhow::Result<ListingStatus> {
    let (steps, reached) = path_to(target);
    let operator = Actor::operator();
    for &action in steps {
        let reason = (action == ListingAction::Reject)
            .then_some("Demo: the figures need supporting documents.");
        p.listings()
            .transition(meta, &operator, id, action, reason)
            .await
            .with_context(|| format!("moving demo listing {id} ({})", action.as_str()))?;
    }
    Ok(reached)
}
