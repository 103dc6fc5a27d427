//! Keeping every buyer's saved matches current, as the indexer keeps the search index: it
//! follows the audit log with a stored cursor (consumer [`MATCHMAKER_CONSUMER`]).
//!
//! - A buyer whose preferences changed gets a fresh ranking of the whole catalog.
//! - When listings change (or are valued, or their seller's KYC changes), every other buyer's
//!   saved matches lose those listings and gain them back scored anew; a buyer left with
//!   fewer than [`SAVED_MATCHES`] while more listings exist is ranked afresh.
//! - A newly adopted ranking model re-ranks everyone.
//!
//! A crash before the cursor moves replays the entries, which is harmless.

use std::collections::BTreeSet;

use super::matches::{rank, saved_match, Ranked};
use super::{BuyerPreferences, Catalog, MatchError, Matchmaking, SavedMatch, Weights};
use crate::audit::AuditEntry;
use crate::listing::ListingId;
use crate::search::Refresh;
use crate::types::UserId;

/// The name under which the matchmaker keeps its audit cursor.
pub const MATCHMAKER_CONSUMER: &str = "matchmaker";

/// Matches kept per buyer.
pub const SAVED_MATCHES: usize = 50;

const AUDIT_PAGE: u32 = 1000;

/// Keeps saved matches current; get one from [`Matchmaking::matchmaker`].
pub struct Matchmaker<'a> {
    pub(crate) m: Matchmaking<'a>,
}

/// What a catch-up did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MatchRefresh {
    pub entries: u64,
    /// Buyers whose saved matches were rewritten.
    pub buyers: u64,
    pub cursor: i64,
}

/// What a page of entries asks for.
#[derive(Debug, Default)]
struct Changes {
    listings: BTreeSet<ListingId>,
    sellers: BTreeSet<UserId>,
    buyers: BTreeSet<UserId>,
    everyone: bool,
}

impl Changes {
    fn of(entries: &[AuditEntry]) -> Self {
        let r = Refresh::of(entries);
        let mut c = Changes {
            listings: r.listings,
            sellers: r.sellers,
            ..Changes::default()
        };
        for e in entries.iter().map(|e| &e.event) {
            let details =
                || serde_json::from_str::<serde_json::Value>(&e.details).unwrap_or_default();
            match e.action.as_str() {
                "buyer_preferences.updated" => {
                    c.buyers.insert(UserId::from_trusted(e.entity_id.clone()));
                }
                "valuation.created" => {
                    if let Some(id) = details()["listing_id"].as_str() {
                        c.listings.insert(ListingId::from_trusted(id.to_string()));
                    }
                }
                "ranking_model.trained" => c.everyone |= details()["adopted"] == true,
                _ => {}
            }
        }
        c
    }
}

/// A buyer's matches after `changed` listings changed: those dropped, then scored anew.
/// `None` when the buyer must be ranked afresh (fewer than [`SAVED_MATCHES`] left while the
/// catalog has more).
fn merged(
    catalog: &Catalog,
    preferences: &BuyerPreferences,
    weights: &Weights,
    current: &[SavedMatch],
    changed: &BTreeSet<ListingId>,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Vec<SavedMatch>> {
    let wants = super::features::Wants::new(preferences, &catalog.vocab);
    let mut out: Vec<SavedMatch> = current
        .iter()
        .filter(|m| !changed.contains(&m.listing))
        .cloned()
        .collect();
    for id in changed {
        if let Some(c) = catalog.get(id) {
            let raw = weights.raw(&super::features::features(&wants, c));
            out.push(saved_match(
                catalog,
                preferences,
                weights,
                &Ranked { raw, candidate: c },
                now,
            ));
        }
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.listing.cmp(&b.listing))
    });
    out.truncate(SAVED_MATCHES);
    let short = out.len() < SAVED_MATCHES && out.len() < catalog.len();
    (!short).then_some(out)
}

impl Matchmaker<'_> {
    /// Applies every audit entry after the stored cursor to the saved matches.
    pub async fn catch_up(&self) -> Result<MatchRefresh, MatchError> {
        let store = &self.m.p.inner.store;
        let mut done = MatchRefresh {
            cursor: store.consumer_cursor(MATCHMAKER_CONSUMER).await?,
            ..MatchRefresh::default()
        };
        loop {
            let page = store.audit_page(done.cursor, AUDIT_PAGE).await?;
            let Some(last) = page.last().map(|e| e.seq) else {
                return Ok(done);
            };
            done.buyers += self.apply(Changes::of(&page)).await?;
            store.set_consumer_cursor(MATCHMAKER_CONSUMER, last).await?;
            done.entries += page.len() as u64;
            done.cursor = last;
        }
    }

    /// Rewrites the saved matches a page of changes touches; returns how many buyers'.
    async fn apply(&self, mut c: Changes) -> Result<u64, MatchError> {
        if c.listings.is_empty() && c.sellers.is_empty() && c.buyers.is_empty() && !c.everyone {
            return Ok(0);
        }
        let store = &self.m.p.inner.store;
        let buyers = self.m.all_preferences().await?;
        if buyers.is_empty() {
            return Ok(0);
        }
        let weights = self.m.weights().await?;
        let catalog = self.m.catalog().current().await?;
        c.listings.extend(
            catalog
                .candidates
                .iter()
                .filter(|x| c.sellers.contains(&x.seller))
                .map(|x| x.id.clone()),
        );
        let now = self.m.p.now();
        let mut written = 0;
        for b in &buyers {
            let fresh = c.everyone || c.buyers.contains(&b.buyer);
            if !fresh && c.listings.is_empty() {
                continue;
            }
            let current = store.saved_matches(&b.buyer).await?;
            let next = match fresh {
                false => merged(
                    &catalog,
                    &b.preferences,
                    &weights,
                    &current,
                    &c.listings,
                    now,
                ),
                true => None,
            };
            let next = next.unwrap_or_else(|| {
                rank(&catalog, &b.preferences, &weights, SAVED_MATCHES)
                    .iter()
                    .map(|r| saved_match(&catalog, &b.preferences, &weights, r, now))
                    .collect()
            });
            if !same(&next, &current) {
                store.replace_saved_matches(&b.buyer, &next).await?;
                written += 1;
            }
        }
        Ok(written)
    }
}

/// Same listings, scores and reasons (times aside).
fn same(a: &[SavedMatch], b: &[SavedMatch]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.listing == y.listing && x.score == y.score && x.reasons == y.reasons)
}
