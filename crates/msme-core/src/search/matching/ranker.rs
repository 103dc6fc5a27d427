//! Scoring matches: a weight per feature (hand-set, or learned from interactions), the 0–100
//! score people see, a pairwise logistic learner, and NDCG@k to compare rankers.
//!
//! The learner is RankNet's pairwise logistic loss on a linear model: for every pair of
//! listings one buyer graded differently (offer > access request > save > view > nothing),
//! the better one's score should be higher; full-batch gradient descent with L2 shrinkage,
//! from zero weights, so training is deterministic.

use super::features::{Features, FEATURES, FEATURE_RANGES, N_FEATURES};

/// The weights matching starts with, by judgement: sector and ticket fit first, then the
/// buyer's keywords, location, and the rest.
pub const HAND_SET: [f64; N_FEATURES] = [3.0, 1.5, 1.0, 2.5, 1.0, 1.0, 1.0, 2.0, 0.5];

/// A linear ranker: one weight per feature.
#[derive(Clone, Debug, PartialEq)]
pub struct Weights(pub [f64; N_FEATURES]);

impl Default for Weights {
    fn default() -> Self {
        Self(HAND_SET)
    }
}

impl Weights {
    /// Weights read back from a model, if it was made for these features.
    pub fn from_model(features: &[String], weights: &[f64]) -> Option<Self> {
        let same =
            features.len() == N_FEATURES && features.iter().zip(FEATURES).all(|(a, b)| a == b);
        let values: [f64; N_FEATURES] = weights.try_into().ok()?;
        (same && values.iter().all(|w| w.is_finite())).then_some(Self(values))
    }

    /// The raw score: the weighted sum of the features.
    pub fn raw(&self, f: &Features) -> f64 {
        self.0.iter().zip(f).map(|(w, x)| w * x).sum()
    }

    /// The score people see: the raw score placed between the lowest and highest these
    /// weights can give, 0 to 100, one decimal.
    pub fn display(&self, raw: f64) -> f64 {
        let (mut lo, mut hi) = (0.0, 0.0);
        for (w, (a, b)) in self.0.iter().zip(FEATURE_RANGES) {
            lo += (w * a).min(w * b);
            hi += (w * a).max(w * b);
        }
        if hi <= lo {
            return 50.0;
        }
        ((raw - lo) / (hi - lo) * 1000.0).round().clamp(0.0, 1000.0) / 10.0
    }
}

/// One listing shown to one buyer: its features and how much the buyer wanted it (0: no
/// interaction, else the strongest interaction's grade).
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    pub features: Features,
    pub grade: u8,
}

/// Settings of [`train`].
#[derive(Clone, Debug, PartialEq)]
pub struct Training {
    pub epochs: u32,
    pub learning_rate: f64,
    pub l2: f64,
}

impl Default for Training {
    fn default() -> Self {
        Self {
            epochs: 300,
            learning_rate: 0.5,
            l2: 0.001,
        }
    }
}

/// Learns weights from groups of examples (one group per buyer) by the pairwise logistic
/// loss. Groups without two different grades teach nothing.
pub fn train(groups: &[Vec<Example>], t: &Training) -> Weights {
    let pairs: Vec<Features> = groups
        .iter()
        .flat_map(|g| {
            g.iter().flat_map(move |a| {
                g.iter()
                    .filter(move |b| a.grade > b.grade)
                    .map(move |b| std::array::from_fn(|k| a.features[k] - b.features[k]))
            })
        })
        .collect();
    let mut w = [0.0; N_FEATURES];
    if pairs.is_empty() {
        return Weights(w);
    }
    let n = pairs.len() as f64;
    for _ in 0..t.epochs {
        let mut grad = w.map(|x| t.l2 * x);
        for d in &pairs {
            let margin: f64 = w.iter().zip(d).map(|(a, b)| a * b).sum();
            // d/dw ln(1 + e^(−w·d)) = −d · σ(−w·d)
            let s = 1.0 / (1.0 + margin.exp());
            for k in 0..N_FEATURES {
                grad[k] -= d[k] * s / n;
            }
        }
        for k in 0..N_FEATURES {
            w[k] -= t.learning_rate * grad[k];
        }
    }
    Weights(w)
}

/// NDCG@k of one group ranked by `weights`; `None` when the group has no graded example.
/// Ties in score keep the group's order (callers give a stable order).
pub fn ndcg_of(group: &[Example], weights: &Weights, k: usize) -> Option<f64> {
    let gain = |g: u8| f64::from((1u32 << g) - 1);
    let dcg = |grades: &[u8]| -> f64 {
        grades
            .iter()
            .take(k)
            .enumerate()
            .map(|(i, g)| gain(*g) / ((i + 2) as f64).log2())
            .sum()
    };
    let mut ideal: Vec<u8> = group.iter().map(|e| e.grade).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let best = dcg(&ideal);
    if best == 0.0 {
        return None;
    }
    let mut order: Vec<(f64, u8)> = group
        .iter()
        .map(|e| (weights.raw(&e.features), e.grade))
        .collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0));
    let ranked: Vec<u8> = order.iter().map(|(_, g)| *g).collect();
    Some(dcg(&ranked) / best)
}

/// The mean NDCG@k over groups that have a graded example; `None` when none has.
pub fn mean_ndcg(groups: &[Vec<Example>], weights: &Weights, k: usize) -> Option<f64> {
    let all: Vec<f64> = groups
        .iter()
        .filter_map(|g| ndcg_of(g, weights, k))
        .collect();
    (!all.is_empty()).then(|| all.iter().sum::<f64>() / all.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(first: f64, second: f64, grade: u8) -> Example {
        let mut features = [0.0; N_FEATURES];
        features[0] = first;
        features[1] = second;
        Example { features, grade }
    }

    #[test]
    fn ndcg_is_one_for_the_ideal_order_and_less_otherwise() {
        let group = vec![ex(1.0, 0.0, 3), ex(0.5, 0.0, 1), ex(0.0, 0.0, 0)];
        let by_first = Weights(std::array::from_fn(|k| if k == 0 { 1.0 } else { 0.0 }));
        assert_eq!(ndcg_of(&group, &by_first, 10), Some(1.0));
        let reversed = Weights(std::array::from_fn(|k| if k == 0 { -1.0 } else { 0.0 }));
        let worst = ndcg_of(&group, &reversed, 10).unwrap();
        // Ideal DCG: 7/1 + 1/log2(3); reversed: 0 + 1/log2(3) + 7/2.
        let expect = (1.0 / 3f64.log2() + 3.5) / (7.0 + 1.0 / 3f64.log2());
        assert!((worst - expect).abs() < 1e-12, "{worst} vs {expect}");
        assert_eq!(ndcg_of(&[ex(1.0, 0.0, 0)], &by_first, 10), None);
    }

    #[test]
    fn the_learner_finds_the_feature_that_orders_the_grades() {
        // Grades follow the second feature; the first is noise that the hand-set weights like.
        let groups: Vec<Vec<Example>> = (0..20)
            .map(|i| {
                (0..6)
                    .map(|j| {
                        let noise = f64::from((i * 7 + j * 3) % 5) / 5.0;
                        let grade = j as u8 % 4;
                        ex(noise, f64::from(grade) / 3.0, grade)
                    })
                    .collect()
            })
            .collect();
        let learned = train(&groups, &Training::default());
        assert!(learned.0[1] > 1.0, "{learned:?}");
        assert!(learned.0[1] > learned.0[0].abs() * 3.0, "{learned:?}");
        let hand = Weights::default();
        let (l, h) = (
            mean_ndcg(&groups, &learned, 10).unwrap(),
            mean_ndcg(&groups, &hand, 10).unwrap(),
        );
        assert!(l > h, "learned {l} vs hand-set {h}");
        assert!(l > 0.99, "{l}");
        // Deterministic: the same data gives the same weights.
        assert_eq!(train(&groups, &Training::default()), learned);
    }

    #[test]
    fn scores_people_see_run_from_0_to_100() {
        let w = Weights::default();
        let best: Features = std::array::from_fn(|k| FEATURE_RANGES[k].1);
        let worst: Features = std::array::from_fn(|k| FEATURE_RANGES[k].0);
        assert_eq!(w.display(w.raw(&best)), 100.0);
        assert_eq!(w.display(w.raw(&worst)), 0.0);
        let names: Vec<String> = FEATURES.iter().map(|s| s.to_string()).collect();
        assert_eq!(Weights::from_model(&names, &HAND_SET), Some(w));
        assert_eq!(Weights::from_model(&names[1..], &HAND_SET[1..]), None);
    }
}
