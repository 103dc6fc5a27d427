//! `msme worker`: the platform's consumers of the event stream, run until a signal, and their
//! status, dead letters and retries.

use std::fmt::Write as _;

use msme_core::ports::DeadLetter;
use msme_core::runtime::ConsumerStatus;
use serde_json::{json, Value};

use super::Ctx;
use crate::cli::{DeadLettersArgs, RetryArgs, WorkerArgs, WorkerCommand};
use crate::error::InputError;
use crate::output::list_text;

pub async fn run(ctx: &Ctx, args: WorkerArgs) -> anyhow::Result<()> {
    match args.command {
        None => work(ctx, &args.consumers).await,
        Some(WorkerCommand::Status) => status(ctx).await,
        Some(WorkerCommand::DeadLetters(a)) => dead_letters(ctx, &a).await,
        Some(WorkerCommand::Retry(a)) => retry(ctx, &a).await,
    }
}

/// Runs the consumers (all, or those named) until Ctrl-C or SIGTERM.
async fn work(ctx: &Ctx, only: &[String]) -> anyhow::Result<()> {
    let shutdown = super::serve::shutdown_signal()?;
    let platform = ctx.platform_as_is().await?;
    let mut runtime = platform.runtime();
    let available = runtime.consumer_names();
    if let Some(unknown) = only.iter().find(|n| !available.contains(n)) {
        return Err(InputError(format!(
            "--consumer `{unknown}` is not one this process can run (it can run: {})",
            available.join(", ")
        ))
        .into());
    }
    if !only.is_empty() {
        runtime = runtime.only(|n| only.iter().any(|o| o == n));
    }
    let names = runtime.consumer_names();
    let json = json!({ "worker": runtime.worker_id(), "consumers": names });
    ctx.out.emit(&json, || {
        format!(
            "msme worker {} running: {}\nStop with Ctrl-C.",
            runtime.worker_id(),
            names.join(", ")
        )
    })?;
    runtime.run(shutdown).await;
    tracing::info!("worker stopped");
    Ok(())
}

async fn status(ctx: &Ctx) -> anyhow::Result<()> {
    let platform = ctx.platform_as_is().await?;
    let rows = platform.runtime().status().await?;
    let json = Value::Array(rows.iter().map(status_json).collect());
    ctx.out.emit(&json, || status_text(&rows))
}

fn status_json(s: &ConsumerStatus) -> Value {
    json!({
        "consumer": s.state.consumer,
        "cursor": s.state.cursor,
        "lag": s.lag,
        "leased": s.leased,
        "lease_owner": s.state.lease_owner,
        "lease_until": s.state.lease_until,
        "handled": s.state.handled,
        "dead_letters": s.state.dead_letters,
        "updated_at": s.state.updated_at,
    })
}

fn status_text(rows: &[ConsumerStatus]) -> String {
    if rows.is_empty() {
        return "no consumer has run yet (start `msme worker` or `msme serve`)".into();
    }
    let mut out = format!(
        "{:<16} {:>9} {:>7} {:>9} {:>5}  {}\n",
        "CONSUMER", "CURSOR", "LAG", "HANDLED", "DEAD", "LEASE"
    );
    for s in rows {
        let lease = match (&s.state.lease_owner, s.leased) {
            (Some(owner), true) => format!("held by {owner}"),
            _ => "free".into(),
        };
        let _ = writeln!(
            out,
            "{:<16} {:>9} {:>7} {:>9} {:>5}  {lease}",
            s.state.consumer, s.state.cursor, s.lag, s.state.handled, s.state.dead_letters
        );
    }
    out
}

async fn dead_letters(ctx: &Ctx, args: &DeadLettersArgs) -> anyhow::Result<()> {
    let platform = ctx.platform_as_is().await?;
    let letters = platform
        .runtime()
        .dead_letters(args.consumer.as_deref(), args.limit)
        .await?;
    let json = Value::Array(letters.iter().map(letter_json).collect());
    ctx.out.emit(&json, || {
        list_text(&letters, "no dead letters", |l| {
            format!(
                "{} event {} ({}) at {}, {} attempts: {}",
                l.consumer,
                l.seq,
                l.action,
                l.at.to_rfc3339(),
                l.attempts,
                l.error
            )
        })
    })
}

fn letter_json(l: &DeadLetter) -> Value {
    json!({
        "consumer": l.consumer,
        "seq": l.seq,
        "action": l.action,
        "error": l.error,
        "attempts": l.attempts,
        "at": l.at,
    })
}

async fn retry(ctx: &Ctx, args: &RetryArgs) -> anyhow::Result<()> {
    let platform = ctx.platform_as_is().await?;
    platform
        .runtime()
        .retry_dead_letter(&args.consumer, args.seq)
        .await?;
    let json = json!({ "consumer": args.consumer, "seq": args.seq, "retried": true });
    ctx.out.emit(&json, || {
        format!(
            "{} handled event {} this time; its dead letter is removed",
            args.consumer, args.seq
        )
    })
}
