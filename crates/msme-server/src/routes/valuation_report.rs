//! `GET /v1/valuations/{id}/report`: a kept valuation as a PDF report, for whoever may read the
//! valuation (`GET /v1/valuations/{id}`'s rules, 404 for anyone else). A requester who now sees
//! only the listing's teaser gets the report with the listing's confidential fields withheld.

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use msme_core::types::ValuationId;
use tracing::instrument;

use super::answers::NoSuchValuation;
use crate::error::ApiError;
use crate::extract::{Call, PathId};

/// The valuation report as a PDF: the business, the value with its range, coverage and
/// confidence, every method's value, weight and notes, a range chart, the risks, the
/// comparables with their multiples, and the assumptions with their sources.
#[utoipa::path(get, path = "/v1/valuations/{id}/report", tag = "valuations",
    params(PathId<ValuationId>),
    responses(
        (status = 200, description = "The report", content_type = "application/pdf", body = String),
        NoSuchValuation,
    ))]
#[instrument(skip_all, fields(valuation_id = %id))]
pub async fn report(call: Call, PathId(id): PathId<ValuationId>) -> Result<Response, ApiError> {
    let v = call.platform.valuations().get(&call.actor, &id).await?;
    let pdf = msme_report::render(v).await?;
    let mut h = HeaderMap::new();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(msme_report::CONTENT_TYPE),
    );
    let name = format!("inline; filename=\"valuation-{id}.pdf\"");
    let name = HeaderValue::from_str(&name).map_err(|_| ApiError::internal())?;
    h.insert(header::CONTENT_DISPOSITION, name);
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok((h, pdf).into_response())
}
