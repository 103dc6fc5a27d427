//! # msme-server
//!
//! The HTTP API of the MSME Exchange (axum). Handlers parse the wire format into core value
//! types and call operations on [`msme_core::Platform`]; the core checks permissions and rules.
//! Failures become JSON in one place ([`ApiError`]). The OpenAPI document ([`openapi`]) is
//! generated from the handlers and served at `/openapi.json`, with Swagger UI at `/docs`.
//!
//! ```no_run
//! # async fn demo(platform: msme_core::Platform) -> anyhow::Result<()> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! msme_server::serve(platform, listener, async {
//!     let _ = tokio::signal::ctrl_c().await;
//! })
//! .await
//! # }
//! ```
#![forbid(unsafe_code)]

mod error;
mod extract;
mod idempotency;
mod openapi;
mod payout_runner;
mod ratelimit;
mod request_id;
pub mod routes;
mod search_sync;
mod telemetry;
pub mod wire;

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::middleware;
use axum::Router;
use msme_core::Platform;
use utoipa_swagger_ui::SwaggerUi;

pub use error::ApiError;
pub use extract::{ApiJson, Caller, Meta};
pub use idempotency::{IdemKey, IDEMPOTENCY_KEY, REPLAYED};
pub use openapi::openapi;
pub use ratelimit::{Limiter, RateLimit};
pub use request_id::RequestId;
pub use search_sync::CATCH_UP_INTERVAL;

/// Request bodies larger than this are refused with 413; sign-in bodies are tiny.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Where and how the server listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerConfig {
    /// The address to bind, e.g. `127.0.0.1:8080`.
    pub addr: SocketAddr,
    /// Key rate limits by `X-Forwarded-For`; turn on only behind a proxy that sets it.
    pub trust_forwarded_for: bool,
}

impl ServerConfig {
    /// Listens on `addr`, trusting no proxy headers.
    pub fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            trust_forwarded_for: false,
        }
    }
}

impl Default for ServerConfig {
    /// `127.0.0.1:8080`, no proxy.
    fn default() -> Self {
        Self::new(SocketAddr::from((Ipv4Addr::LOCALHOST, 8080)))
    }
}

/// What every handler can reach: the platform and the rate limiter. Cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The marketplace; every operation goes through it.
    pub platform: Platform,
    /// Per-IP buckets for `/v1/auth/*`.
    pub limiter: Arc<Limiter>,
    /// Wakes the search index's catch-up after a request that may have changed listings.
    pub index_nudge: Arc<tokio::sync::Notify>,
    /// Wakes the payout task after a request that may have left money payable.
    pub payout_nudge: Arc<tokio::sync::Notify>,
}

impl AppState {
    /// State for a router with the given limits.
    pub fn new(platform: Platform, config: &ServerConfig, limit: RateLimit) -> Self {
        Self {
            platform,
            limiter: Arc::new(Limiter::new(limit, config.trust_forwarded_for)),
            index_nudge: Arc::new(tokio::sync::Notify::new()),
            payout_nudge: Arc::new(tokio::sync::Notify::new()),
        }
    }
}

/// The API with default settings: no proxy trusted, default rate limits.
pub fn router(platform: Platform) -> Router {
    router_with(platform, &ServerConfig::default(), RateLimit::default())
}

/// The API with explicit settings. The search index is kept in step only by [`serve`] and
/// [`serve_with`], which run the catch-up task beside the router.
pub fn router_with(platform: Platform, config: &ServerConfig, limit: RateLimit) -> Router {
    app(AppState::new(platform, config, limit))
}

/// The router on `state`.
fn app(state: AppState) -> Router {
    let limited = routes::build(routes::rate_limited()).route_layer(
        middleware::from_fn_with_state(state.clone(), ratelimit::limit),
    );
    let docs = SwaggerUi::new("/docs").url("/openapi.json", openapi());
    routes::build(routes::unlimited())
        .merge(limited)
        .merge(docs)
        .fallback(|| async { ApiError::route_not_found() })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            search_sync::nudge_after_change,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            payout_runner::nudge_after_money_move,
        ))
        .layer(telemetry::catch_panic())
        .layer(telemetry::trace())
        .layer(middleware::from_fn(request_id::assign))
        .with_state(state)
}

/// Every method and path the API serves, bar the documentation (`/openapi.json`, `/docs`).
pub fn api_routes() -> Vec<(Method, &'static str)> {
    routes::unlimited()
        .into_iter()
        .chain(routes::rate_limited())
        .map(|r| (r.method, r.path))
        .collect()
}

/// Serves the API with default settings on `listener` until `shutdown` completes, then lets
/// requests in flight finish. Beside it, a task keeps the search index in step with the store
/// (at start, after each change, and every [`CATCH_UP_INTERVAL`]), and another sends payouts
/// (after each money move, and every `PAYOUT_INTERVAL`).
pub async fn serve(
    platform: Platform,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let config = ServerConfig::default();
    serve_with(platform, config, RateLimit::default(), listener, shutdown).await
}

/// [`serve`] with explicit settings (proxy trust, rate limits).
pub async fn serve_with(
    platform: Platform,
    config: ServerConfig,
    limit: RateLimit,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let state = AppState::new(platform, &config, limit);
    let follower = tokio::spawn(search_sync::follow(
        state.platform.clone(),
        state.index_nudge.clone(),
    ));
    let payouts = tokio::spawn(payout_runner::follow(
        state.platform.clone(),
        state.payout_nudge.clone(),
    ));
    let served = serve_router(app(state), listener, shutdown).await;
    follower.abort();
    payouts.abort();
    served
}

/// Serves a router with the peer address available to the rate limiter.
async fn serve_router(
    app: Router,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let addr = listener
        .local_addr()
        .context("reading the listening address")?;
    tracing::info!(%addr, "serving the API");
    let service = app.into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
        .context("serving HTTP")?;
    tracing::info!("server stopped");
    Ok(())
}
