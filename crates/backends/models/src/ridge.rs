//! Ridge regression on log features: the numeric features standardised, with their squares
//! (a little curvature) and a missing-value indicator where the train part had gaps; industry
//! and state one-hot. The penalty is chosen on the last fifth of the train part, then the
//! model is refitted on all of it. Its file is JSON.

use msme_core::listing::{INDUSTRIES, STATES};
use msme_core::model::engine::RIDGE;
use msme_core::model::{Contributions, Example, FeatureRow, ModelError, Regressor, FEATURE_COUNT};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::linalg::solve_spd;

/// Penalties tried, per example (so the choice does not depend on the set's size).
const LAMBDAS: [f64; 6] = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0];
/// First numeric feature (0 and 1 are industry and state).
const NUMERIC: usize = 2;

/// A fitted ridge model.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RidgeModel {
    mean: Vec<f64>,
    std: Vec<f64>,
    /// Which numeric features get a missing-value indicator.
    gaps: Vec<bool>,
    /// Intercept first, then the design's columns (see [`RidgeModel::design`]).
    weights: Vec<f64>,
    /// Share of each industry, then each state, in the train part (for contributions).
    frequency: Vec<f64>,
    lambda: f64,
}

impl RidgeModel {
    fn numeric() -> usize {
        FEATURE_COUNT - NUMERIC
    }

    fn width(&self) -> usize {
        1 + 2 * Self::numeric() + self.gaps.len() + INDUSTRIES.len() + STATES.len()
    }

    /// One row of the design matrix: 1, z, z², missing indicators, industry, state.
    fn design(&self, r: &FeatureRow, out: &mut Vec<f64>) {
        out.clear();
        out.push(1.0);
        let m = Self::numeric();
        let z: Vec<f64> = (0..m)
            .map(|j| {
                let v = r.values[NUMERIC + j];
                if v.is_nan() {
                    0.0
                } else {
                    ((v - self.mean[j]) / self.std[j]).clamp(-6.0, 6.0)
                }
            })
            .collect();
        out.extend(&z);
        out.extend(z.iter().map(|v| v * v));
        out.extend(
            self.gaps
                .iter()
                .enumerate()
                .map(|(j, &g)| f64::from(u8::from(g && r.values[NUMERIC + j].is_nan()))),
        );
        out.extend(one_hot(r.values[0], INDUSTRIES.len()));
        out.extend(one_hot(r.values[1], STATES.len()));
    }

    /// Fits the model, choosing the penalty on a held-back fifth of `examples`.
    pub fn train(examples: &[Example]) -> Result<Self, ModelError> {
        if examples.len() < 10 {
            return Err(ModelError::NotEnoughData {
                have: examples.len(),
                reason: "ridge regression needs 10 examples".into(),
            });
        }
        let mut model = Self::standardised(examples);
        let cut = examples.len() * 4 / 5;
        let (fit, hold) = examples.split_at(cut);
        let gram = model.gram(fit);
        let mut best = (f64::INFINITY, LAMBDAS[0]);
        for &l in &LAMBDAS {
            model.weights = model.solve(&gram, l * fit.len() as f64)?;
            let err = model.sse(hold);
            if err < best.0 {
                best = (err, l);
            }
        }
        model.lambda = best.1;
        let gram = model.gram(examples);
        model.weights = model.solve(&gram, best.1 * examples.len() as f64)?;
        Ok(model)
    }

    /// Means, deviations, gaps and category shares of the numeric features.
    fn standardised(examples: &[Example]) -> Self {
        let m = Self::numeric();
        let (mut mean, mut std, mut gaps) = (vec![0.0; m], vec![1.0; m], vec![false; m]);
        for j in 0..m {
            let v: Vec<f64> = examples
                .iter()
                .map(|e| e.features.values[NUMERIC + j])
                .filter(|x| !x.is_nan())
                .collect();
            gaps[j] = v.len() < examples.len();
            if v.is_empty() {
                continue;
            }
            let n = v.len() as f64;
            mean[j] = v.iter().sum::<f64>() / n;
            let var = v.iter().map(|x| (x - mean[j]).powi(2)).sum::<f64>() / n;
            std[j] = if var > 1e-12 { var.sqrt() } else { 1.0 };
        }
        let mut frequency = vec![0.0; INDUSTRIES.len() + STATES.len()];
        for e in examples {
            for (k, x) in one_hot(e.features.values[0], INDUSTRIES.len())
                .into_iter()
                .chain(one_hot(e.features.values[1], STATES.len()))
                .enumerate()
            {
                frequency[k] += x / examples.len() as f64;
            }
        }
        Self {
            mean,
            std,
            gaps,
            weights: Vec::new(),
            frequency,
            lambda: 0.0,
        }
    }

    /// XᵀX and Xᵀy, packed as (matrix, vector).
    fn gram(&self, examples: &[Example]) -> (Vec<f64>, Vec<f64>) {
        let p = self.width();
        let (mut xtx, mut xty) = (vec![0.0; p * p], vec![0.0; p]);
        let mut x = Vec::with_capacity(p);
        for e in examples {
            self.design(&e.features, &mut x);
            for i in 0..p {
                if x[i] == 0.0 {
                    continue;
                }
                xty[i] += x[i] * e.target;
                for j in 0..=i {
                    xtx[i * p + j] += x[i] * x[j];
                }
            }
        }
        for i in 0..p {
            for j in 0..i {
                xtx[j * p + i] = xtx[i * p + j];
            }
        }
        (xtx, xty)
    }

    /// Weights for penalty `lambda` (the intercept is not penalised).
    fn solve(
        &self,
        (xtx, xty): &(Vec<f64>, Vec<f64>),
        lambda: f64,
    ) -> Result<Vec<f64>, ModelError> {
        let p = xty.len();
        let mut a = xtx.clone();
        for i in 1..p {
            a[i * p + i] += lambda;
        }
        a[0] += 1e-9;
        solve_spd(&a, xty).ok_or_else(|| ModelError::Library("ridge: singular system".into()))
    }

    fn sse(&self, examples: &[Example]) -> f64 {
        let rows: Vec<FeatureRow> = examples.iter().map(|e| e.features.clone()).collect();
        self.predict_rows(&rows)
            .iter()
            .zip(examples)
            .map(|(p, e)| (p - e.target).powi(2))
            .sum()
    }

    fn predict_rows(&self, rows: &[FeatureRow]) -> Vec<f64> {
        let mut x = Vec::with_capacity(self.width());
        rows.iter()
            .map(|r| {
                self.design(r, &mut x);
                x.iter().zip(&self.weights).map(|(a, w)| a * w).sum()
            })
            .collect()
    }

    /// Reads a file written by [`Regressor::artifact`].
    pub fn load(artifact: &[u8]) -> Result<Self, ModelError> {
        let m: Self = serde_json::from_slice(artifact)
            .map_err(|e| ModelError::Artifact(format!("not a ridge model: {e}")))?;
        let fits = m.mean.len() == Self::numeric()
            && m.std.len() == Self::numeric()
            && m.gaps.len() == Self::numeric()
            && m.frequency.len() == INDUSTRIES.len() + STATES.len()
            && m.weights.len() == m.width();
        if !fits {
            return Err(ModelError::Artifact(
                "the ridge model was made for other features".into(),
            ));
        }
        Ok(m)
    }
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn one_hot(v: f64, n: usize) -> Vec<f64> {
    let mut out = vec![0.0; n];
    if v.is_finite() && v >= 0.0 && (v as usize) < n {
        out[v as usize] = 1.0;
    }
    out
}

impl Regressor for RidgeModel {
    fn kind(&self) -> &'static str {
        RIDGE
    }

    fn predict(&self, rows: &[FeatureRow]) -> Result<Vec<f64>, ModelError> {
        Ok(self.predict_rows(rows))
    }

    /// Each feature's terms; a category's weight less the train part's average weight of its
    /// kind (so an average business has contributions near zero).
    fn contributions(&self, row: &FeatureRow) -> Result<Option<Contributions>, ModelError> {
        let m = Self::numeric();
        let mut x = Vec::with_capacity(self.width());
        self.design(row, &mut x);
        let w = &self.weights;
        let mut per_feature = [0.0; FEATURE_COUNT];
        for j in 0..m {
            let gap = 1 + 2 * m + j;
            per_feature[NUMERIC + j] =
                x[1 + j] * w[1 + j] + x[1 + m + j] * w[1 + m + j] + x[gap] * w[gap];
        }
        let ind0 = 1 + 3 * m;
        let st0 = ind0 + INDUSTRIES.len();
        let mut base = w[0];
        for (feature, (start, len)) in [(0, (ind0, INDUSTRIES.len())), (1, (st0, STATES.len()))] {
            let avg: f64 = (0..len)
                .map(|k| self.frequency[start - ind0 + k] * w[start + k])
                .sum();
            let own: f64 = (0..len).map(|k| x[start + k] * w[start + k]).sum();
            per_feature[feature] = own - avg;
            base += avg;
        }
        Ok(Some(Contributions { base, per_feature }))
    }

    fn artifact(&self) -> Result<Vec<u8>, ModelError> {
        serde_json::to_vec(self).map_err(|e| ModelError::Artifact(e.to_string()))
    }

    fn params(&self) -> serde_json::Value {
        json!({
            "penalty_per_example": self.lambda,
            "features": "standardised numeric, their squares, missing indicators; industry and state one-hot",
            "columns": self.width(),
        })
    }
}
