//! The `Idempotency-Key` header every money-moving request carries, and the answer that says a
//! response is a replay.
//!
//! The same key with the same request returns the first result (with `Idempotent-Replayed:
//! true`); with a different request it is a 409 `idempotency_conflict`; without the header the
//! request is refused with 400 `idempotency_key_required` before anything happens.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use msme_core::escrow_service::Receipt;
use msme_core::ledger::IdempotencyKey;
use serde::Serialize;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::Required;
use utoipa::IntoParams;

use crate::error::ApiError;

/// The request header.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// The response header set on a replayed response.
pub const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// The request's idempotency key (1 to 255 visible ASCII characters; a UUID is a good one).
#[derive(Debug, Clone)]
pub struct IdemKey(pub IdempotencyKey);

impl<S: Send + Sync> FromRequestParts<S> for IdemKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get(&IDEMPOTENCY_KEY) else {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "idempotency_key_required",
                "this request moves money: send an `Idempotency-Key` header (a UUID you keep \
                 for retries of the same request)",
            )
            .with_field("Idempotency-Key"));
        };
        let text = value.to_str().unwrap_or("\u{0}");
        let key = IdempotencyKey::parse(text)
            .map_err(|e| ApiError::from(e).with_field("Idempotency-Key"))?;
        Ok(IdemKey(key))
    }
}

/// Documents the header where an operation takes the extractor: `params(IdemKey)`.
impl IntoParams for IdemKey {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let header = ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(Required::True)
            .description(Some("Your key for this request; retries reuse it"))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)));
        vec![header.build()]
    }
}

/// The JSON of a receipt's value with `status`, marked `Idempotent-Replayed: true` when it is
/// the stored answer to an earlier request with the same key.
pub fn answer<T, B: Serialize>(status: StatusCode, receipt: &Receipt<T>, body: B) -> Response {
    let mut res = (status, Json(body)).into_response();
    if receipt.replayed {
        res.headers_mut()
            .insert(REPLAYED, HeaderValue::from_static("true"));
    }
    res
}
