//! Sends payouts while the server runs, so released money reaches sellers and agents without
//! an operator's `msme payouts run`.
//!
//! A background task runs the core's payout pass after each successful money move over HTTP
//! (a nudge) and at least every [`PAYOUT_INTERVAL`], which also retries payouts whose backoff
//! has passed and polls those in transit. A pass only acts on what the ledger holds, so a late
//! or repeated one is harmless, and several servers on one database may run passes at once
//! (each payout's writes are guarded by compare-and-set).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use msme_core::escrow_service::PAYOUT_INTERVAL;
use msme_core::{Platform, RequestMeta};
use tokio::sync::Notify;

use crate::AppState;

/// Runs a payout pass at start, on every nudge, and every [`PAYOUT_INTERVAL`].
pub(crate) async fn follow(platform: Platform, nudge: Arc<Notify>) {
    let mut tick = tokio::time::interval(PAYOUT_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let meta = RequestMeta::with_request_id("payout-runner");
    loop {
        match platform.payouts().run_scheduled(&meta).await {
            Ok(run) => tracing::debug!(?run, "payout pass"),
            Err(e) => {
                let error = &e as &dyn std::error::Error;
                tracing::warn!(error, "payout pass failed; retrying at the next tick");
            }
        }
        tokio::select! {
            _ = tick.tick() => {}
            _ = nudge.notified() => {}
        }
    }
}

/// Paths whose successful changes may leave money payable: escrow moves and gateway webhooks.
const MONEY_PATHS: [&str; 2] = ["/v1/escrows", "/v1/webhooks"];

/// After a successful change under [`MONEY_PATHS`], wakes the payout task.
pub(crate) async fn nudge_after_money_move(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let reads = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let money = MONEY_PATHS
        .iter()
        .any(|p| request.uri().path().starts_with(p));
    let response = next.run(request).await;
    if money && !reads && response.status().is_success() {
        state.payout_nudge.notify_one();
    }
    response
}
