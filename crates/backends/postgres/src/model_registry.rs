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
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use crate::audit::commit_audited;
use crate::rows::from_columns;
use crate::rows::{col, Fetch};
use crate::PgStore;

/// `SELECT <version columns> FROM model_versions <tail>`, as one literal.
macro_rules! select_versions {
    ($tail:literal) => {
        concat!(
            "SELECT id, kind, origin, fingerprint, created_at, created_by, active, activated_at, \
             document::text AS document FROM model_versions ",
            $tail
        )
    };
}

fn version(r: &PgRow) -> StoreResult<ModelVersion> {
    let origin: String = col(r, "origin")?;
    let doc: String = col(r, "document")?;
    let by: Option<String> = col(r, "created_by")?;
    Ok(from_columns!(r => ModelVersion {
        kind, fingerprint, created_at, active, activated_at;
        id: ModelVersionId::from_trusted(col(r, "id")?),
        origin: ModelOrigin::parse_stored(&origin)?,
        created_by: by.map(UserId::from_trusted),
        report: ModelVersion::parse_document(&doc)?,
    }))
}

fn job(r: &PgRow) -> StoreResult<ModelJob> {
    let status: String = col(r, "status")?;
    let by: Option<String> = col(r, "requested_by")?;
    let version: Option<String> = col(r, "version_id")?;
    Ok(from_columns!(r => ModelJob {
        stage, progress, created_at, updated_at, error;
        id: ModelJobId::from_trusted(col(r, "id")?),
        status: JobStatus::parse_stored(&status)?,
        requested_by: by.map(UserId::from_trusted),
        version_id: version.map(ModelVersionId::from_trusted),
    }))
}

/// Clears the active flag and sets it on `id`, in the caller's transaction. The active row is
/// locked first, so two activations at once serialise instead of breaking the unique index.
async fn activate_in(conn: &mut PgConnection, id: &str, at: DateTime<Utc>) -> StoreResult<()> {
    sqlx::query("LOCK TABLE model_versions IN SHARE ROW EXCLUSIVE MODE")
        .run(&mut *conn)
        .await?;
    sqlx::query("UPDATE model_versions SET active = FALSE WHERE active")
        .run(&mut *conn)
        .await?;
    sqlx::query("UPDATE model_versions SET active = TRUE, activated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .run(&mut *conn)
        .await
        .map(drop)
}

#[async_trait]
impl ModelStore for PgStore {
    #[tracing::instrument(skip_all)]
    async fn save_model_versions(
        &self,
        versions: &[(ModelVersion, Vec<u8>)],
        activate: Option<&ModelVersionId>,
        audit: AuditEvent,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        for (v, file) in versions {
            sqlx::query(
                "INSERT INTO model_versions (id, kind, origin, fingerprint, created_at, \
                 created_by, active, activated_at, document, artifact) \
                 VALUES ($1, $2, $3, $4, $5, $6, FALSE, NULL, $7::jsonb, $8)",
            )
            .bind(v.id.as_str())
            .bind(&v.kind)
            .bind(v.origin.as_str())
            .bind(&v.fingerprint)
            .bind(v.created_at)
            .bind(v.created_by.as_ref().map(UserId::as_str))
            .bind(v.document())
            .bind(file.as_slice())
            .run(&mut *tx)
            .await?;
        }
        if let (Some(id), Some((first, _))) = (activate, versions.first()) {
            activate_in(&mut tx, id.as_str(), first.created_at).await?;
        }
        commit_audited(tx, audit).await
    }

    async fn model_versions(&self) -> StoreResult<Vec<ModelVersion>> {
        sqlx::query(select_versions!("ORDER BY created_at DESC, id DESC"))
            .fetch_all_as(&self.pool, version)
            .await
    }

    async fn model_version_by_id(&self, id: &ModelVersionId) -> StoreResult<Option<ModelVersion>> {
        self.find(select_versions!("WHERE id = $1"), id.as_str(), version)
            .await
    }

    async fn active_model_version(&self) -> StoreResult<Option<ModelVersion>> {
        sqlx::query(select_versions!("WHERE active"))
            .fetch_optional_as(&self.pool, version)
            .await
    }

    async fn model_artifact(&self, id: &ModelVersionId) -> StoreResult<Option<Vec<u8>>> {
        self.find(
            "SELECT artifact FROM model_versions WHERE id = $1",
            id.as_str(),
            |r| col(r, "artifact"),
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
        let activated = async |tx: &mut PgConnection| {
            let exists: bool =
                sqlx::query("SELECT EXISTS (SELECT 1 FROM model_versions WHERE id = $1) AS found")
                    .bind(id.as_str())
                    .fetch_one_as(&mut *tx, |r| col(r, "found"))
                    .await?;
            if exists {
                activate_in(tx, id.as_str(), at).await?;
            }
            Ok(exists)
        };
        self.audited(audit, activated).await
    }

    #[tracing::instrument(skip_all)]
    async fn save_model_job(&self, j: &ModelJob, audit: Option<AuditEvent>) -> StoreResult<()> {
        let upsert = sqlx::query(
            "INSERT INTO model_jobs (id, status, stage, progress, requested_by, created_at, \
             updated_at, version_id, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (id) DO UPDATE SET status = excluded.status, stage = excluded.stage, \
             progress = excluded.progress, updated_at = excluded.updated_at, \
             version_id = excluded.version_id, error = excluded.error",
        )
        .bind(j.id.as_str())
        .bind(j.status.as_str())
        .bind(&j.stage)
        .bind(j.progress)
        .bind(j.requested_by.as_ref().map(UserId::as_str))
        .bind(j.created_at)
        .bind(j.updated_at)
        .bind(j.version_id.as_ref().map(ModelVersionId::as_str))
        .bind(&j.error);
        match audit {
            Some(audit) => self.audited_run(upsert, audit).await.map(drop),
            None => upsert.run(&self.pool).await.map(drop),
        }
    }

    async fn model_job_by_id(&self, id: &ModelJobId) -> StoreResult<Option<ModelJob>> {
        self.find(
            "SELECT id, status, stage, progress, requested_by, created_at, updated_at, \
             version_id, error FROM model_jobs WHERE id = $1",
            id.as_str(),
            job,
        )
        .await
    }
}
