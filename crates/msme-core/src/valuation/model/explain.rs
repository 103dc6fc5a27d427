//! Why a model gave its estimate: the features that raised or lowered it most.

use serde::{Deserialize, Serialize};

use super::engine::Regressor;
use super::features::{FeatureRow, FEATURES, FEATURE_COUNT};
use super::ModelError;

/// How the effects were measured.
pub const PATH_CONTRIBUTIONS: &str = "path_contributions";
/// Each feature moved to the training median, the rest kept.
pub const SUBSTITUTION: &str = "substitution";

/// One feature's part in an estimate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureEffect {
    /// A name of [`FEATURES`].
    pub feature: String,
    /// The feature's value for this business (`None` when missing).
    pub value: Option<f64>,
    /// Its effect on the estimate in percent: +12.5 raised it by 12.5 %.
    pub effect_pct: f64,
}

/// The `top` features with the largest effects (either sign), largest first, and the method.
pub fn explain(
    model: &dyn Regressor,
    row: &FeatureRow,
    baseline: Option<&[f64; FEATURE_COUNT]>,
    top: usize,
) -> Result<(Vec<FeatureEffect>, &'static str), ModelError> {
    let (effects, method) = match model.contributions(row)? {
        Some(c) => (c.per_feature, PATH_CONTRIBUTIONS),
        None => match baseline {
            Some(b) => (by_substitution(model, row, b)?, SUBSTITUTION),
            None => return Ok((Vec::new(), SUBSTITUTION)),
        },
    };
    let mut order: Vec<usize> = (0..FEATURE_COUNT).collect();
    order.sort_by(|&a, &b| effects[b].abs().total_cmp(&effects[a].abs()));
    let list = order
        .into_iter()
        .filter(|&j| effects[j].is_finite() && effects[j] != 0.0)
        .take(top)
        .map(|j| FeatureEffect {
            feature: FEATURES[j].into(),
            value: Some(row.values[j]).filter(|v| !v.is_nan()),
            effect_pct: (effects[j].exp() - 1.0) * 100.0,
        })
        .collect();
    Ok((list, method))
}

/// Prediction with the row as it is, less the prediction with one feature at the baseline.
fn by_substitution(
    model: &dyn Regressor,
    row: &FeatureRow,
    baseline: &[f64; FEATURE_COUNT],
) -> Result<[f64; FEATURE_COUNT], ModelError> {
    let mut rows = vec![row.clone()];
    for (j, b) in baseline.iter().enumerate() {
        let mut r = row.clone();
        r.values[j] = *b;
        rows.push(r);
    }
    let p = model.predict(&rows)?;
    let mut out = [0.0; FEATURE_COUNT];
    for j in 0..FEATURE_COUNT {
        out[j] = p[0] - p[j + 1];
    }
    Ok(out)
}
