//! Per-request tracing and the last line of defence against panics.
//!
//! Spans carry the method, the path (never the query, which might hold a token) and the
//! request id; bodies and headers are never logged.

use std::any::Any;

use axum::body::Body;
use axum::http::{Request, Response};
use axum::response::IntoResponse;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::{DefaultOnRequest, DefaultOnResponse, MakeSpan, TraceLayer};
use tracing::{Level, Span};

use crate::error::ApiError;
use crate::request_id::RequestId;

/// Makes the `request` span of each request.
#[derive(Clone, Copy, Debug)]
pub struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, req: &Request<B>) -> Span {
        let id = req
            .extensions()
            .get::<RequestId>()
            .map_or("", |r| r.0.as_str());
        tracing::info_span!(
            "request",
            method = %req.method(),
            path = %req.uri().path(),
            request_id = %id,
        )
    }
}

/// The trace layer: a span per request, a line per response with status and latency.
pub fn trace() -> TraceLayer<
    SharedClassifier<ServerErrorsAsFailures>,
    RequestSpan,
    DefaultOnRequest,
    DefaultOnResponse,
> {
    TraceLayer::new_for_http()
        .make_span_with(RequestSpan)
        .on_request(DefaultOnRequest::new().level(Level::DEBUG))
        .on_response(DefaultOnResponse::new().level(Level::INFO))
}

type PanicHandler = fn(Box<dyn Any + Send + 'static>) -> Response<Body>;

/// Turns a panic in a handler into the opaque JSON 500, instead of a dropped connection.
pub fn catch_panic() -> CatchPanicLayer<PanicHandler> {
    CatchPanicLayer::custom(panic_response as PanicHandler)
}

fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response<Body> {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(panic = %what, "handler panicked");
    ApiError::internal().into_response()
}
