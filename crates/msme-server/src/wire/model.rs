//! Trained models on the wire: training requests and jobs, versions with their metrics, and the
//! registry's performance.

use msme_core::model::{Metrics, ModelJob, ModelVersion, TrainSettings, TrainingOptions};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::time;

/// `POST /v1/models/training-jobs`: every field optional (unknown fields are refused).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TrainModelBody {
    /// Kinds to train (`gbt`, `ridge`); all by default. An ensemble of the two best is added
    /// when it beats both.
    pub kinds: Vec<String>,
    /// Stated coverage of the calibrated range, 0.5 to 0.99 (default 0.8).
    pub coverage: Option<f64>,
    /// The booster's budget (default 1.0): more fits closer and trains longer.
    pub budget: Option<f32>,
    /// Make the chosen version the active one (default true).
    pub activate: Option<bool>,
}

impl TrainModelBody {
    /// The core's options, and whether to activate.
    pub fn options(&self) -> (TrainingOptions, bool) {
        let defaults = TrainingOptions::default();
        let opts = TrainingOptions {
            kinds: self.kinds.clone(),
            coverage: self.coverage.unwrap_or(defaults.coverage),
            settings: TrainSettings {
                budget: self.budget.unwrap_or(defaults.settings.budget),
                threads: None,
            },
        };
        (opts, self.activate.unwrap_or(true))
    }
}

/// A training job.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ModelJobBody {
    pub id: String,
    /// `queued`, `running`, `succeeded` or `failed`.
    pub status: String,
    /// What it is doing, e.g. `training gbt`.
    pub stage: String,
    /// Share done, 0 to 1.
    pub progress: f64,
    pub requested_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// The version chosen, once it succeeded.
    pub version_id: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
}

impl From<&ModelJob> for ModelJobBody {
    fn from(j: &ModelJob) -> Self {
        Self {
            id: j.id.to_string(),
            status: j.status.as_str().into(),
            stage: j.stage.clone(),
            progress: j.progress,
            requested_by: j.requested_by.as_ref().map(ToString::to_string),
            created_at: time(j.created_at),
            updated_at: time(j.updated_at),
            version_id: j.version_id.as_ref().map(ToString::to_string),
            error: j.error.clone(),
        }
    }
}

/// Errors of predicted against paid prices on held-out deals.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MetricsBody {
    pub deals: usize,
    /// Mean absolute percentage error (0.3 = 30 %).
    pub mape: f64,
    pub median_ape: f64,
    /// R² of the log price.
    pub r2_log: f64,
    pub rmse_log: f64,
    /// Share of prices inside the calibrated range.
    pub coverage: Option<f64>,
}

impl From<&Metrics> for MetricsBody {
    fn from(m: &Metrics) -> Self {
        Self {
            deals: m.n,
            mape: m.mape,
            median_ape: m.median_ape,
            r2_log: m.r2_log,
            rmse_log: m.rmse_log,
            coverage: m.coverage,
        }
    }
}

/// A model version in the registry.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ModelVersionBody {
    pub id: String,
    /// `gbt`, `ridge`, `ensemble` or `catboost`.
    pub kind: String,
    /// `trained` or `imported`.
    pub origin: String,
    pub active: bool,
    pub activated_at: Option<String>,
    /// Chosen among the candidates of its training run.
    pub selected: bool,
    /// SHA-256 of the comparable deals it was trained and measured on.
    pub data_fingerprint: String,
    pub created_at: String,
    pub created_by: Option<String>,
    /// Deals in the train, calibration and test parts.
    #[schema(value_type = Object)]
    pub examples: serde_json::Value,
    /// The settings it was trained with.
    #[schema(value_type = Object)]
    pub params: serde_json::Value,
    /// The range's stated coverage.
    pub coverage: f64,
    /// On the calibration part, where versions of a run were compared.
    pub validation: MetricsBody,
    /// On the test part.
    pub test: MetricsBody,
}

impl From<&ModelVersion> for ModelVersionBody {
    fn from(v: &ModelVersion) -> Self {
        let r = &v.report;
        Self {
            id: v.id.to_string(),
            kind: v.kind.clone(),
            origin: v.origin.as_str().into(),
            active: v.active,
            activated_at: v.activated_at.map(time),
            selected: r.selected,
            data_fingerprint: v.fingerprint.clone(),
            created_at: time(v.created_at),
            created_by: v.created_by.as_ref().map(ToString::to_string),
            examples: serde_json::to_value(r.examples).unwrap_or_default(),
            params: r.params.clone(),
            coverage: r.coverage,
            validation: MetricsBody::from(&r.validation),
            test: MetricsBody::from(&r.test),
        }
    }
}

/// `GET /v1/models/performance`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ModelPerformanceBody {
    /// The version valuations use; null when none is active.
    pub active: Option<ModelVersionBody>,
    /// Every version, newest first.
    pub versions: Vec<ModelVersionBody>,
    /// Comparable deals the models can learn from.
    pub comparables: u64,
}
