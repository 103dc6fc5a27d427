//! # msme-models
//!
//! The in-process [`ModelEngine`]: gradient-boosted trees ([`GBT`], the `perpetual` booster,
//! pure Rust) and ridge regression on log features ([`RIDGE`], closed form). Both train on the
//! core's [`Example`]s and save to JSON files that [`ModelEngine::load`] reads back.
#![forbid(unsafe_code)]

mod gbt;
mod linalg;
mod ridge;

use std::sync::Arc;

use msme_core::model::engine::{GBT, RIDGE};
use msme_core::model::{Example, ModelEngine, ModelError, Regressor, TrainSettings};

pub use gbt::GbtModel;
pub use ridge::RidgeModel;

/// Trains and loads [`GBT`] and [`RIDGE`] models.
#[derive(Clone, Copy, Debug, Default)]
pub struct InProcessEngine;

impl ModelEngine for InProcessEngine {
    fn trainable_kinds(&self) -> Vec<&'static str> {
        vec![GBT, RIDGE]
    }

    fn loadable_kinds(&self) -> Vec<&'static str> {
        vec![GBT, RIDGE]
    }

    fn train(
        &self,
        kind: &str,
        examples: &[Example],
        settings: &TrainSettings,
    ) -> Result<Arc<dyn Regressor>, ModelError> {
        match kind {
            GBT => Ok(Arc::new(GbtModel::train(examples, settings)?)),
            RIDGE => Ok(Arc::new(RidgeModel::train(examples)?)),
            other => Err(ModelError::UnknownKind(other.into())),
        }
    }

    fn load(&self, kind: &str, artifact: &[u8]) -> Result<Arc<dyn Regressor>, ModelError> {
        match kind {
            GBT => Ok(Arc::new(GbtModel::load(artifact)?)),
            RIDGE => Ok(Arc::new(RidgeModel::load(artifact)?)),
            other => Err(ModelError::UnknownKind(other.into())),
        }
    }
}
