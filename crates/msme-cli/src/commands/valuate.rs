//! `msme valuate LISTING_ID | --file FINANCIALS.json [--report FILE.pdf]`: a valuation by every
//! method, kept, and printed as a methods table, range, risks and comparables (or, with `--json`,
//! the body that `POST /v1/valuations` answers); `--report` also writes the PDF report.

use std::fmt::Write as _;

use anyhow::Context;
use msme_core::money::Paise;
use msme_core::types::ListingId;
use msme_server::wire::valuation::{Asked, ValuationBody, ValuationRequestBody};

use super::Ctx;
use crate::cli::ValuateArgs;
use crate::error::InputError;

/// Values what the arguments name and prints it.
pub async fn valuate(ctx: &Ctx, args: &ValuateArgs) -> anyhow::Result<()> {
    let asked = match (&args.listing, &args.file) {
        (Some(id), _) => Asked::Listing(ListingId::parse(id)?),
        (None, Some(path)) => read_file(path)?,
        (None, None) => return Err(InputError("give a LISTING_ID or --file".into()).into()),
    };
    let platform = ctx.platform().await?;
    let valuations = platform.valuations();
    let (meta, actor) = (ctx.meta(), ctx.operator());
    let v = match asked {
        Asked::Listing(id) => valuations
            .valuate_listing(&meta, &actor, &id)
            .await
            .with_context(|| format!("valuing listing {id}"))?,
        Asked::Figures(request) => valuations
            .valuate_raw(&meta, &actor, &request)
            .await
            .context("valuing the figures")?,
    };
    let body = ValuationBody::from(&v);
    if let Some(path) = &args.report {
        write_report(v, path).await?;
    }
    ctx.out.emit(&serde_json::to_value(&body)?, || {
        let mut out = text(&body);
        if let Some(path) = &args.report {
            let _ = writeln!(out, "\nreport written to {}", path.display());
        }
        out
    })
}

/// Renders the PDF report (off the async threads) and writes it to `path`.
async fn write_report(
    v: msme_core::valuation::Valuation,
    path: &std::path::Path,
) -> anyhow::Result<()> {
    let pdf = msme_report::render(v).await?;
    std::fs::write(path, pdf).with_context(|| format!("writing the report to {}", path.display()))
}

/// Reads a request body from a JSON file; a file that is not one is the operator's fault.
fn read_file(path: &std::path::Path) -> anyhow::Result<Asked> {
    let raw =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let body: ValuationRequestBody =
        serde_json::from_str(&raw).map_err(|e| InputError(format!("{}: {e}", path.display())))?;
    Ok(Asked::try_from(body)?)
}

fn rupees(paise: i64) -> String {
    Paise::new(paise).to_string()
}

/// The valuation for people: range first, then methods, risks and comparables.
fn text(v: &ValuationBody) -> String {
    let mut out = String::new();
    let coverage = v.coverage.map_or("not calibrated".to_string(), |c| {
        format!("{:.0}% coverage", c * 100.0)
    });
    let _ = writeln!(out, "valuation {}", v.id);
    let _ = writeln!(out, "value       {}", rupees(v.value_paise));
    let _ = writeln!(
        out,
        "range       {} to {} ({coverage})",
        rupees(v.low_paise),
        rupees(v.high_paise)
    );
    let _ = writeln!(out, "confidence  {}/100\n", v.confidence);
    let _ = writeln!(out, "{:<18} {:>22} {:>7}  why", "METHOD", "VALUE", "WEIGHT");
    for m in &v.methods {
        let why = m.notes.first().map_or("", String::as_str);
        let _ = writeln!(
            out,
            "{:<18} {:>22} {:>6.1}%  {why}",
            m.method,
            rupees(m.value_paise),
            m.weight * 100.0
        );
    }
    let _ = writeln!(out, "\nrisk score {}/100", v.risks.score);
    for f in &v.risks.flags {
        let _ = writeln!(out, "  [{}] {}: {}", f.severity, f.code, f.reason);
    }
    comparables(&mut out, v);
    out
}

fn comparables(out: &mut String, v: &ValuationBody) {
    let _ = writeln!(out, "\ncomparables ({})", v.comparables.len());
    for c in &v.comparables {
        let ratio = |r: Option<f64>| r.map_or("-".to_string(), |r| format!("{r:.2}x"));
        let _ = writeln!(
            out,
            "  {}  {}  asking {}  {} revenue  {} EBITDA  ({})",
            c.listing_id,
            c.headline,
            rupees(c.asking_price_paise),
            ratio(c.asking_to_revenue),
            ratio(c.asking_to_ebitda),
            c.status
        );
    }
}
