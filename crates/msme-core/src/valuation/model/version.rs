//! The registry's records: model versions (every one kept, one active) and training jobs.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::features::FEATURE_COUNT;
use super::metrics::Metrics;
use crate::error::StoreError;
use crate::types::{id_type, UserId};

id_type!(
    /// Identifies a model version in the registry.
    ModelVersionId
);
id_type!(
    /// Identifies a training job.
    ModelJobId
);

/// How a version came to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelOrigin {
    /// Trained in process on the platform's comparable deals.
    Trained,
    /// A model file trained elsewhere and imported (CatBoost).
    Imported,
}

impl ModelOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            ModelOrigin::Trained => "trained",
            ModelOrigin::Imported => "imported",
        }
    }

    pub fn parse_stored(s: &str) -> Result<Self, StoreError> {
        match s {
            "trained" => Ok(Self::Trained),
            "imported" => Ok(Self::Imported),
            other => Err(StoreError::backend(format!(
                "unknown model origin `{other}`"
            ))),
        }
    }
}

/// How many deals each part of the training set held.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartCounts {
    pub train: usize,
    pub calibration: usize,
    pub test: usize,
}

/// What a version was measured and calibrated with: kept as one JSON document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionReport {
    pub examples: PartCounts,
    /// Settings the model was trained with (or, imported, what the file says of itself).
    pub params: serde_json::Value,
    /// The stated coverage of the range.
    pub coverage: f64,
    /// Half-width of the range in log space (split conformal on the calibration part).
    pub half_width: f64,
    /// On the calibration part, where versions of one run were compared.
    pub validation: Metrics,
    /// On the test part.
    pub test: Metrics,
    /// Chosen among the candidates of its training run.
    pub selected: bool,
    /// Median of each feature over the train part: the reference an explanation by
    /// substitution moves a feature to (`None` where the train part had no value).
    pub baseline: Vec<Option<f64>>,
}

/// A model version in the registry (its file is kept beside it, read on its own).
#[derive(Clone, Debug, PartialEq)]
pub struct ModelVersion {
    pub id: ModelVersionId,
    /// One of the kinds of [`super::engine`].
    pub kind: String,
    pub origin: ModelOrigin,
    /// The training set's fingerprint ([`super::TrainingSet::fingerprint`]).
    pub fingerprint: String,
    pub created_at: DateTime<Utc>,
    /// `None` when the operator trained it from the terminal.
    pub created_by: Option<UserId>,
    pub active: bool,
    pub activated_at: Option<DateTime<Utc>>,
    pub report: VersionReport,
}

impl ModelVersion {
    /// The report as stored.
    pub fn document(&self) -> String {
        serde_json::to_string(&self.report).unwrap_or_else(|_| "{}".into())
    }

    /// Parses a stored report; one that does not parse is corruption.
    pub fn parse_document(doc: &str) -> Result<VersionReport, StoreError> {
        serde_json::from_str(doc).map_err(StoreError::backend)
    }

    /// The baseline as a feature row, when it has the right length.
    pub fn baseline(&self) -> Option<[f64; FEATURE_COUNT]> {
        let values: Vec<f64> = self
            .report
            .baseline
            .iter()
            .map(|v| v.unwrap_or(f64::NAN))
            .collect();
        values.try_into().ok()
    }
}

/// Where a training job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobStatus {
    Queued,
    Running,
    Succeeded,
    Failed,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Succeeded => "succeeded",
            JobStatus::Failed => "failed",
        }
    }

    pub fn parse_stored(s: &str) -> Result<Self, StoreError> {
        match s {
            "queued" => Ok(Self::Queued),
            "running" => Ok(Self::Running),
            "succeeded" => Ok(Self::Succeeded),
            "failed" => Ok(Self::Failed),
            other => Err(StoreError::backend(format!("unknown job status `{other}`"))),
        }
    }

    pub fn is_finished(self) -> bool {
        matches!(self, JobStatus::Succeeded | JobStatus::Failed)
    }
}

/// A training run in the background.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelJob {
    pub id: ModelJobId,
    pub status: JobStatus,
    /// What it is doing, e.g. `training gbt`.
    pub stage: String,
    /// Share done, 0 to 1.
    pub progress: f64,
    pub requested_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The version chosen, once it succeeded.
    pub version_id: Option<ModelVersionId>,
    /// Why it failed.
    pub error: Option<String>,
}

/// How often a running job writes itself back even without progress, so readers can tell a
/// live job from one whose process stopped.
pub const JOB_HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(15);

/// A job unfinished and unwritten for this long is taken as interrupted: its process stopped.
pub const JOB_STALE_AFTER: chrono::Duration = chrono::Duration::minutes(2);

impl ModelJob {
    /// The job as a reader should see it at `now`: an unfinished job whose heartbeat stopped
    /// more than `JOB_STALE_AFTER` ago failed (its process stopped mid-run), whatever the
    /// stored row still says.
    pub fn as_seen_at(mut self, now: DateTime<Utc>) -> Self {
        if !self.status.is_finished() && now - self.updated_at > JOB_STALE_AFTER {
            self.status = JobStatus::Failed;
            self.error = Some(format!(
                "interrupted: no word from the job since {} (the process running it stopped); \
                 start training again",
                self.updated_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ));
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(status: JobStatus, updated_at: DateTime<Utc>) -> ModelJob {
        ModelJob {
            id: ModelJobId::generate(),
            status,
            stage: "training gbt".into(),
            progress: 0.4,
            requested_by: None,
            created_at: updated_at,
            updated_at,
            version_id: None,
            error: None,
        }
    }

    #[test]
    fn a_silent_unfinished_job_reads_as_interrupted() {
        let t = DateTime::parse_from_rfc3339("2026-12-03T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let fresh = job(JobStatus::Running, t).as_seen_at(t + chrono::Duration::seconds(30));
        assert_eq!(fresh.status, JobStatus::Running);
        assert!(fresh.error.is_none());
        for status in [JobStatus::Queued, JobStatus::Running] {
            let stale = job(status, t).as_seen_at(t + chrono::Duration::minutes(3));
            assert_eq!(stale.status, JobStatus::Failed);
            assert!(stale.error.unwrap().starts_with("interrupted"));
        }
        let done = job(JobStatus::Succeeded, t).as_seen_at(t + chrono::Duration::hours(1));
        assert_eq!(done.status, JobStatus::Succeeded);
    }
}
