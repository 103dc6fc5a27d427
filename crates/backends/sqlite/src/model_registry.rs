//! The model registry ([`ModelStore`]): versions with their files, one active, and training
//! jobs.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msme_core::audit::AuditEvent;
use msme_core::model::{
    JobStatus, ModelJob, ModelJobId, ModelOrigin, ModelVersion, ModelVersionId,
};
use msme_core::ports::{ModelStore, StoreResult};
use msme_core::types::UserId;
use rusqlite::{params, Row};

use crate::audit::append;
use crate::error::Step;
use crate::rows::{micros, time, time_opt};
use crate::statements::ById;
use crate::SqliteStore;

const MODEL_JOBS: ById = ById::new("reading a training job", "model_jobs", JOB_COLUMNS);

const VERSION_COLUMNS: &str =
    "id, kind, origin, fingerprint, created_at, created_by, active, activated_at, document";
const JOB_COLUMNS: &str =
    "id, status, stage, progress, requested_by, created_at, updated_at, version_id, error";

/// A version row before its origin and document are parsed.
type RawVersion = (
    String,
    String,
    String,
    String,
    DateTime<Utc>,
    Option<String>,
    bool,
    Option<DateTime<Utc>>,
    String,
);

fn raw_version(r: &Row<'_>) -> rusqlite::Result<RawVersion> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        time(r, 4)?,
        r.get(5)?,
        r.get(6)?,
        time_opt(r, 7)?,
        r.get(8)?,
    ))
}

fn version(raw: RawVersion) -> StoreResult<ModelVersion> {
    let (id, kind, origin, fingerprint, created_at, by, active, activated_at, doc) = raw;
    Ok(ModelVersion {
        id: ModelVersionId::from_trusted(id),
        kind,
        origin: ModelOrigin::parse_stored(&origin)?,
        fingerprint,
        created_at,
        created_by: by.map(UserId::from_trusted),
        active,
        activated_at,
        report: ModelVersion::parse_document(&doc)?,
    })
}

type RawJob = (
    String,
    String,
    String,
    f64,
    Option<String>,
    DateTime<Utc>,
    DateTime<Utc>,
    Option<String>,
    Option<String>,
);

fn raw_job(r: &Row<'_>) -> rusqlite::Result<RawJob> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        time(r, 5)?,
        time(r, 6)?,
        r.get(7)?,
        r.get(8)?,
    ))
}

fn job(raw: RawJob) -> StoreResult<ModelJob> {
    let (id, status, stage, progress, by, created_at, updated_at, version, error) = raw;
    Ok(ModelJob {
        id: ModelJobId::from_trusted(id),
        status: JobStatus::parse_stored(&status)?,
        stage,
        progress,
        requested_by: by.map(UserId::from_trusted),
        created_at,
        updated_at,
        version_id: version.map(ModelVersionId::from_trusted),
        error,
    })
}

impl SqliteStore {
    async fn versions_where(
        &self,
        filter: &'static str,
        arg: String,
    ) -> StoreResult<Vec<ModelVersion>> {
        let sql = format!(
            "SELECT {VERSION_COLUMNS} FROM model_versions WHERE {filter} \
             ORDER BY created_at DESC, id DESC"
        );
        let rows = self
            .read_all("reading model versions", sql, [arg], raw_version)
            .await?;
        rows.into_iter().map(version).collect()
    }
}

#[async_trait]
impl ModelStore for SqliteStore {
    #[tracing::instrument(skip_all)]
    async fn save_model_versions(
        &self,
        versions: &[(ModelVersion, Vec<u8>)],
        activate: Option<&ModelVersionId>,
        audit: AuditEvent,
    ) -> StoreResult<()> {
        let versions = versions.to_vec();
        let activate = activate.map(ToString::to_string);
        self.write(move |tx| {
            for (v, file) in &versions {
                tx.prepare_cached(
                    "INSERT INTO model_versions (id, kind, origin, fingerprint, created_at, \
                     created_by, active, activated_at, document, artifact) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, NULL, ?7, ?8)",
                )
                .and_then(|mut st| {
                    st.execute(params![
                        v.id.as_str(),
                        v.kind,
                        v.origin.as_str(),
                        v.fingerprint,
                        micros(v.created_at),
                        v.created_by.as_ref().map(UserId::as_str),
                        v.document(),
                        file,
                    ])
                })
                .step("storing a model version")?;
            }
            if let Some(id) = activate {
                let at = versions.first().map_or(0, |(v, _)| micros(v.created_at));
                activate_in(tx, &id, at)?;
            }
            append(tx, audit).map(drop)
        })
        .await
    }

    async fn model_versions(&self) -> StoreResult<Vec<ModelVersion>> {
        self.versions_where("?1 = ?1", String::new()).await
    }

    async fn model_version_by_id(&self, id: &ModelVersionId) -> StoreResult<Option<ModelVersion>> {
        Ok(self.versions_where("id = ?1", id.to_string()).await?.pop())
    }

    async fn active_model_version(&self) -> StoreResult<Option<ModelVersion>> {
        Ok(self
            .versions_where("active = 1 AND ?1 = ?1", String::new())
            .await?
            .pop())
    }

    async fn model_artifact(&self, id: &ModelVersionId) -> StoreResult<Option<Vec<u8>>> {
        self.read_optional(
            "reading a model file",
            "SELECT artifact FROM model_versions WHERE id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn activate_model_version(
        &self,
        id: &ModelVersionId,
        at: DateTime<Utc>,
        audit: AuditEvent,
    ) -> StoreResult<bool> {
        let id = id.to_string();
        self.audited(audit, move |tx| {
            let exists: bool = tx
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM model_versions WHERE id = ?1)",
                    [&id],
                    |r| r.get(0),
                )
                .step("looking up a model version")?;
            if exists {
                activate_in(tx, &id, micros(at))?;
            }
            Ok(exists)
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn save_model_job(&self, j: &ModelJob, audit: Option<AuditEvent>) -> StoreResult<()> {
        let j = j.clone();
        self.write(move |tx| {
            tx.prepare_cached(&format!(
                "INSERT INTO model_jobs ({JOB_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
                 ON CONFLICT (id) DO UPDATE SET status = excluded.status, stage = excluded.stage, \
                 progress = excluded.progress, updated_at = excluded.updated_at, \
                 version_id = excluded.version_id, error = excluded.error"
            ))
            .and_then(|mut st| {
                st.execute(params![
                    j.id.as_str(),
                    j.status.as_str(),
                    j.stage,
                    j.progress,
                    j.requested_by.as_ref().map(UserId::as_str),
                    micros(j.created_at),
                    micros(j.updated_at),
                    j.version_id.as_ref().map(ModelVersionId::as_str),
                    j.error,
                ])
            })
            .step("saving a training job")?;
            if let Some(a) = audit {
                append(tx, a)?;
            }
            Ok(())
        })
        .await
    }

    async fn model_job_by_id(&self, id: &ModelJobId) -> StoreResult<Option<ModelJob>> {
        let row = self.read_by_id(&MODEL_JOBS, id.as_str(), raw_job).await?;
        row.map(job).transpose()
    }
}

/// Clears the active flag and sets it on `id`, in the caller's transaction.
fn activate_in(tx: &rusqlite::Transaction<'_>, id: &str, at: i64) -> StoreResult<()> {
    tx.execute("UPDATE model_versions SET active = 0 WHERE active = 1", [])
        .step("deactivating the active model version")?;
    tx.execute(
        "UPDATE model_versions SET active = 1, activated_at = ?2 WHERE id = ?1",
        params![id, at],
    )
    .step("activating a model version")?;
    Ok(())
}
