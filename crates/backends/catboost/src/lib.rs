//! # msme-catboost
//!
//! A [`ModelEngine`] that loads CatBoost models (`.cbm` files, kind [`CATBOOST`]) trained by
//! data scientists in Python, through the CatBoost model library that the `catboost2` crate
//! bundles (CatBoost 1.0.5's `libcatboostmodel`, linked dynamically). It serves and never
//! trains.
//!
//! # The feature contract
//!
//! A model must be a CatBoost regressor trained on the columns `msme model export` writes:
//! the float features are [`FEATURES`] after the first two, in that order (NaN where missing),
//! and the categorical features are `industry` (wire name) then `state` (two-letter code, empty
//! when unknown). Its target is `target` (the log price-to-revenue ratio). A file with other
//! counts of features is refused when imported.
//!
//! # Threads
//!
//! The library's model handle may not move between threads, so each loaded model lives on a
//! thread of its own that answers prediction requests over a channel, and ends when the model
//! is dropped.
#![forbid(unsafe_code)]

use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};

use msme_core::model::engine::CATBOOST;
use msme_core::model::{
    Example, FeatureRow, ModelEngine, ModelError, Regressor, TrainSettings, FEATURES, FEATURE_COUNT,
};
use serde_json::json;

/// Float features a model must take: every feature but industry and state.
pub const FLOAT_FEATURES: usize = FEATURE_COUNT - 2;
/// Categorical features a model must take: industry and state.
pub const CAT_FEATURES: usize = 2;

/// Loads [`CATBOOST`] models.
#[derive(Clone, Copy, Debug, Default)]
pub struct CatBoostEngine;

impl ModelEngine for CatBoostEngine {
    fn trainable_kinds(&self) -> Vec<&'static str> {
        Vec::new()
    }

    fn loadable_kinds(&self) -> Vec<&'static str> {
        vec![CATBOOST]
    }

    fn train(
        &self,
        kind: &str,
        _: &[Example],
        _: &TrainSettings,
    ) -> Result<Arc<dyn Regressor>, ModelError> {
        Err(ModelError::UnknownKind(format!(
            "{kind} (CatBoost models are trained in Python and imported)"
        )))
    }

    fn load(&self, kind: &str, artifact: &[u8]) -> Result<Arc<dyn Regressor>, ModelError> {
        if kind != CATBOOST {
            return Err(ModelError::UnknownKind(kind.into()));
        }
        Ok(Arc::new(CatBoostModel::load(artifact.to_vec())?))
    }
}

/// A request to a model's thread: rows, and where to send the predictions.
type Request = (Vec<FeatureRow>, Sender<Result<Vec<f64>, ModelError>>);

/// A loaded CatBoost model, served by its own thread.
pub struct CatBoostModel {
    requests: Mutex<Sender<Request>>,
    file: Vec<u8>,
    trees: u64,
}

fn library(e: impl std::fmt::Display) -> ModelError {
    ModelError::Library(format!("catboost: {e}"))
}

impl CatBoostModel {
    /// Loads a `.cbm` file and checks it takes the features of the contract.
    pub fn load(file: Vec<u8>) -> Result<Self, ModelError> {
        let (requests, inbox) = channel::<Request>();
        let (ready_tx, ready) = channel::<Result<u64, ModelError>>();
        let bytes = file.clone();
        std::thread::Builder::new()
            .name("catboost-model".into())
            .spawn(move || {
                let model = match open(bytes) {
                    Ok(m) => m,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok(model.get_tree_count()));
                for (rows, reply) in inbox {
                    let _ = reply.send(predict(&model, &rows));
                }
            })
            .map_err(library)?;
        let trees = ready
            .recv()
            .map_err(|_| library("the model thread stopped while loading"))??;
        Ok(Self {
            requests: Mutex::new(requests),
            file,
            trees,
        })
    }
}

/// Opens the file and checks its feature counts.
fn open(bytes: Vec<u8>) -> Result<catboost2::Model, ModelError> {
    let model = catboost2::Model::load_buffer(bytes)
        .map_err(|e| ModelError::Artifact(format!("not a CatBoost model: {e}")))?;
    let (floats, cats) = (
        model.get_float_features_count(),
        model.get_cat_features_count(),
    );
    if floats != FLOAT_FEATURES as u64 || cats != CAT_FEATURES as u64 {
        return Err(ModelError::Artifact(format!(
            "the model takes {floats} float and {cats} categorical features; msme gives \
             {FLOAT_FEATURES} float ({}) and {CAT_FEATURES} categorical (industry, state)",
            FEATURES[2..].join(", ")
        )));
    }
    if model.get_dimensions_count() != 1 {
        return Err(ModelError::Artifact(
            "the model is not a single-output regressor".into(),
        ));
    }
    Ok(model)
}

#[allow(clippy::cast_possible_truncation)]
fn predict(model: &catboost2::Model, rows: &[FeatureRow]) -> Result<Vec<f64>, ModelError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let floats: Vec<Vec<f32>> = rows
        .iter()
        .map(|r| r.values[2..].iter().map(|&v| v as f32).collect())
        .collect();
    let cats: Vec<Vec<String>> = rows
        .iter()
        .map(|r| vec![r.industry_id().to_string(), r.state_code().to_string()])
        .collect();
    model.calc_model_prediction(floats, cats).map_err(library)
}

impl Regressor for CatBoostModel {
    fn kind(&self) -> &'static str {
        CATBOOST
    }

    fn predict(&self, rows: &[FeatureRow]) -> Result<Vec<f64>, ModelError> {
        let (reply, answer) = channel();
        self.requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .send((rows.to_vec(), reply))
            .map_err(|_| library("the model thread has stopped"))?;
        answer
            .recv()
            .map_err(|_| library("the model thread stopped while predicting"))?
    }

    fn artifact(&self) -> Result<Vec<u8>, ModelError> {
        Ok(self.file.clone())
    }

    fn params(&self) -> serde_json::Value {
        json!({
            "library": "CatBoost 1.0.5 model library (catboost2 0.1.1)",
            "trees": self.trees,
            "float_features": FEATURES[2..],
            "cat_features": ["industry", "state"],
        })
    }
}
