//! `/v1/models/training-jobs` and `/v1/models/performance`: training in the background (admins)
//! and how the models do (anyone signed in). The seed's `/v1/train-model` and
//! `/v1/model-performance` are kept as aliases (see [`super::ALIASES`]).

use axum::http::StatusCode;
use axum::Json;
use msme_core::model::ModelJobId;
use tracing::instrument;

use super::answers::NotAdmin;
use crate::error::ApiError;
use crate::extract::{ApiJson, Call, PathId};
use crate::wire::model::{ModelJobBody, ModelPerformanceBody, ModelVersionBody, TrainModelBody};
use crate::wire::ErrorBody;

/// Starts training on the kept comparable deals as a background job and answers its id at
/// once; read its status at `GET /v1/models/training-jobs/{id}`. Every candidate is registered; the one
/// with the lowest error on the calibration part becomes active unless `activate` is false.
#[utoipa::path(post, path = "/v1/models/training-jobs", tag = "models",
    request_body = TrainModelBody,
    responses(
        (status = 202, description = "The queued job", body = ModelJobBody),
        (status = 400, description = "An unknown kind or a coverage out of range", body = ErrorBody),
        NotAdmin,
    ))]
#[instrument(skip_all)]
pub async fn train(
    call: Call,
    ApiJson(body): ApiJson<TrainModelBody>,
) -> Result<(StatusCode, Json<ModelJobBody>), ApiError> {
    let (opts, activate) = body.options();
    let models = call.platform.models();
    let job = models
        .start_training(&call.meta, &call.actor, opts, activate)
        .await?;
    Ok((StatusCode::ACCEPTED, Json(ModelJobBody::from(&job))))
}

/// A training job's status, stage and progress, and the version it chose.
#[utoipa::path(get, path = "/v1/models/training-jobs/{id}", tag = "models",
    params(PathId<ModelJobId>),
    responses(
        (status = 200, description = "The job", body = ModelJobBody),
        NotAdmin,
        (status = 404, description = "No such job", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(job_id = %id))]
pub async fn job(
    call: Call,
    PathId(id): PathId<ModelJobId>,
) -> Result<Json<ModelJobBody>, ApiError> {
    let job = call.platform.models().job(&call.actor, &id).await?;
    Ok(Json(ModelJobBody::from(&job)))
}

/// The active model version and every version with its held-out metrics (MAPE, median APE,
/// R² of the log price, interval coverage), and how many comparable deals there are.
#[utoipa::path(get, path = "/v1/models/performance", tag = "models",
    responses(
        (status = 200, description = "The registry", body = ModelPerformanceBody),
    ))]
#[instrument(skip_all)]
pub async fn performance(call: Call) -> Result<Json<ModelPerformanceBody>, ApiError> {
    let p = call.platform.models().performance(&call.actor).await?;
    Ok(Json(ModelPerformanceBody {
        active: p.active.as_ref().map(ModelVersionBody::from),
        versions: p.versions.iter().map(ModelVersionBody::from).collect(),
        comparables: p.comparables,
    }))
}
