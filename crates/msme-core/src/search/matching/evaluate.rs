//! Learning from behaviour: the ranker is trained on recorded interactions and replaces the
//! hand-set weights only when it ranks held-out buyers' interactions better by NDCG@10.
//!
//! Buyers are split by a hash of their id: one in five is held out. For each buyer, the
//! examples are the listings they interacted with (graded by their strongest interaction) and
//! [`NEGATIVES`] public listings they did not touch, drawn by a generator seeded from the
//! buyer's id, so an evaluation of the same data gives the same figures.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::features::{features, Wants};
use super::ranker::{mean_ndcg, train, Example, Training, Weights};
use super::{Catalog, InteractionId, MatchError, Matching, RankingModel, RankingModelId, FEATURES};
use crate::audit::RequestMeta;
use crate::listing::ListingId;
use crate::rbac::{Actor, Permission};
use crate::rng::SplitMix64;
use crate::types::UserId;

/// Interactions needed before a model is trained.
pub const MIN_INTERACTIONS: u64 = 200;
/// Held-out buyers needed to judge a model.
pub const MIN_TEST_BUYERS: usize = 10;
/// Untouched listings drawn per buyer as grade-0 examples.
pub const NEGATIVES: usize = 50;
/// The cut-off of the ranking measure.
pub const NDCG_AT: usize = 10;

/// What an evaluation found.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    pub interactions: u64,
    pub train_buyers: usize,
    pub test_buyers: usize,
    /// NDCG@10 of the weights in use before this evaluation, on the held-out buyers.
    pub current_ndcg: Option<f64>,
    /// NDCG@10 of the hand-set weights on the held-out buyers.
    pub hand_set_ndcg: Option<f64>,
    /// NDCG@10 of the newly trained model; `None` when there was too little to train on.
    pub learned_ndcg: Option<f64>,
    pub learned: Option<Weights>,
    /// The model kept (unless a dry run), adopted or not.
    pub model: Option<RankingModelId>,
    pub adopted: bool,
    /// Why nothing was trained, when so.
    pub skipped: Option<String>,
}

/// FNV-1a of an id: the split and the negatives' seed.
fn hash(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Whether a buyer is held out for testing.
pub fn held_out(buyer: &UserId) -> bool {
    hash(buyer.as_str()).is_multiple_of(5)
}

/// The strongest interaction grade per buyer and listing.
type Grades = BTreeMap<UserId, BTreeMap<ListingId, u8>>;

/// One buyer's examples: graded listings still public, then untouched ones drawn at random.
fn examples(
    catalog: &Catalog,
    wants: &Wants,
    buyer: &UserId,
    graded: &BTreeMap<ListingId, u8>,
) -> Vec<Example> {
    let mut out: Vec<Example> = graded
        .iter()
        .filter_map(|(id, g)| {
            catalog.get(id).map(|c| Example {
                features: features(wants, c),
                grade: *g,
            })
        })
        .collect();
    let mut rng = SplitMix64::new(hash(buyer.as_str()));
    let mut drawn = BTreeSet::new();
    let n = catalog.len();
    let free = n.saturating_sub(graded.len());
    for _ in 0..(NEGATIVES * 4) {
        if drawn.len() >= NEGATIVES.min(free) {
            break;
        }
        let c = &catalog.candidates[(rng.next_u64() % n.max(1) as u64) as usize];
        if !graded.contains_key(&c.id) && drawn.insert(c.id.clone()) {
            out.push(Example {
                features: features(wants, c),
                grade: 0,
            });
        }
    }
    out
}

impl Matching<'_> {
    /// Every interaction, as the strongest grade per buyer and listing; and their count.
    async fn grades(&self) -> Result<(Grades, u64), MatchError> {
        let store = self.c.store;
        let (mut grades, mut count) = (Grades::new(), 0);
        let mut after: Option<InteractionId> = None;
        loop {
            let page = store.interactions_page(after.as_ref(), 1000).await?;
            count += page.len() as u64;
            for i in &page {
                let g = grades.entry(i.buyer.clone()).or_default();
                let e = g.entry(i.listing.clone()).or_default();
                *e = (*e).max(i.kind.grade());
            }
            match page.last() {
                Some(last) if page.len() == 1000 => after = Some(last.id.clone()),
                _ => return Ok((grades, count)),
            }
        }
    }

    /// Trains a ranking model on the interactions and compares it with the hand-set weights on
    /// held-out buyers by NDCG@10. Unless `dry_run`, the model is kept and, when it ranks
    /// better than the hand-set weights, adopted: matching uses it from then on and every
    /// buyer's saved matches are re-ranked. For admins and the operator.
    pub async fn evaluate(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        dry_run: bool,
    ) -> Result<Evaluation, MatchError> {
        actor.require(Permission::ManageMatching)?;
        let current = self.weights().await?;
        let (grades, interactions) = self.grades().await?;
        let mut preferences = BTreeMap::new();
        for p in self.all_preferences().await? {
            preferences.insert(p.buyer.clone(), p.preferences);
        }
        let (mut train_groups, mut test_groups) = (Vec::new(), Vec::new());
        {
            let catalog = self.catalog().current().await?;
            let empty = Default::default();
            for (buyer, graded) in &grades {
                let wants = Wants::new(preferences.get(buyer).unwrap_or(&empty), &catalog.vocab);
                let group = examples(&catalog, &wants, buyer, graded);
                match held_out(buyer) {
                    true => test_groups.push(group),
                    false => train_groups.push(group),
                }
            }
        }
        let mut e = Evaluation {
            interactions,
            train_buyers: train_groups.len(),
            test_buyers: test_groups.len(),
            current_ndcg: mean_ndcg(&test_groups, &current, NDCG_AT),
            hand_set_ndcg: mean_ndcg(&test_groups, &Weights::default(), NDCG_AT),
            learned_ndcg: None,
            learned: None,
            model: None,
            adopted: false,
            skipped: None,
        };
        if interactions < MIN_INTERACTIONS || test_groups.len() < MIN_TEST_BUYERS {
            e.skipped = Some(format!(
                "needs {MIN_INTERACTIONS} interactions and {MIN_TEST_BUYERS} held-out buyers; has {interactions} and {}",
                test_groups.len()
            ));
            return Ok(e);
        }
        let learned =
            tokio::task::spawn_blocking(move || train(&train_groups, &Training::default()))
                .await
                .map_err(|e| crate::error::StoreError::backend(format!("training stopped: {e}")))?;
        e.learned_ndcg = mean_ndcg(&test_groups, &learned, NDCG_AT);
        e.adopted = !dry_run && e.learned_ndcg > e.hand_set_ndcg;
        e.learned = Some(learned);
        if !dry_run {
            e.model = Some(self.keep_model(meta, actor, &e).await?);
        }
        Ok(e)
    }

    async fn keep_model(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        e: &Evaluation,
    ) -> Result<RankingModelId, MatchError> {
        let weights = e.learned.as_ref().map(|w| w.0.to_vec()).unwrap_or_default();
        let model = RankingModel {
            id: RankingModelId::generate(),
            trained_at: self.c.stamp.now(),
            features: FEATURES.iter().map(|f| f.to_string()).collect(),
            weights,
            interactions: e.interactions,
            learned_ndcg: e.learned_ndcg.unwrap_or(0.0),
            hand_set_ndcg: e.hand_set_ndcg.unwrap_or(0.0),
            adopted: e.adopted,
        };
        let details = json!({
            "adopted": model.adopted,
            "learned_ndcg": model.learned_ndcg,
            "hand_set_ndcg": model.hand_set_ndcg,
            "interactions": model.interactions,
        });
        let event = self.event(
            meta,
            actor,
            "ranking_model.trained",
            ("ranking_model", model.id.as_str()),
            details,
        );
        self.c.store.save_ranking_model(&model, event).await?;
        Ok(model.id)
    }
}
