//! Keeps the search index and the saved matches in step with the store while the server runs.
//!
//! A background task runs the indexer's catch-up, then the matchmaker's, at start, then
//! whenever a request that may have changed a listing, a KYC decision, a valuation or a buyer's
//! preferences succeeds (a nudge), and at least every [`CATCH_UP_INTERVAL`] (for changes made
//! by other processes, such as the CLI, or a nudge lost to a crash). A catch-up replays the
//! audit log after its consumer's cursor, so a late or repeated one is harmless.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use msme_core::ports::SearchError;
use msme_core::Platform;
use tokio::sync::Notify;

use crate::AppState;

/// The longest a committed change waits before the index catches up with it.
pub const CATCH_UP_INTERVAL: Duration = Duration::from_secs(1);

/// Catches the index and the saved matches up at start, on every nudge, and every
/// [`CATCH_UP_INTERVAL`]. Without a search index only the matches are kept.
pub(crate) async fn follow(platform: Platform, nudge: Arc<Notify>) {
    let mut tick = tokio::time::interval(CATCH_UP_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        match platform.search().indexer().catch_up().await {
            Ok(done) if done.entries > 0 => {
                tracing::debug!(
                    entries = done.entries,
                    cursor = done.cursor,
                    "index caught up"
                );
            }
            Ok(_) => {}
            Err(SearchError::Unavailable(_)) => {}
            Err(e) => {
                let error = &e as &dyn std::error::Error;
                tracing::warn!(error, "search catch-up failed; retrying");
            }
        }
        match platform.matchmaking().matchmaker().catch_up().await {
            Ok(done) if done.buyers > 0 => {
                tracing::debug!(
                    buyers = done.buyers,
                    cursor = done.cursor,
                    "saved matches refreshed"
                );
            }
            Ok(_) => {}
            Err(e) => {
                let error = &e as &dyn std::error::Error;
                tracing::warn!(error, "matchmaker catch-up failed; retrying");
            }
        }
        tokio::select! {
            _ = tick.tick() => {}
            _ = nudge.notified() => {}
        }
    }
}

/// Paths whose changes the index or the saved matches reflect: listings, KYC (a listing's
/// `verified` flag), valuations and buyers' preferences.
const INDEXED_PATHS: [&str; 4] = [
    "/v1/listings",
    "/v1/kyc",
    "/v1/valuations",
    "/v1/buyer-preferences",
];

/// After a successful request that may have changed what the index holds (not a read, under
/// [`INDEXED_PATHS`]), wakes the follower.
pub(crate) async fn nudge_after_change(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let reads = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let path = request.uri().path();
    let indexed = INDEXED_PATHS.iter().any(|p| path.starts_with(p));
    let response = next.run(request).await;
    if indexed && !reads && response.status().is_success() {
        state.index_nudge.notify_one();
    }
    response
}
