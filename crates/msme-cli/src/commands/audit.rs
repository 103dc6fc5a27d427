//! `msme audit verify|export`: checking and copying out the hash-chained audit trail.

use std::io::Write;

use anyhow::Context;
use msme_core::audit::{ChainProblem, ChainVerdict};
use serde_json::json;

use super::Ctx;
use crate::cli::ExportArgs;
use crate::error::Finding;
use crate::view;

/// Entries read per page while exporting.
const PAGE: u32 = 1000;

/// Recomputes the chain; a broken chain is reported and fails the command.
pub async fn verify(ctx: &Ctx) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let verdict = platform.audit().verify(&ctx.operator()).await?;
    let json = match &verdict {
        ChainVerdict::Intact { entries } => json!({ "intact": true, "entries": entries }),
        ChainVerdict::Broken { seq, problem } => json!({
            "intact": false,
            "broken_seq": seq,
            "problem": problem_code(problem),
            "message": verdict.to_string(),
        }),
    };
    match verdict {
        ChainVerdict::Intact { .. } => ctx.out.emit(&json, || verdict.to_string()),
        ChainVerdict::Broken { .. } => {
            if ctx.out.json {
                ctx.out.emit(&json, String::new)?;
            }
            Err(Finding(verdict.to_string()).into())
        }
    }
}

fn problem_code(p: &ChainProblem) -> &'static str {
    match p {
        ChainProblem::Altered => "altered",
        ChainProblem::Missing { .. } => "missing",
        ChainProblem::Relinked => "relinked",
        ChainProblem::Truncated => "truncated",
    }
}

/// Writes entries after `--after` as JSON lines, to `--output` or standard output.
pub async fn export(ctx: &Ctx, args: &ExportArgs) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let sink: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut sink = std::io::BufWriter::new(sink);
    let (mut after, mut count) = (args.after, 0u64);
    loop {
        let page = platform.audit().page(&ctx.operator(), after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for entry in &page {
            writeln!(sink, "{}", view::audit_json(entry)).context("writing the export")?;
            count += 1;
        }
    }
    sink.flush().context("writing the export")?;
    drop(sink);
    let Some(path) = &args.output else {
        return Ok(());
    };
    let json = json!({ "exported": count, "last_seq": after, "output": path });
    ctx.out.emit(&json, || {
        format!("exported {count} entries to {}", path.display())
    })
}
