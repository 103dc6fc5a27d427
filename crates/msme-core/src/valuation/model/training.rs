//! Training: every kind on the train part, each calibrated and compared on the calibration
//! part, an ensemble of the two best when it beats them, and every candidate measured on the
//! test part. Blocking and CPU-bound: run it off the async threads.

use std::sync::Arc;

use super::engine::{ModelEngine, Regressor, TrainSettings};
use super::ensemble::Ensemble;
use super::features::FeatureRow;
use super::metrics::{conformal_half_width, measure, Metrics};
use super::{Example, ModelError, TrainingSet};

/// Fewest examples in the train part that training accepts.
pub const MIN_TRAIN_EXAMPLES: usize = 50;
/// Fewest in each of the calibration and test parts.
pub const MIN_HELD_OUT: usize = 10;
/// The range's stated coverage unless told otherwise.
pub const DEFAULT_COVERAGE: f64 = 0.8;

/// What to train.
#[derive(Clone, Debug)]
pub struct TrainingOptions {
    /// Kinds to train; empty means every kind the engine trains.
    pub kinds: Vec<String>,
    /// The coverage the calibrated range promises (0.5 to 0.99).
    pub coverage: f64,
    pub settings: TrainSettings,
}

impl Default for TrainingOptions {
    fn default() -> Self {
        Self {
            kinds: Vec::new(),
            coverage: DEFAULT_COVERAGE,
            settings: TrainSettings::default(),
        }
    }
}

/// A trained, calibrated and measured model.
#[derive(Clone)]
pub struct Candidate {
    pub model: Arc<dyn Regressor>,
    /// Half-width of the range in log space (split conformal on the calibration part).
    pub half_width: f64,
    pub coverage: f64,
    /// On the calibration part (what the choice is made on).
    pub validation: Metrics,
    /// On the test part (what is reported).
    pub test: Metrics,
}

/// The candidates of one training run and the one chosen.
pub struct Trained {
    pub candidates: Vec<Candidate>,
    pub selected: usize,
}

/// Where training is, for a progress bar: a stage name and the share done (0 to 1).
pub type Progress<'a> = &'a mut dyn FnMut(&str, f64);

fn rows(examples: &[Example]) -> Vec<FeatureRow> {
    examples.iter().map(|e| e.features.clone()).collect()
}

/// Calibrates `model` on the calibration part and measures it on both held-out parts.
pub fn evaluate(
    model: Arc<dyn Regressor>,
    set: &TrainingSet,
    coverage: f64,
) -> Result<Candidate, ModelError> {
    check_held_out(set)?;
    let cal = model.predict(&rows(&set.calibration))?;
    let test = model.predict(&rows(&set.test))?;
    let half_width = conformal_half_width(&set.calibration, &cal, coverage);
    if !half_width.is_finite() {
        return Err(ModelError::NotEnoughData {
            have: set.len(),
            reason: format!(
                "{} calibration deals cannot promise {:.0}% coverage",
                set.calibration.len(),
                coverage * 100.0
            ),
        });
    }
    Ok(Candidate {
        validation: measure(&set.calibration, &cal, Some(half_width)),
        test: measure(&set.test, &test, Some(half_width)),
        model,
        half_width,
        coverage,
    })
}

fn check_held_out(set: &TrainingSet) -> Result<(), ModelError> {
    if set.calibration.len() < MIN_HELD_OUT || set.test.len() < MIN_HELD_OUT {
        return Err(ModelError::NotEnoughData {
            have: set.len(),
            reason: format!(
                "the calibration and test parts need {MIN_HELD_OUT} deals each (have {} and {})",
                set.calibration.len(),
                set.test.len()
            ),
        });
    }
    Ok(())
}

/// Checks the options against the engine; the kinds to train.
pub fn kinds_to_train(
    engine: &dyn ModelEngine,
    opts: &TrainingOptions,
) -> Result<Vec<String>, ModelError> {
    if !(0.5..=0.99).contains(&opts.coverage) {
        return Err(ModelError::Invalid(crate::error::ValidationError::new(
            "coverage",
            "must be from 0.5 to 0.99",
        )));
    }
    let known = engine.trainable_kinds();
    if opts.kinds.is_empty() {
        return Ok(known.into_iter().map(String::from).collect());
    }
    for k in &opts.kinds {
        if !known.contains(&k.as_str()) {
            return Err(ModelError::UnknownKind(k.clone()));
        }
    }
    Ok(opts.kinds.clone())
}

/// Trains every kind, adds the ensemble of the two best if it beats both, and picks the one
/// with the lowest log error on the calibration part.
pub fn train(
    engine: &dyn ModelEngine,
    set: &TrainingSet,
    opts: &TrainingOptions,
    progress: Progress<'_>,
) -> Result<Trained, ModelError> {
    let kinds = kinds_to_train(engine, opts)?;
    if set.train.len() < MIN_TRAIN_EXAMPLES {
        return Err(ModelError::NotEnoughData {
            have: set.len(),
            reason: format!(
                "the train part needs {MIN_TRAIN_EXAMPLES} deals (has {})",
                set.train.len()
            ),
        });
    }
    check_held_out(set)?;
    let steps = kinds.len() as f64 + 1.0;
    let mut candidates = Vec::new();
    for (i, kind) in kinds.iter().enumerate() {
        progress(&format!("training {kind}"), i as f64 / steps);
        let model = engine.train(kind, &set.train, &opts.settings)?;
        candidates.push(evaluate(model, set, opts.coverage)?);
    }
    progress("calibrating and comparing", (steps - 1.0) / steps);
    if let Some(e) = ensemble_of_best_two(&candidates, set, opts.coverage)? {
        candidates.push(e);
    }
    let selected = best(&candidates);
    progress("done", 1.0);
    Ok(Trained {
        candidates,
        selected,
    })
}

/// Index of the candidate with the lowest validation log error.
pub fn best(candidates: &[Candidate]) -> usize {
    (0..candidates.len())
        .min_by(|&a, &b| {
            candidates[a]
                .validation
                .rmse_log
                .total_cmp(&candidates[b].validation.rmse_log)
        })
        .unwrap_or(0)
}

/// The two best candidates mixed with the weight (in tenths) that does best on the calibration
/// part; `None` when no mix beats the better one alone.
fn ensemble_of_best_two(
    candidates: &[Candidate],
    set: &TrainingSet,
    coverage: f64,
) -> Result<Option<Candidate>, ModelError> {
    if candidates.len() < 2 {
        return Ok(None);
    }
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by(|&a, &b| {
        candidates[a]
            .validation
            .rmse_log
            .total_cmp(&candidates[b].validation.rmse_log)
    });
    let (a, b) = (&candidates[order[0]], &candidates[order[1]]);
    let cal = rows(&set.calibration);
    let (pa, pb) = (a.model.predict(&cal)?, b.model.predict(&cal)?);
    let mut best_w = 1.0;
    let mut best_err = a.validation.rmse_log;
    for tenth in 1..10 {
        let w = f64::from(tenth) / 10.0;
        let mix: Vec<f64> = pa
            .iter()
            .zip(&pb)
            .map(|(x, y)| w * x + (1.0 - w) * y)
            .collect();
        let err = measure(&set.calibration, &mix, None).rmse_log;
        if err < best_err {
            (best_w, best_err) = (w, err);
        }
    }
    if best_w >= 1.0 {
        return Ok(None);
    }
    let ensemble = Ensemble::new(vec![
        (best_w, a.model.clone()),
        (1.0 - best_w, b.model.clone()),
    ]);
    evaluate(Arc::new(ensemble), set, coverage).map(Some)
}
