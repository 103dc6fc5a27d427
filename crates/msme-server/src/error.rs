//! The one place where failures become HTTP responses.
//!
//! Every handler, extractor and middleware returns [`ApiError`]; its [`IntoResponse`] writes the
//! status and the body `{"error":{"code","message","field"?}}`. Domain errors map by their
//! [`ErrorKind`]; internal ones are logged with their cause chain and shown opaque.

use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use msme_core::auth::AuthError;
use msme_core::documents::DocumentError;
use msme_core::error::{chain, StoreError, ValidationError};
use msme_core::kyc::KycError;
use msme_core::listing::ListingError;
use msme_core::matching::MatchError;
use msme_core::model::ModelError;
use msme_core::ports::SearchError;
use msme_core::profile::ProfileError;
use msme_core::valuation::ValuationRequestError;
use msme_core::{DomainError, ErrorKind};
use msme_report::ReportError;

use crate::wire::{ErrorBody, ErrorDetail};

/// A failure as the client sees it: a status, a stable code, a message and maybe a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// Stable, machine-readable code (`invalid_credentials`, `otp_locked`, ...).
    pub code: String,
    /// For people; never contains secrets.
    pub message: String,
    /// The request field at fault, when known.
    pub field: Option<String>,
    /// Seconds to send in `Retry-After` (with 429 and 503).
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with no field and no retry hint.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_string(),
            message: message.into(),
            field: None,
            retry_after: None,
        }
    }

    /// Names the request field at fault.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The opaque answer to a bug or an unexpected failure.
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
        )
    }

    /// Maps any domain error; the only place an [`ErrorKind`] becomes a status.
    pub fn from_domain<E: DomainError + 'static>(e: &E) -> Self {
        let status = match e.kind() {
            // 400 rather than 422 for every "your request is wrong": the code and field say
            // what exactly, and clients need only one status for it.
            ErrorKind::InvalidInput => StatusCode::BAD_REQUEST,
            ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Internal => {
                tracing::error!(code = e.code(), error = %chain(e), "internal error");
                return Self::internal();
            }
        };
        if status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::warn!(code = e.code(), error = %chain(e), "dependency unavailable");
        }
        Self {
            status,
            code: e.code().to_string(),
            message: e.to_string(),
            field: e.field().map(str::to_string),
            retry_after: e.retry_after_secs(),
        }
    }

    /// 404 for a path no route serves.
    pub fn route_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "route_not_found", "no such endpoint")
    }

    /// 405 for a known path asked with a method it does not take.
    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "this endpoint does not take that method",
        )
    }
}

/// `From` for domain errors, all through [`ApiError::from_domain`].
macro_rules! from_domain {
    ($($error:ty),* $(,)?) => {$(
        impl From<$error> for ApiError {
            fn from(e: $error) -> Self {
                Self::from_domain(&e)
            }
        }
    )*};
}

from_domain!(
    AuthError,
    ValidationError,
    StoreError,
    ProfileError,
    KycError,
    DocumentError,
    ListingError,
    ValuationRequestError,
    SearchError,
    ReportError,
    ModelError,
    msme_core::escrow_service::MoneyError,
    MatchError,
);

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::MissingJsonContentType(_) => Self::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with `Content-Type: application/json`",
            ),
            JsonRejection::JsonSyntaxError(_) => Self::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                "the body is not valid JSON",
            ),
            JsonRejection::JsonDataError(e) => data_error(&e.body_text()),
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                "the body is too large",
            ),
            _ => Self::new(
                StatusCode::BAD_REQUEST,
                "invalid_body",
                "the body could not be read",
            ),
        }
    }
}

/// A body that is JSON but not the expected shape; names the field when serde does.
fn data_error(text: &str) -> ApiError {
    // serde says e.g. "Failed to deserialize the JSON body into the target type: missing
    // field `password` at line 1 column 20"; keep the part after the axum prefix.
    let detail = text.rsplit_once("target type: ").map_or(text, |(_, d)| d);
    let err = ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", detail);
    match backticked(detail) {
        Some(field) if detail.contains("field") => err.with_field(field),
        _ => err,
    }
}

fn backticked(s: &str) -> Option<&str> {
    let start = s.find('`')? + 1;
    let len = s[start..].find('`')?;
    Some(&s[start..start + len])
}

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_path",
            "the path is invalid",
        )
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_query", r.body_text())
    }
}

impl From<MultipartRejection> for ApiError {
    fn from(_: MultipartRejection) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the file as `multipart/form-data` with a boundary",
        )
    }
}

impl From<MultipartError> for ApiError {
    fn from(e: MultipartError) -> Self {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                "the body is too large",
            );
        }
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_multipart",
            "the multipart body could not be read",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
                field: self.field,
            },
        };
        let mut res = (self.status, axum::Json(body)).into_response();
        let headers = res.headers_mut();
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_kinds_map_to_statuses() {
        let cases: [(AuthError, StatusCode); 6] = [
            (AuthError::InvalidCredentials, StatusCode::UNAUTHORIZED),
            (AuthError::MobileTaken, StatusCode::CONFLICT),
            (AuthError::UserNotFound, StatusCode::NOT_FOUND),
            (AuthError::AccountDisabled, StatusCode::FORBIDDEN),
            (AuthError::AdminSelfRegistration, StatusCode::BAD_REQUEST),
            (
                AuthError::OtpCooldown {
                    retry_after_secs: 7,
                },
                StatusCode::TOO_MANY_REQUESTS,
            ),
        ];
        for (e, status) in cases {
            let code = e.code();
            let api = ApiError::from(e);
            assert_eq!((api.status, api.code.as_str()), (status, code));
        }
    }

    #[test]
    fn rate_limits_carry_retry_after() {
        let api = ApiError::from(AuthError::OtpHourlyCap {
            retry_after_secs: 42,
        });
        let res = api.into_response();
        assert_eq!(res.headers()[header::RETRY_AFTER], "42");
    }

    #[test]
    fn validation_errors_name_their_field() {
        let api = ApiError::from(ValidationError::new("mobile", "must be a mobile number"));
        assert_eq!(api.status, StatusCode::BAD_REQUEST);
        assert_eq!(api.field.as_deref(), Some("mobile"));
    }

    #[test]
    fn internal_errors_are_opaque() {
        let e = StoreError::backend(std::io::Error::other("disk on fire at /var/db"));
        let api = ApiError::from(e);
        assert_eq!(api, ApiError::internal());
        assert_eq!(api.message, "internal error");
    }

    #[test]
    fn unavailable_database_is_503() {
        let e = StoreError::Unavailable(Box::new(std::io::Error::other("refused")));
        assert_eq!(ApiError::from(e).status, StatusCode::SERVICE_UNAVAILABLE);
    }

    #[test]
    fn missing_fields_are_named() {
        let api = data_error("Failed to deserialize the JSON body into the target type: missing field `password` at line 1 column 2");
        assert_eq!(api.field.as_deref(), Some("password"));
        assert_eq!(api.status, StatusCode::BAD_REQUEST);
        assert!(api.message.starts_with("missing field"));
    }
}
