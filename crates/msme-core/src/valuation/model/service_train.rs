//! [`Models`]: training (in the foreground or as a background job), evaluation, imported model
//! files, and the active model's estimate for the valuation engine.

use std::sync::Arc;

use serde_json::json;

use super::engine::{ModelEngine, Regressor};
use super::explain::{explain, FeatureEffect};
use super::features::input_features;
use super::service::describe;
use super::service::ModelsCtx;
use super::training::{self, Candidate, TrainingOptions};
use super::{
    median, JobStatus, Metrics, ModelError, ModelJob, ModelJobId, ModelOrigin, ModelVersion,
    ModelVersionId, Models, PartCounts, TrainingSet, VersionReport, FEATURE_COUNT,
};
use crate::audit::RequestMeta;
use crate::rbac::{Actor, Permission};
use crate::valuation::{ModelEstimate, ValuationInput};

type Result<T> = std::result::Result<T, ModelError>;

/// Receives a stage name and the share done (0 to 1) while training runs.
pub type ProgressFn = Arc<dyn Fn(&str, f64) + Send + Sync>;

/// How many features an explanation lists.
const EXPLAINED: usize = 5;

/// What a training run registered.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingOutcome {
    /// Every candidate, as registered; the selected one first.
    pub versions: Vec<ModelVersion>,
    pub selected: ModelVersionId,
    pub activated: bool,
    /// Sold listings recorded as deals before training.
    pub sales_added: usize,
}

/// A version measured again on the deals kept now.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    pub version: ModelVersion,
    /// Fingerprint of the deals it was measured on now.
    pub fingerprint: String,
    pub half_width: f64,
    pub validation: Metrics,
    pub test: Metrics,
}

/// The active model's answer for one business.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelAnswer {
    pub estimate: ModelEstimate,
    pub kind: String,
    /// The version's test figures.
    pub test: Metrics,
    pub explanation: Vec<FeatureEffect>,
    /// How the explanation was measured ([`super::explain::PATH_CONTRIBUTIONS`] or
    /// [`super::explain::SUBSTITUTION`]).
    pub explanation_method: &'static str,
}

impl Models<'_> {
    fn engine(&self) -> Result<Arc<dyn ModelEngine>> {
        self.c.engines.clone().ok_or(ModelError::NoEngine)
    }

    /// Records missed sales, trains every kind on the kept deals (off the async threads),
    /// registers every candidate and activates the chosen one if `activate`.
    pub async fn train(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        opts: TrainingOptions,
        activate: bool,
        progress: ProgressFn,
    ) -> Result<TrainingOutcome> {
        actor.require(Permission::ManageModels)?;
        let engine = self.engine()?;
        training::kinds_to_train(engine.as_ref(), &opts)?;
        progress("reading comparable deals", 0.0);
        let sales_added = self.collect_sales(meta, actor).await?;
        let set = Arc::new(self.training_set(actor).await?);
        let run_set = set.clone();
        let trained = tokio::task::spawn_blocking(move || {
            let mut report = |stage: &str, share: f64| progress(stage, share);
            training::train(engine.as_ref(), &run_set, &opts, &mut report)
        })
        .await
        .map_err(|e| ModelError::Library(format!("training stopped: {e}")))??;
        let now = self.c.stamp.now();
        let baseline = baseline(&set);
        let mut versions = Vec::new();
        let mut files = Vec::new();
        let order = std::iter::once(trained.selected)
            .chain((0..trained.candidates.len()).filter(|&i| i != trained.selected));
        for i in order {
            let c = &trained.candidates[i];
            let v = version(
                c,
                ModelOrigin::Trained,
                &set,
                &baseline,
                i == trained.selected,
            );
            let v = ModelVersion {
                created_at: now,
                created_by: actor.user_id().cloned(),
                ..v
            };
            files.push((v.clone(), c.model.artifact()?));
            versions.push(v);
        }
        let selected = versions[0].id.clone();
        let event = self.c.stamp.event(
            meta,
            actor.audit_actor(),
            "model.trained",
            ("model_version", selected.as_str()),
            json!({
                "fingerprint": set.fingerprint,
                "kinds": versions.iter().map(|v| v.kind.as_str()).collect::<Vec<_>>(),
                "activated": activate,
            }),
        );
        let store = self.c.store;
        store
            .save_model_versions(&files, activate.then_some(&selected), event)
            .await?;
        if activate {
            versions[0].active = true;
            versions[0].activated_at = Some(now);
        }
        Ok(TrainingOutcome {
            versions,
            selected,
            activated: activate,
            sales_added,
        })
    }

    /// Queues a training run and returns its job at once; a worker of the runtime (`msme
    /// worker`, or `msme serve`) runs it. Read it with [`job`](Self::job).
    pub async fn start_training(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        opts: TrainingOptions,
        activate: bool,
    ) -> Result<ModelJob> {
        actor.require(Permission::ManageModels)?;
        training::kinds_to_train(self.engine()?.as_ref(), &opts)?;
        let now = self.c.stamp.now();
        let job = ModelJob {
            id: ModelJobId::generate(),
            status: JobStatus::Queued,
            stage: "queued".into(),
            progress: 0.0,
            requested_by: actor.user_id().cloned(),
            created_at: now,
            updated_at: now,
            version_id: None,
            error: None,
        };
        let event = self.c.stamp.event(
            meta,
            actor.audit_actor(),
            "model.training_requested",
            ("model_job", job.id.as_str()),
            json!({ "kinds": opts.kinds, "coverage": opts.coverage,
                    "budget": opts.settings.budget, "activate": activate }),
        );
        self.c.store.save_model_job(&job, Some(event)).await?;
        Ok(job)
    }

    /// Runs a job queued by [`start_training`](Self::start_training), as the platform (an
    /// admin asked for it); the runtime's trainer calls this for each request. A job that is
    /// not queued any more (run before, or gone) is left alone, so a replayed request trains
    /// nothing twice.
    pub(crate) async fn run_queued_job(
        &self,
        id: &ModelJobId,
        opts: TrainingOptions,
        activate: bool,
    ) -> Result<()> {
        let Some(job) = self.c.store.model_job_by_id(id).await? else {
            return Ok(());
        };
        if job.status != JobStatus::Queued {
            return Ok(());
        }
        let meta = RequestMeta::with_request_id(format!("model-job-{id}"));
        run_job(self.c, meta, Actor::system(), job, opts, activate).await;
        Ok(())
    }

    /// A training job, for admins.
    pub async fn job(&self, actor: &Actor, id: &ModelJobId) -> Result<ModelJob> {
        actor.require(Permission::ManageModels)?;
        self.c
            .store
            .model_job_by_id(id)
            .await?
            .map(|job| job.as_seen_at(self.c.stamp.now()))
            .ok_or(ModelError::JobNotFound)
    }

    /// Measures a version (the active one by default) again on the deals kept now.
    pub async fn evaluate(&self, actor: &Actor, id: Option<&ModelVersionId>) -> Result<Evaluation> {
        actor.require(Permission::ManageModels)?;
        let store = self.c.store;
        let version = match id {
            Some(id) => store.model_version_by_id(id).await?,
            None => store.active_model_version().await?,
        }
        .ok_or(ModelError::VersionNotFound)?;
        let model = self.load(&version).await?;
        let set = self.training_set(actor).await?;
        let coverage = version.report.coverage;
        let c = measure_blocking(model, set.clone(), coverage).await?;
        Ok(Evaluation {
            version,
            fingerprint: set.fingerprint,
            half_width: c.half_width,
            validation: c.validation,
            test: c.test,
        })
    }

    /// Registers a model file trained elsewhere (e.g. `catboost`), calibrated and measured on
    /// the kept deals like a trained one; activates it if `activate`.
    pub async fn import_model(
        &self,
        meta: &RequestMeta,
        actor: &Actor,
        kind: &str,
        artifact: Vec<u8>,
        coverage: f64,
        activate: bool,
    ) -> Result<ModelVersion> {
        actor.require(Permission::ManageModels)?;
        let engine = self.engine()?;
        let (k, bytes) = (kind.to_string(), artifact.clone());
        let model = tokio::task::spawn_blocking(move || engine.load(&k, &bytes))
            .await
            .map_err(|e| ModelError::Library(format!("loading the model: {e}")))??;
        let set = Arc::new(self.training_set(actor).await?);
        let c = measure_blocking(model, (*set).clone(), coverage).await?;
        let v = ModelVersion {
            created_at: self.c.stamp.now(),
            created_by: actor.user_id().cloned(),
            ..version(&c, ModelOrigin::Imported, &set, &baseline(&set), false)
        };
        let event = self.c.stamp.event(
            meta,
            actor.audit_actor(),
            "model.imported",
            ("model_version", v.id.as_str()),
            json!({ "kind": kind, "fingerprint": set.fingerprint, "activated": activate }),
        );
        let files = [(v.clone(), artifact)];
        let store = self.c.store;
        store
            .save_model_versions(&files, activate.then_some(&v.id), event)
            .await?;
        Ok(store.model_version_by_id(&v.id).await?.unwrap_or(v))
    }

    /// The active model's estimate, range and explanation for `input`; `None` without an
    /// engine, an active version or financials.
    pub async fn estimate(&self, input: &ValuationInput) -> Result<Option<ModelAnswer>> {
        if self.c.engines.is_none() {
            return Ok(None);
        }
        let Some(version) = self.c.store.active_model_version().await? else {
            return Ok(None);
        };
        let Some(row) = input_features(input) else {
            return Ok(None);
        };
        let model = self.load(&version).await?;
        let pred = model.predict(std::slice::from_ref(&row))?[0];
        let q = version.report.half_width;
        let money = |log: f64| crate::valuation::to_paise(log.exp(), "model", "estimate").ok();
        let (Some(value), Some(low), Some(high)) = (
            money(pred + row.offset),
            money(pred - q + row.offset),
            money(pred + q + row.offset),
        ) else {
            return Ok(None);
        };
        let (explanation, method) =
            explain(model.as_ref(), &row, version.baseline().as_ref(), EXPLAINED)?;
        Ok(Some(ModelAnswer {
            estimate: ModelEstimate {
                version: version.id.to_string(),
                value,
                low,
                high,
                coverage: version.report.coverage,
                notes: vec![
                    format!(
                        "{} model {} ({}), trained on {} comparable deals",
                        version.kind,
                        version.id,
                        version.origin.as_str(),
                        version.report.examples.train
                    ),
                    describe(&version.report.test),
                ],
            },
            kind: version.kind.clone(),
            test: version.report.test.clone(),
            explanation,
            explanation_method: method,
        }))
    }

    /// The version's model, from the platform's cache or its file.
    async fn load(&self, version: &ModelVersion) -> Result<Arc<dyn Regressor>> {
        if let Some(m) = self.c.cached_model(&version.id) {
            return Ok(m);
        }
        let engine = self.engine()?;
        let bytes = self
            .c
            .store
            .model_artifact(&version.id)
            .await?
            .ok_or(ModelError::VersionNotFound)?;
        let kind = version.kind.clone();
        let model = tokio::task::spawn_blocking(move || engine.load(&kind, &bytes))
            .await
            .map_err(|e| ModelError::Library(format!("loading the model: {e}")))??;
        self.c.cache_model(&version.id, model.clone());
        Ok(model)
    }
}

async fn measure_blocking(
    model: Arc<dyn Regressor>,
    set: TrainingSet,
    coverage: f64,
) -> Result<Candidate> {
    tokio::task::spawn_blocking(move || training::evaluate(model, &set, coverage))
        .await
        .map_err(|e| ModelError::Library(format!("evaluating: {e}")))?
}

/// The registry record of a candidate (id fresh; time and author set by the caller).
fn version(
    c: &Candidate,
    origin: ModelOrigin,
    set: &TrainingSet,
    baseline: &[Option<f64>],
    selected: bool,
) -> ModelVersion {
    ModelVersion {
        id: ModelVersionId::generate(),
        kind: c.model.kind().into(),
        origin,
        fingerprint: set.fingerprint.clone(),
        created_at: chrono::DateTime::UNIX_EPOCH,
        created_by: None,
        active: false,
        activated_at: None,
        report: VersionReport {
            examples: PartCounts {
                train: set.train.len(),
                calibration: set.calibration.len(),
                test: set.test.len(),
            },
            params: c.model.params(),
            coverage: c.coverage,
            half_width: c.half_width,
            validation: c.validation.clone(),
            test: c.test.clone(),
            selected,
            baseline: baseline.to_vec(),
        },
    }
}

/// Median of each feature over the train part, missing values left out (`None` if all are).
fn baseline(set: &TrainingSet) -> Vec<Option<f64>> {
    (0..FEATURE_COUNT)
        .map(|j| {
            let mut v: Vec<f64> = set
                .train
                .iter()
                .map(|e| e.features.values[j])
                .filter(|x| !x.is_nan())
                .collect();
            (!v.is_empty()).then(|| median(&mut v))
        })
        .collect()
}

/// Runs a queued job: running, progress as it goes, then succeeded or failed.
async fn run_job(
    c: ModelsCtx<'_>,
    meta: RequestMeta,
    actor: Actor,
    mut job: ModelJob,
    opts: TrainingOptions,
    activate: bool,
) {
    let (tx, mut rx) = tokio::sync::watch::channel(("starting".to_string(), 0.0));
    let progress: ProgressFn = Arc::new(move |stage: &str, share: f64| {
        let _ = tx.send((stage.to_string(), share));
    });
    job.status = JobStatus::Running;
    save_job(c, &job, None).await;
    let models = Models { c };
    let training = models.train(&meta, &actor, opts, activate, progress);
    tokio::pin!(training);
    let mut heartbeat = tokio::time::interval(super::version::JOB_HEARTBEAT);
    let outcome = loop {
        tokio::select! {
            outcome = &mut training => break outcome,
            _ = heartbeat.tick() => {
                job.updated_at = c.stamp.now();
                save_job(c, &job, None).await;
            }
            changed = rx.changed() => {
                if changed.is_err() {
                    break (&mut training).await;
                }
                let (stage, share) = rx.borrow_and_update().clone();
                (job.stage, job.progress, job.updated_at) = (stage, share, c.stamp.now());
                save_job(c, &job, None).await;
            }
        }
    };
    let action = match outcome {
        Ok(o) => {
            (job.status, job.version_id) = (JobStatus::Succeeded, Some(o.selected));
            (job.stage, job.progress) = ("done".into(), 1.0);
            "model.training_succeeded"
        }
        Err(e) => {
            job.status = JobStatus::Failed;
            job.error = Some(e.to_string());
            "model.training_failed"
        }
    };
    job.updated_at = c.stamp.now();
    let event = c.stamp.event(
        &meta,
        actor.audit_actor(),
        action,
        ("model_job", job.id.as_str()),
        json!({ "version_id": job.version_id.as_ref().map(ModelVersionId::as_str) }),
    );
    save_job(c, &job, Some(event)).await;
}

async fn save_job(c: ModelsCtx<'_>, job: &ModelJob, audit: Option<crate::audit::AuditEvent>) {
    if let Err(e) = c.store.save_model_job(job, audit).await {
        tracing::error!(job_id = %job.id, error = %crate::error::chain(&e), "saving a training job");
    }
}
