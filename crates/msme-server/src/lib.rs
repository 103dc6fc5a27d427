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
mod ratelimit;
mod request_id;
pub mod routes;
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

/// Request bodies larger than this are refused with 413; sign-in bodies are tiny.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Where and how the server listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerConfig {
    /// The address to bind, e.g. `127.0.0.1:8080`.
    pub addr: SocketAddr,
    /// Key rate limits by `X-Forwarded-For`; turn on only behind a proxy that sets it.
    pub trust_forwarded_for: bool,
    /// Run the platform's runtime (search indexer, matcher, payouts, SMS, training) beside
    /// the API. Off when separate `msme worker` processes do that work.
    pub worker: bool,
}

impl ServerConfig {
    /// Listens on `addr`, trusting no proxy headers.
    pub fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            trust_forwarded_for: false,
            worker: true,
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
}

impl AppState {
    /// State for a router with the given limits.
    pub fn new(platform: Platform, config: &ServerConfig, limit: RateLimit) -> Self {
        Self {
            platform,
            limiter: Arc::new(Limiter::new(limit, config.trust_forwarded_for)),
        }
    }
}

/// The API with default settings: no proxy trusted, default rate limits.
pub fn router(platform: Platform) -> Router {
    router_with(platform, &ServerConfig::default(), RateLimit::default())
}

/// The API with explicit settings. Only the router: what follows a change (the search index,
/// payouts, SMS) is the runtime's work, which [`serve`] and [`serve_with`] run beside it.
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
/// requests in flight finish. Beside it runs the platform's runtime
/// ([`Platform::runtime`]): the consumers of the event stream that keep the search index and
/// saved matches in step, send payouts and SMS, and run training jobs, for changes made here
/// or by any other process on the same database.
pub async fn serve(
    platform: Platform,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let config = ServerConfig::default();
    serve_with(platform, config, RateLimit::default(), listener, shutdown).await
}

/// [`serve`] with explicit settings (proxy trust, rate limits, whether to run the runtime).
pub async fn serve_with(
    platform: Platform,
    config: ServerConfig,
    limit: RateLimit,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    // The runtime gets a task of its own, so a consumer's work never delays accepting
    // connections; it stops (giving its leases up, writing the last views) after the server
    // has. Without the worker it still flushes what only this process holds (buyers' views).
    let runtime = platform.runtime();
    let with_consumers = config.worker;
    let mut stopped = stopped.clone();
    let worker = tokio::spawn(async move {
        let shutdown = async move {
            let _ = stopped.wait_for(|s| *s).await;
        };
        if with_consumers {
            runtime.run(shutdown).await;
        } else {
            runtime.run_flushers(shutdown).await;
        }
    });
    let state = AppState::new(platform, &config, limit);
    let served = serve_router(app(state), listener, shutdown).await;
    let _ = stop.send(true);
    let _ = worker.await;
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
