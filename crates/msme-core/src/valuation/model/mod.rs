//! Trained valuation models: comparable deals, what the models see of them, training and
//! calibration, the registry of versions, and explanations.
//!
//! - [`ComparableDeal`]s come from sold listings, `msme demo` and imported files; they are the
//!   training data ([`ComparableStore`]).
//! - [`FeatureRow`]: one business as numbers ([`FEATURES`]); the target is the log of the
//!   price-to-revenue ratio ([`features`]).
//! - [`TrainingSet`]: deals split 70/15/15 by a hash of their id into train, calibration and
//!   test parts, with a fingerprint of the data.
//! - [`ModelEngine`] (a port) trains and loads [`Regressor`]s; [`training::train`] trains every
//!   kind, calibrates each with split conformal on the calibration part, adds an
//!   [`Ensemble`](ensemble::Ensemble) of the two best when it beats both, picks the lowest log
//!   error on the calibration part and measures all on the test part.
//! - The registry ([`ModelStore`]) keeps every [`ModelVersion`] with
//!   its fingerprint, parameters and metrics; one is active; activating an older one rolls back.
//! - [`Models`] (`Platform::models`) runs it all for users, and gives the valuation engine the
//!   active model's estimate, range and [explanation](explain::explain).

mod comparable;
mod dataset;
pub mod engine;
pub mod ensemble;
pub mod explain;
pub mod features;
mod metrics;
mod service;
mod service_train;
mod store;
pub mod training;
mod version;

pub use comparable::{ComparableDeal, ComparableId, ComparableInput, ComparableSource};
pub use dataset::{Example, Part, TrainingSet};
pub use engine::{Contributions, Engines, ModelEngine, Regressor, TrainSettings};
pub use explain::FeatureEffect;
pub use features::{FeatureRow, CATEGORICAL, FEATURES, FEATURE_COUNT};
pub use metrics::{conformal_half_width, measure, median, Metrics};
pub use service::{ComparablesImport, Models, Performance};
pub(crate) use service::{ModelCache, ModelsCtx};
pub use service_train::{Evaluation, ModelAnswer, ProgressFn, TrainingOutcome};
pub use store::{ComparableStore, ModelPorts, ModelStore};
pub use training::{Candidate, Trained, TrainingOptions};
pub use version::{
    JobStatus, ModelJob, ModelJobId, ModelOrigin, ModelVersion, ModelVersionId, PartCounts,
    VersionReport,
};

use crate::error::{impl_domain_error, StoreError, ValidationError};
use crate::rbac::Forbidden;

/// What can go wrong with models and their data.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("not enough comparable deals ({have}): {reason}")]
    NotEnoughData { have: usize, reason: String },
    #[error("unknown model kind `{0}`")]
    UnknownKind(String),
    /// A model file that cannot be read, or does not fit the features.
    #[error("model file: {0}")]
    Artifact(String),
    /// The platform was built without a model engine.
    #[error("no model engine is configured")]
    NoEngine,
    #[error("no such model version")]
    VersionNotFound,
    #[error("no such training job")]
    JobNotFound,
    /// The model library failed while training or predicting.
    #[error("model library: {0}")]
    Library(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl_domain_error!(ModelError {
    via: Invalid, Forbidden, Store;
    codes: {
        Self::NotEnoughData { .. } => "model_not_enough_data", InvalidInput;
        Self::UnknownKind(_) => "model_unknown_kind", InvalidInput;
        Self::Artifact(_) => "model_file_invalid", InvalidInput;
        Self::NoEngine => "model_engine_unavailable", Unavailable;
        Self::VersionNotFound => "model_version_not_found", NotFound;
        Self::JobNotFound => "model_job_not_found", NotFound;
        Self::Library(_) => "model_library_failed", Internal;
    }
});
