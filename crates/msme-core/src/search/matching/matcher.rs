//! Keeping every buyer's saved matches current, as the indexer keeps the search index: the
//! runtime hands it the events of the stream (consumer [`MATCHER_CONSUMER`]).
//!
//! - A buyer whose preferences changed gets a fresh ranking of the whole catalog.
//! - When listings change (or are valued, or their seller's KYC changes), every other buyer's
//!   saved matches lose those listings and gain them back scored anew; a buyer left with
//!   fewer than [`SAVED_MATCHES`] while more listings exist is ranked afresh.
//! - A newly adopted ranking model re-ranks everyone.
//!
//! A crash before the cursor moves replays the events, which is harmless.

use std::collections::BTreeSet;

use super::matches::{rank, saved_match, Ranked};
use super::{BuyerPreferences, Catalog, MatchError, Matching, SavedMatch, Weights};
use crate::events::{Event, EventKind, MatchingEvent, ValuationEvent};
use crate::listing::ListingId;
use crate::search::Refresh;
use crate::types::UserId;

pub use crate::runtime::MATCHER_CONSUMER;

/// Matches kept per buyer.
pub const SAVED_MATCHES: usize = 50;

/// Keeps saved matches current; get one from [`Matching::matcher`].
pub struct Matcher<'a> {
    pub(crate) m: Matching<'a>,
}

/// What a batch of events asks for.
#[derive(Debug, Default)]
struct Changes {
    listings: BTreeSet<ListingId>,
    sellers: BTreeSet<UserId>,
    buyers: BTreeSet<UserId>,
    everyone: bool,
}

impl Changes {
    fn of(events: &[Event]) -> Self {
        let r = Refresh::of_events(events);
        let mut c = Changes {
            listings: r.listings,
            sellers: r.sellers,
            ..Changes::default()
        };
        for e in events {
            match &e.kind {
                EventKind::Matching(MatchingEvent::PreferencesUpdated { buyer }) => {
                    c.buyers.insert(buyer.clone());
                }
                EventKind::Valuation(ValuationEvent::Created {
                    listing: Some(listing),
                }) => {
                    c.listings.insert(listing.clone());
                }
                EventKind::Matching(MatchingEvent::RankingModelTrained { adopted }) => {
                    c.everyone |= adopted;
                }
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

impl Matcher<'_> {
    /// Rewrites the saved matches these events touch; returns how many buyers'. The runtime's
    /// [`MATCHER_CONSUMER`] calls this.
    pub(crate) async fn apply(&self, events: &[Event]) -> Result<u64, MatchError> {
        self.apply_changes(Changes::of(events)).await
    }

    /// Rewrites the saved matches a page of changes touches; returns how many buyers'.
    async fn apply_changes(&self, mut c: Changes) -> Result<u64, MatchError> {
        if c.listings.is_empty() && c.sellers.is_empty() && c.buyers.is_empty() && !c.everyone {
            return Ok(0);
        }
        let store = self.m.c.store;
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
        let now = self.m.c.stamp.now();
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
