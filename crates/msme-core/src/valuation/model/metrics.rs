//! How good a model is on examples it did not learn from.

use serde::{Deserialize, Serialize};

use super::dataset::Example;

/// Errors of predicted against paid prices.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Examples measured.
    pub n: usize,
    /// Mean absolute percentage error of the price.
    pub mape: f64,
    /// Median absolute percentage error of the price.
    pub median_ape: f64,
    /// R² of the log price.
    pub r2_log: f64,
    /// Root mean square error of the log price (what the models minimise).
    pub rmse_log: f64,
    /// Share of prices inside the model's range; `None` before calibration.
    pub coverage: Option<f64>,
}

/// Measures `predictions` (of the target) against the examples; `half_width` is the range's
/// half-width in log space, when calibrated.
pub fn measure(examples: &[Example], predictions: &[f64], half_width: Option<f64>) -> Metrics {
    let n = examples.len().min(predictions.len());
    if n == 0 {
        return Metrics::default();
    }
    let nf = n as f64;
    let mut ape = Vec::with_capacity(n);
    let (mut sse, mut inside) = (0.0, 0usize);
    let mean_log = examples[..n].iter().map(|e| e.price.ln()).sum::<f64>() / nf;
    let mut sst = 0.0;
    for (e, p) in examples.iter().zip(predictions) {
        let log_pred = p + e.features.offset;
        let log_true = e.price.ln();
        ape.push(((log_pred.exp() - e.price) / e.price).abs());
        sse += (log_pred - log_true).powi(2);
        sst += (log_true - mean_log).powi(2);
        if half_width.is_some_and(|h| (log_pred - log_true).abs() <= h) {
            inside += 1;
        }
    }
    Metrics {
        n,
        mape: ape.iter().sum::<f64>() / nf,
        median_ape: median(&mut ape),
        r2_log: if sst > 0.0 { 1.0 - sse / sst } else { 0.0 },
        rmse_log: (sse / nf).sqrt(),
        coverage: half_width.map(|_| inside as f64 / nf),
    }
}

/// The median (mean of the middle two for an even count); 0 for none.
pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let m = values.len() / 2;
    if values.len() % 2 == 1 {
        values[m]
    } else {
        (values[m - 1] + values[m]) / 2.0
    }
}

/// Split-conformal half-width: with the absolute log errors of `n` calibration examples, the
/// ⌈(n + 1) · coverage⌉-th smallest. A new example from the same distribution then falls within
/// ± that of its prediction with probability at least `coverage` (Lei et al. 2018). Infinite
/// when there are too few examples to promise it.
pub fn conformal_half_width(examples: &[Example], predictions: &[f64], coverage: f64) -> f64 {
    let mut errors: Vec<f64> = examples
        .iter()
        .zip(predictions)
        .map(|(e, p)| (p - e.target).abs())
        .collect();
    errors.sort_by(f64::total_cmp);
    let n = errors.len();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let k = ((n as f64 + 1.0) * coverage).ceil() as usize;
    if k == 0 || k > n {
        return f64::INFINITY;
    }
    errors[k - 1]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::features::{FeatureRow, FEATURE_COUNT};

    fn ex(price: f64) -> Example {
        Example {
            id: String::new(),
            features: FeatureRow {
                values: [0.0; FEATURE_COUNT],
                offset: 0.0,
            },
            target: price.ln(),
            price,
        }
    }

    #[test]
    fn exact_predictions_have_no_error() {
        let xs: Vec<Example> = [10.0, 20.0, 40.0].map(ex).into();
        let preds: Vec<f64> = xs.iter().map(|e| e.target).collect();
        let m = measure(&xs, &preds, Some(0.0));
        assert!(m.mape < 1e-12 && m.median_ape < 1e-12 && (m.r2_log - 1.0).abs() < 1e-12);
        assert_eq!(m.coverage, Some(1.0));
    }

    #[test]
    fn errors_are_in_percent_of_the_price() {
        let xs: Vec<Example> = [100.0, 100.0].map(ex).into();
        let preds = [110f64.ln(), 80f64.ln()];
        let m = measure(&xs, &preds, None);
        assert!((m.mape - 0.15).abs() < 1e-9);
        assert!((m.median_ape - 0.15).abs() < 1e-9);
        assert_eq!(m.coverage, None);
    }

    #[test]
    fn conformal_takes_the_right_order_statistic() {
        let xs: Vec<Example> = (1..=9).map(|_| ex(1.0)).collect();
        let preds: Vec<f64> = (1..=9).map(|i| f64::from(i) / 10.0).collect();
        // n = 9, 80 %: ⌈10 × 0.8⌉ = 8th smallest error = 0.8.
        assert!((conformal_half_width(&xs, &preds, 0.8) - 0.8).abs() < 1e-12);
        assert!(conformal_half_width(&xs[..2], &preds[..2], 0.8).is_infinite());
    }
}
