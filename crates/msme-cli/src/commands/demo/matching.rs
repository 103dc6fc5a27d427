//! The demo's matching data: every demo buyer's preferences, and the interactions the
//! generator simulates ([`msme_demo::interactions`]), recorded through the core as the
//! operator, so `msme match evaluate` has something to learn from on a fresh install.

use std::collections::HashMap;

use anyhow::Context;
use msme_core::rbac::Actor;
use msme_core::types::{ListingId, UserId};
use msme_core::Platform;
use msme_demo::{interactions, DemoMarketplace};

use super::{run_bounded, Outcome};
use crate::commands::Ctx;
use crate::progress;

/// What was loaded.
#[derive(Clone, Copy, Debug, Default)]
pub struct Loaded {
    pub preferences: usize,
    pub interactions: usize,
}

/// Stores every demo buyer's preferences and records the simulated interactions.
pub async fn load(
    ctx: &Ctx,
    platform: &Platform,
    market: &DemoMarketplace,
    ids: &[UserId],
    outcomes: &[Outcome],
) -> anyhow::Result<Loaded> {
    let (meta, operator) = (ctx.meta(), Actor::operator());
    let m = platform.matching();
    let mut loaded = Loaded::default();
    for (account, id) in market.accounts.iter().zip(ids) {
        if let Some(p) = &account.preferences {
            m.set_preferences_of(&meta, &operator, id, &p.to_input())
                .await
                .with_context(|| format!("storing the preferences of demo buyer {id}"))?;
            loaded.preferences += 1;
        }
    }
    let listing: HashMap<usize, ListingId> =
        outcomes.iter().map(|o| (o.index, o.id.clone())).collect();
    let simulated = interactions(market);
    let bar = progress::items(&ctx.out, simulated.len() as u64, "interactions");
    let jobs = simulated
        .into_iter()
        .map(|i| {
            let (p, meta, bar) = (platform.clone(), meta.clone(), bar.clone());
            let buyer = ids.get(i.buyer).cloned();
            let listing = listing.get(&i.listing).cloned();
            async move {
                let (Some(buyer), Some(listing)) = (buyer, listing) else {
                    anyhow::bail!("a demo interaction names an account or listing not loaded");
                };
                p.matching()
                    .record_for(&meta, &Actor::operator(), &buyer, &listing, i.kind)
                    .await
                    .context("recording a demo interaction")?;
                bar.inc(1);
                Ok(())
            }
        })
        .collect();
    loaded.interactions = run_bounded(jobs, 4).await?.len();
    bar.finish_and_clear();
    Ok(loaded)
}
