//! `msme listing list|show|approve|reject`: reviewing listings as the operator.

use msme_core::listing::{
    industry, state, ListingAction, ListingCursor, ListingQuery, ListingView,
};
use msme_core::types::ListingId;
use msme_core::Platform;

use super::Ctx;
use crate::cli::{ListingCommand, ListingListArgs};
use crate::error::InputError;
use crate::market_view::{listing_json, listing_row, listing_text};

/// Runs one `listing` subcommand.
pub async fn run(ctx: &Ctx, cmd: ListingCommand) -> anyhow::Result<()> {
    match cmd {
        ListingCommand::List(args) => list(ctx, &args).await,
        ListingCommand::Show(r) => show(ctx, &r.id).await,
        ListingCommand::Approve(r) => decide(ctx, &r.id, ListingAction::Approve, None).await,
        ListingCommand::Reject(a) => {
            decide(ctx, &a.id, ListingAction::Reject, Some(&a.reason)).await
        }
        ListingCommand::Publish(r) => decide(ctx, &r.id, ListingAction::Publish, None).await,
        ListingCommand::Withdraw(r) => decide(ctx, &r.id, ListingAction::Withdraw, None).await,
        ListingCommand::Import(args) => super::import::import(ctx, &args).await,
    }
}

/// The query the filters describe; names the flag of a value that is not valid.
async fn query(
    ctx: &Ctx,
    platform: &Platform,
    args: &ListingListArgs,
) -> anyhow::Result<ListingQuery> {
    let mut q = ListingQuery {
        statuses: args.status.map(Into::into).into_iter().collect(),
        industry: args.place.industry.as_deref().map(industry).transpose()?,
        state: args.place.state.as_deref().map(state).transpose()?,
        after: args
            .cursor
            .as_deref()
            .map(ListingCursor::decode)
            .transpose()?,
        limit: args.limit,
        ..ListingQuery::default()
    };
    if let Some(seller) = &args.seller {
        q.seller = Some(platform.users().find(&ctx.operator(), seller).await?.id);
    }
    Ok(q)
}

async fn list(ctx: &Ctx, args: &ListingListArgs) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let q = query(ctx, &platform, args).await?;
    let (views, next) = platform.listings().list(&ctx.operator(), q).await?;
    ctx.out.page(
        &views,
        next,
        "cursor",
        "no listings",
        listing_json,
        listing_row,
    )
}

/// A listing id as typed, or an input error naming it.
fn listing_id(raw: &str) -> anyhow::Result<ListingId> {
    ListingId::parse(raw.trim())
        .map_err(|_| InputError(format!("`{raw}` is not a listing id")).into())
}

async fn show(ctx: &Ctx, id: &str) -> anyhow::Result<()> {
    let id = listing_id(id)?;
    let platform = ctx.platform().await?;
    let view = platform.listings().get(&ctx.operator(), &id).await?;
    ctx.out.emit(&listing_json(&view), || listing_text(&view))
}

/// Moves a listing (approve, reject, publish, withdraw) as the operator and prints it as it
/// now is.
async fn decide(
    ctx: &Ctx,
    id: &str,
    action: ListingAction,
    reason: Option<&str>,
) -> anyhow::Result<()> {
    let id = listing_id(id)?;
    let platform = ctx.platform().await?;
    let listings = platform.listings();
    let (meta, operator) = (ctx.meta(), ctx.operator());
    let changed = listings
        .transition(&meta, &operator, &id, action, reason)
        .await?;
    let view = listings.get(&operator, &changed.id).await?;
    ctx.out.emit(&listing_json(&view), || {
        let ListingView::Full(f) = &view else {
            return listing_row(&view);
        };
        format!(
            "{} is now {}: {}",
            f.listing.id, f.listing.status, f.listing.content.title
        )
    })
}
