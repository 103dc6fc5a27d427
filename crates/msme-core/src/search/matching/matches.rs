//! Ranking: every public listing for a buyer, every buyer with preferences for a listing, and
//! the saved matches kept per buyer.

use super::features::{features, Candidate, Wants};
use super::reasons::{reasons, Audience};
use super::{
    BuyerPreferences, Catalog, MatchError, Matching, SavedMatch, StoredPreferences, Weights,
};
use crate::listing::{ListingId, ListingView};
use crate::rbac::Actor;
use crate::types::UserId;

/// Most matches one call answers.
pub const MAX_MATCHES: u32 = 100;

/// A listing matched to a buyer, as the viewer may see it.
#[derive(Clone, Debug, PartialEq)]
pub struct ListingMatch {
    /// Full where the viewer has access, else the teaser.
    pub listing: ListingView,
    /// 0 to 100.
    pub score: f64,
    pub reasons: Vec<String>,
}

/// A buyer matched to a listing, for its seller.
#[derive(Clone, Debug, PartialEq)]
pub struct BuyerMatch {
    pub buyer: UserId,
    pub name: String,
    /// 0 to 100.
    pub score: f64,
    pub reasons: Vec<String>,
}

/// A candidate's place in a ranking: raw score, then listing id for ties.
#[derive(Clone, Debug)]
pub(crate) struct Ranked<'c> {
    pub raw: f64,
    pub candidate: &'c Candidate,
}

/// The best `limit` candidates for a buyer, best first (ties by listing id).
pub(crate) fn rank<'c>(
    catalog: &'c Catalog,
    preferences: &BuyerPreferences,
    weights: &Weights,
    limit: usize,
) -> Vec<Ranked<'c>> {
    let wants = Wants::new(preferences, &catalog.vocab);
    let mut all: Vec<Ranked<'c>> = catalog
        .candidates
        .iter()
        .map(|c| Ranked {
            raw: weights.raw(&features(&wants, c)),
            candidate: c,
        })
        .collect();
    let better = |a: &Ranked, b: &Ranked| {
        b.raw
            .total_cmp(&a.raw)
            .then_with(|| a.candidate.id.cmp(&b.candidate.id))
    };
    if all.len() > limit && limit > 0 {
        all.select_nth_unstable_by(limit - 1, better);
        all.truncate(limit);
    }
    all.truncate(limit);
    all.sort_by(better);
    all
}

/// The best `limit` listings of a catalog for a buyer with `preferences`, best first, with
/// their 0–100 scores: the ranking [`Matching::for_buyer`] does, without a store.
pub fn rank_listings(
    catalog: &Catalog,
    preferences: &BuyerPreferences,
    weights: &Weights,
    limit: usize,
) -> Vec<(ListingId, f64)> {
    rank(catalog, preferences, weights, limit)
        .iter()
        .map(|r| (r.candidate.id.clone(), weights.display(r.raw)))
        .collect()
}

/// What the buyer is told about one ranked listing.
pub(crate) fn saved_match(
    catalog: &Catalog,
    preferences: &BuyerPreferences,
    weights: &Weights,
    r: &Ranked,
    at: chrono::DateTime<chrono::Utc>,
) -> SavedMatch {
    let wants = Wants::new(preferences, &catalog.vocab);
    let f = features(&wants, r.candidate);
    SavedMatch {
        listing: r.candidate.id.clone(),
        score: weights.display(r.raw),
        reasons: reasons(&wants, r.candidate, &f, Audience::Buyer),
        computed_at: at,
    }
}

impl Matching<'_> {
    /// The weights in use: the adopted model's, else the hand-set ones.
    pub async fn weights(&self) -> Result<Weights, MatchError> {
        let model = self.c.store.adopted_ranking_model().await?;
        Ok(model
            .and_then(|m| Weights::from_model(&m.features, &m.weights))
            .unwrap_or_default())
    }

    async fn preferences(&self, buyer: &UserId) -> Result<BuyerPreferences, MatchError> {
        let stored = self.c.store.buyer_preferences(buyer).await?;
        Ok(stored.map(|s| s.preferences).unwrap_or_default())
    }

    /// Every public listing ranked for a buyer, best `limit` first, with score and reasons;
    /// each listing as the actor may see it. For the buyer, an admin, or an agent the buyer
    /// granted; others get `buyer_not_found`.
    pub async fn for_buyer(
        &self,
        actor: &Actor,
        buyer: &UserId,
        limit: u32,
    ) -> Result<Vec<ListingMatch>, MatchError> {
        self.may_act_for(actor, buyer).await?;
        let preferences = self.preferences(buyer).await?;
        let weights = self.weights().await?;
        let now = self.c.stamp.now();
        let limit = limit.clamp(1, MAX_MATCHES) as usize;
        let found: Vec<SavedMatch> = {
            let catalog = self.catalog().current().await?;
            rank(&catalog, &preferences, &weights, limit)
                .iter()
                .map(|r| saved_match(&catalog, &preferences, &weights, r, now))
                .collect()
        };
        self.shown(actor, found).await
    }

    /// Matches as the actor may see them; listings no longer public are left out.
    async fn shown(
        &self,
        actor: &Actor,
        matches: Vec<SavedMatch>,
    ) -> Result<Vec<ListingMatch>, MatchError> {
        let mut out = Vec::with_capacity(matches.len());
        for m in matches {
            let Some(l) = self.c.store.listing_by_id(&m.listing).await? else {
                continue;
            };
            if l.status.is_public() {
                out.push(ListingMatch {
                    listing: self.c.listings.view(actor, l).await?,
                    score: m.score,
                    reasons: m.reasons,
                });
            }
        }
        Ok(out)
    }

    /// The buyer's saved matches (kept by [`super::Matcher`]), best first.
    pub async fn saved_matches(
        &self,
        actor: &Actor,
        buyer: &UserId,
    ) -> Result<Vec<ListingMatch>, MatchError> {
        self.may_act_for(actor, buyer).await?;
        let saved = self.c.store.saved_matches(buyer).await?;
        self.shown(actor, saved).await
    }

    /// Buyers with preferences ranked for a public listing, best `limit` first, with reasons
    /// that keep the buyers' figures private. For the listing's owner or an admin; others get
    /// `listing_not_found`.
    pub async fn for_listing(
        &self,
        actor: &Actor,
        listing: &ListingId,
        limit: u32,
    ) -> Result<Vec<BuyerMatch>, MatchError> {
        // The owner or an admin; anyone else is told the listing does not exist.
        self.c.listings.require_owner(actor, listing).await?;
        let weights = self.weights().await?;
        let buyers = self.all_preferences().await?;
        let catalog = self.catalog().current().await?;
        let Some(candidate) = catalog.get(listing) else {
            return Ok(Vec::new());
        };
        let mut ranked: Vec<(f64, &StoredPreferences)> = buyers
            .iter()
            .map(|b| {
                let wants = Wants::new(&b.preferences, &catalog.vocab);
                (weights.raw(&features(&wants, candidate)), b)
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.buyer.cmp(&b.1.buyer)));
        ranked.truncate(limit.clamp(1, MAX_MATCHES) as usize);
        let mut out = Vec::with_capacity(ranked.len());
        for (raw, b) in ranked {
            let wants = Wants::new(&b.preferences, &catalog.vocab);
            let f = features(&wants, candidate);
            let name = self.c.store.user_by_id(&b.buyer).await?;
            out.push(BuyerMatch {
                buyer: b.buyer.clone(),
                name: name
                    .map(|u| u.name.as_str().to_string())
                    .unwrap_or_default(),
                score: weights.display(raw),
                reasons: reasons(&wants, candidate, &f, Audience::Seller),
            });
        }
        Ok(out)
    }

    /// Every buyer's stored preferences.
    pub(crate) async fn all_preferences(&self) -> Result<Vec<StoredPreferences>, MatchError> {
        let store = self.c.store;
        let mut all = Vec::new();
        loop {
            let page = store
                .list_buyer_preferences(all.last().map(|p: &StoredPreferences| &p.buyer), 500)
                .await?;
            let done = page.len() < 500;
            all.extend(page);
            if done {
                return Ok(all);
            }
        }
    }
}
