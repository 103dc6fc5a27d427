//! `msme search QUERY|reindex|check`: searching published listings and keeping the index
//! honest, as the operator.

use anyhow::Context;
use msme_core::listing::{industry, state, DealType};
use msme_core::money::Paise;
use msme_core::ports::SearchError;
use msme_core::search::{
    CheckReport, Facets, SearchCursor, SearchFilters, SearchPage, SearchRequest,
};
use serde_json::{json, Value};

use super::Ctx;
use crate::cli::{SearchArgs, SearchCommand, SearchQueryArgs};
use crate::error::Finding;
use crate::market_view::{listing_json, listing_row};
use crate::progress;

/// Runs `msme search` or one of its subcommands.
pub async fn run(ctx: &Ctx, args: SearchArgs) -> anyhow::Result<()> {
    match args.command {
        None => query(ctx, &args.query).await,
        Some(SearchCommand::Reindex) => reindex(ctx).await,
        Some(SearchCommand::Check) => check(ctx).await,
    }
}

/// Says why search may be missing: the index belongs to one process at a time.
fn hint(e: SearchError) -> anyhow::Error {
    let unavailable = matches!(e, SearchError::Unavailable(_));
    let e = anyhow::Error::new(e);
    if unavailable {
        e.context("the search index is held by another process (is `msme serve` running on this data directory?)")
    } else {
        e
    }
}

/// The request the arguments describe; names the flag of a value that is not valid.
fn request(args: &SearchQueryArgs) -> anyhow::Result<SearchRequest> {
    let price = |flag: &str, v: Option<i64>| v.map(|p| Paise::non_negative(flag, p)).transpose();
    let filters = SearchFilters {
        industry: args.place.industry.as_deref().map(industry).transpose()?,
        state: args.place.state.as_deref().map(state).transpose()?,
        city: args.city.clone(),
        deal_type: args.deal_type.as_deref().map(DealType::parse).transpose()?,
        asking_price_min_paise: price("--min-price", args.min_price)?,
        asking_price_max_paise: price("--max-price", args.max_price)?,
        revenue_min_paise: price("--min-revenue", args.min_revenue)?,
        revenue_max_paise: price("--max-revenue", args.max_revenue)?,
        ebitda_margin_min_pct: args.min_margin,
        ebitda_margin_max_pct: args.max_margin,
        year_established_min: args.min_year,
        year_established_max: args.max_year,
        verified_only: args.verified_only,
    };
    Ok(SearchRequest {
        query: args.query.join(" "),
        filters,
        sort: args.sort.into(),
        limit: args.limit,
        cursor: args
            .cursor
            .as_deref()
            .map(SearchCursor::decode)
            .transpose()?,
    })
}

async fn query(ctx: &Ctx, args: &SearchQueryArgs) -> anyhow::Result<()> {
    let request = request(args)?;
    let platform = ctx.platform().await?;
    let page = platform
        .search()
        .query(&ctx.operator(), request)
        .await
        .map_err(hint)?;
    ctx.out.emit(&page_json(&page), || page_text(&page))
}

fn page_json(page: &SearchPage) -> Value {
    json!({
        "items": page.items.iter().map(listing_json).collect::<Vec<_>>(),
        "facets": facets_json(&page.facets),
        "next_cursor": page.next_cursor,
        "total": page.total,
    })
}

/// Facets as the HTTP API writes them: `{"industry": [{"value", "count"}], ...}`.
fn facets_json(f: &Facets) -> Value {
    let counts = |v: &[(String, u64)]| -> Vec<Value> {
        v.iter()
            .map(|(value, count)| json!({"value": value, "count": count}))
            .collect()
    };
    json!({
        "industry": counts(&f.industry),
        "state": counts(&f.state),
        "deal_type": counts(&f.deal_type),
        "price_band": counts(&f.price_band),
    })
}

fn page_text(page: &SearchPage) -> String {
    let mut lines: Vec<String> = page.items.iter().map(listing_row).collect();
    lines.push(format!("{} listing(s) match", page.total));
    let facet = |name: &str, v: &[(String, u64)]| {
        let parts: Vec<String> = v.iter().map(|(k, n)| format!("{k} {n}")).collect();
        format!("{name}: {}", parts.join(", "))
    };
    if page.total > 0 {
        lines.push(facet("industry", &page.facets.industry));
        lines.push(facet("state", &page.facets.state));
        lines.push(facet("deal type", &page.facets.deal_type));
        lines.push(facet("price band", &page.facets.price_band));
    }
    if let Some(next) = &page.next_cursor {
        lines.push(format!("more: --cursor {next}"));
    }
    lines.join("\n")
}

async fn reindex(ctx: &Ctx) -> anyhow::Result<()> {
    let platform = ctx.platform_as_is().await?;
    let bar = progress::bar(
        &ctx.out,
        0,
        "indexing",
        "{spinner} {msg:<12} {pos} listings ({per_sec})",
    );
    let started = std::time::Instant::now();
    let indexer = platform.search().indexer();
    let indexed = indexer
        .reindex(&mut |n| bar.set_position(n))
        .await
        .map_err(hint)
        .context("rebuilding the search index")?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    let json = json!({ "indexed": indexed, "seconds": secs });
    ctx.out.emit(&json, || {
        format!("indexed {indexed} published listing(s) in {secs:.1} s")
    })
}

async fn check(ctx: &Ctx) -> anyhow::Result<()> {
    let platform = ctx.platform_as_is().await?;
    let report = platform.search().indexer().check().await.map_err(hint)?;
    let json = check_json(&report);
    if report.is_consistent() {
        return ctx
            .out
            .emit(&json, || "the search index matches the database".into());
    }
    let summary = format!(
        "the search index differs from the database: {} missing, {} stale, {} extra",
        report.missing.len(),
        report.stale.len(),
        report.extra.len()
    );
    ctx.out.emit(&json, || check_text(&report))?;
    Err(Finding(summary).into())
}

fn check_json(r: &CheckReport) -> Value {
    let ids = |v: &[msme_core::listing::ListingId]| -> Vec<String> {
        v.iter().map(|id| id.to_string()).collect()
    };
    let stale: Vec<Value> = r
        .stale
        .iter()
        .map(|(id, stored, indexed)| {
            json!({"id": id.to_string(), "stored_version": stored, "indexed_version": indexed})
        })
        .collect();
    json!({
        "consistent": r.is_consistent(),
        "missing": ids(&r.missing),
        "stale": stale,
        "extra": ids(&r.extra),
    })
}

fn check_text(r: &CheckReport) -> String {
    let mut lines = Vec::new();
    lines.extend(r.missing.iter().map(|id| format!("missing  {id}")));
    lines.extend(
        r.stale
            .iter()
            .map(|(id, s, i)| format!("stale    {id} (database v{s}, index v{i})")),
    );
    lines.extend(r.extra.iter().map(|id| format!("extra    {id}")));
    lines.push("run `msme search reindex` (or any command that opens the index) to repair".into());
    lines.join("\n")
}
