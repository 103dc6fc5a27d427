//! `msme serve`: the HTTP API, until Ctrl-C or SIGTERM.

use std::future::Future;
use std::net::SocketAddr;

use anyhow::Context;
use serde_json::json;

use super::Ctx;
use crate::cli::ServeArgs;
use crate::error::InputError;

/// Serves the API on `--addr`, initialising a fresh data directory first.
pub async fn serve(ctx: &Ctx, args: &ServeArgs) -> anyhow::Result<()> {
    let addr = resolve(&args.addr).await?;
    // Listen for signals before announcing the URL, so a stop request right after it is
    // handled as a clean shutdown rather than killing the process.
    let shutdown = shutdown_signal()?;
    let settings = ctx.initialised_settings()?;
    let platform = msme_backends::open_platform(&settings).await?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let url = format!("http://{}", listener.local_addr()?);
    let json = json!({ "url": url, "docs": format!("{url}/docs"), "backend": platform.store().backend_name() });
    ctx.out.emit(&json, || {
        format!("msme API listening on {url}\nAPI docs:  {url}/docs\nStop with Ctrl-C.")
    })?;
    tracing::info!(%url, "serving");
    let mut config = msme_server::ServerConfig::new(listener.local_addr()?);
    config.worker = !args.no_worker;
    let limit = msme_server::RateLimit::default();
    msme_server::serve_with(platform, config, limit, listener, shutdown).await?;
    tracing::info!("stopped");
    Ok(())
}

/// The first address `--addr` names (`127.0.0.1:8080`, `[::]:0`, `localhost:8080`).
async fn resolve(addr: &str) -> anyhow::Result<SocketAddr> {
    let mut found = tokio::net::lookup_host(addr)
        .await
        .map_err(|e| InputError(format!("--addr `{addr}` is not a host:port address ({e})")))?;
    found
        .next()
        .ok_or_else(|| InputError(format!("--addr `{addr}` resolves to no address")).into())
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed now, before it is awaited.
pub(super) fn shutdown_signal() -> anyhow::Result<impl Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut interrupt =
            signal(SignalKind::interrupt()).context("installing a Ctrl-C handler")?;
        let mut terminate =
            signal(SignalKind::terminate()).context("installing a SIGTERM handler")?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => tracing::info!("Ctrl-C received; shutting down"),
                _ = terminate.recv() => tracing::info!("SIGTERM received; shutting down"),
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("Ctrl-C received; shutting down");
        })
    }
}
