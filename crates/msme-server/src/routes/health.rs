//! `/health` and `/health/{module}`: is the service able to do its work?

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use msme_core::error::chain;
use msme_core::rbac::Actor;

use crate::error::ApiError;
use crate::extract::ApiPath;
use crate::wire::{ErrorBody, HealthBody};
use crate::AppState;

type Health = (StatusCode, Json<HealthBody>);

/// Overall health: a round trip to the database.
#[utoipa::path(get, path = "/health", tag = "health",
    responses(
        (status = 200, description = "Serving", body = HealthBody),
        (status = 503, description = "The database cannot be reached", body = HealthBody),
    ))]
pub async fn overall(State(state): State<AppState>) -> Health {
    let (status, mut body) = database(&state).await;
    body.module = None;
    body.detail = None;
    (status, body)
}

/// Health of one module: `database`, `auth` or `sms`.
#[utoipa::path(get, path = "/health/{module}", tag = "health",
    params(("module" = String, Path, description = "`database`, `auth` or `sms`")),
    responses(
        (status = 200, description = "The module works", body = HealthBody),
        (status = 404, description = "No such module", body = ErrorBody),
        (status = 503, description = "The module cannot work now", body = HealthBody),
    ))]
pub async fn module(
    State(state): State<AppState>,
    ApiPath(module): ApiPath<String>,
) -> Result<Health, ApiError> {
    Ok(match module.as_str() {
        "database" => database(&state).await,
        "auth" => auth(&state).await,
        "sms" => sms(&state).await,
        _ => {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "unknown_module",
                "no such module; try database, auth or sms",
            ))
        }
    })
}

fn report(module: &str, ok: bool, detail: &str, database: &str) -> Health {
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = HealthBody {
        status: if ok { "ok" } else { "unavailable" }.to_string(),
        module: Some(module.to_string()),
        database: Some(database.to_string()),
        detail: Some(detail.to_string()),
    };
    (status, Json(body))
}

async fn database(state: &AppState) -> Health {
    let store = state.platform.store();
    let result = store.health().await;
    if let Err(e) = &result {
        tracing::warn!(error = %chain(e), "health: database unreachable");
    }
    let detail = "round trip to the database";
    report("database", result.is_ok(), detail, store.backend_name())
}

/// Sign-in needs the accounts and sessions in the database.
async fn auth(state: &AppState) -> Health {
    let (status, body) = database(state).await;
    let detail = "accounts and sessions readable";
    let ok = status == StatusCode::OK;
    report("auth", ok, detail, body.database.as_deref().unwrap_or(""))
}

/// Messages are written to the outbox first; a provider (when configured) delivers from it.
async fn sms(state: &AppState) -> Health {
    let result = state
        .platform
        .outbox()
        .list(&Actor::operator(), None, 1)
        .await;
    if let Err(e) = &result {
        tracing::warn!(error = %chain(e), "health: outbox unreadable");
    }
    let backend = state.platform.store().backend_name();
    report("sms", result.is_ok(), "outbox readable", backend)
}
