//! The port to model implementations: a [`ModelEngine`] trains and loads [`Regressor`]s of the
//! kinds it knows. The core never names a library; backends do (`msme-models` for the
//! in-process kinds, `msme-catboost` for CatBoost files).

use std::sync::Arc;

use super::features::{FeatureRow, FEATURE_COUNT};
use super::{Example, ModelError};

/// Gradient-boosted trees trained in process.
pub const GBT: &str = "gbt";
/// Ridge regression on log features, trained in process.
pub const RIDGE: &str = "ridge";
/// A weighted mean of other models' predictions, made by training.
pub const ENSEMBLE: &str = "ensemble";
/// A CatBoost model trained elsewhere (Python) and imported as a `.cbm` file.
pub const CATBOOST: &str = "catboost";

/// How a prediction splits into a base value and one part per feature (in the target's log
/// space: a part of 0.1 raises the value by about 10.5 %).
#[derive(Clone, Debug, PartialEq)]
pub struct Contributions {
    pub base: f64,
    pub per_feature: [f64; FEATURE_COUNT],
}

/// A trained model.
pub trait Regressor: Send + Sync {
    /// One of the kind constants of this module.
    fn kind(&self) -> &'static str;
    /// Predicted targets (`ln(price) − offset`), one per row.
    fn predict(&self, rows: &[FeatureRow]) -> Result<Vec<f64>, ModelError>;
    /// The model's own split of one prediction (tree path contributions, linear terms); `None`
    /// when it has none, and the core then measures each feature by substitution.
    fn contributions(&self, _row: &FeatureRow) -> Result<Option<Contributions>, ModelError> {
        Ok(None)
    }
    /// The model file: what [`ModelEngine::load`] reads back.
    fn artifact(&self) -> Result<Vec<u8>, ModelError>;
    /// The settings it was trained with, for the registry.
    fn params(&self) -> serde_json::Value;
}

/// Settings of in-process training.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainSettings {
    /// The boosting budget (perpetual's single knob: more is slower and fits more closely).
    pub budget: f32,
    /// Threads the booster may use (`None`: all cores).
    pub threads: Option<usize>,
}

impl Default for TrainSettings {
    fn default() -> Self {
        Self {
            budget: 1.0,
            threads: None,
        }
    }
}

/// Trains and loads models. Training is CPU-bound and blocking: call it off the async threads.
pub trait ModelEngine: Send + Sync {
    /// Kinds [`train`](Self::train) accepts.
    fn trainable_kinds(&self) -> Vec<&'static str>;
    /// Kinds [`load`](Self::load) accepts.
    fn loadable_kinds(&self) -> Vec<&'static str>;
    /// Trains a model of `kind` on `examples`.
    fn train(
        &self,
        kind: &str,
        examples: &[Example],
        settings: &TrainSettings,
    ) -> Result<Arc<dyn Regressor>, ModelError>;
    /// Reads a model file of `kind`.
    fn load(&self, kind: &str, artifact: &[u8]) -> Result<Arc<dyn Regressor>, ModelError>;
}

/// Several engines as one: each kind goes to the first engine that knows it, and ensembles
/// are loaded member by member.
#[derive(Clone, Default)]
pub struct Engines {
    engines: Vec<Arc<dyn ModelEngine>>,
}

impl Engines {
    pub fn new(engines: Vec<Arc<dyn ModelEngine>>) -> Self {
        Self { engines }
    }

    fn for_kind(&self, kind: &str, trainable: bool) -> Result<&Arc<dyn ModelEngine>, ModelError> {
        self.engines
            .iter()
            .find(|e| {
                let kinds = if trainable {
                    e.trainable_kinds()
                } else {
                    e.loadable_kinds()
                };
                kinds.contains(&kind)
            })
            .ok_or_else(|| ModelError::UnknownKind(kind.to_string()))
    }
}

impl ModelEngine for Engines {
    fn trainable_kinds(&self) -> Vec<&'static str> {
        self.engines
            .iter()
            .flat_map(|e| e.trainable_kinds())
            .collect()
    }

    fn loadable_kinds(&self) -> Vec<&'static str> {
        let mut kinds: Vec<&'static str> = self
            .engines
            .iter()
            .flat_map(|e| e.loadable_kinds())
            .collect();
        kinds.push(ENSEMBLE);
        kinds
    }

    fn train(
        &self,
        kind: &str,
        examples: &[Example],
        settings: &TrainSettings,
    ) -> Result<Arc<dyn Regressor>, ModelError> {
        self.for_kind(kind, true)?.train(kind, examples, settings)
    }

    fn load(&self, kind: &str, artifact: &[u8]) -> Result<Arc<dyn Regressor>, ModelError> {
        if kind == ENSEMBLE {
            return Ok(Arc::new(super::ensemble::Ensemble::load(self, artifact)?));
        }
        self.for_kind(kind, false)?.load(kind, artifact)
    }
}
