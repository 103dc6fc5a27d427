//! `msme match buyer|listing|evaluate|refresh`: matching as the operator.

use msme_core::listing::ListingId;
use msme_core::matching::{BuyerMatch, Evaluation, ListingMatch, MATCHER_CONSUMER};
use serde_json::{json, Value};

use super::Ctx;
use crate::cli::{MatchBuyerArgs, MatchCommand, MatchEvaluateArgs, MatchListingArgs};
use crate::error::{Finding, InputError};
use crate::market_view::{listing_json, listing_row};
use crate::output::list_text;

/// Runs one `match` subcommand.
pub async fn run(ctx: &Ctx, cmd: MatchCommand) -> anyhow::Result<()> {
    match cmd {
        MatchCommand::Buyer(args) => buyer(ctx, &args).await,
        MatchCommand::Listing(args) => listing(ctx, &args).await,
        MatchCommand::Evaluate(args) => evaluate(ctx, &args).await,
        MatchCommand::Refresh => refresh(ctx).await,
    }
}

fn listing_match_json(m: &ListingMatch) -> Value {
    json!({ "listing": listing_json(&m.listing), "score": m.score, "reasons": m.reasons })
}

fn buyer_match_json(m: &BuyerMatch) -> Value {
    json!({ "buyer": { "id": m.buyer.to_string(), "name": m.name }, "score": m.score, "reasons": m.reasons })
}

async fn buyer(ctx: &Ctx, args: &MatchBuyerArgs) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let buyer = super::user::resolve(&platform, &args.buyer).await?;
    let found = platform
        .matching()
        .for_buyer(&ctx.operator(), &buyer, args.limit)
        .await?;
    let json = json!({ "items": found.iter().map(listing_match_json).collect::<Vec<_>>() });
    ctx.out.emit(&json, || {
        list_text(&found, "no published listings", |m| {
            format!(
                "{:>5.1}  {}\n       {}",
                m.score,
                listing_row(&m.listing),
                m.reasons.join("; ")
            )
        })
    })
}

async fn listing(ctx: &Ctx, args: &MatchListingArgs) -> anyhow::Result<()> {
    let id = ListingId::parse(&args.listing)
        .map_err(|_| InputError(format!("`{}` is not a listing id", args.listing)))?;
    let platform = ctx.platform().await?;
    let found = platform
        .matching()
        .for_listing(&ctx.operator(), &id, args.limit)
        .await?;
    let json = json!({ "items": found.iter().map(buyer_match_json).collect::<Vec<_>>() });
    ctx.out.emit(&json, || {
        list_text(
            &found,
            "no buyer matches (none has preferences, or the listing is not published)",
            |m| {
                format!(
                    "{:>5.1}  {}  {}\n       {}",
                    m.score,
                    m.buyer,
                    m.name,
                    m.reasons.join("; ")
                )
            },
        )
    })
}

fn figure(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{v:.4}"))
}

fn evaluation_text(e: &Evaluation) -> String {
    let mut lines = vec![
        format!(
            "{} interactions; {} buyers to train on, {} held out",
            e.interactions, e.train_buyers, e.test_buyers
        ),
        format!("NDCG@10 hand-set weights: {}", figure(e.hand_set_ndcg)),
        format!("NDCG@10 learned model:    {}", figure(e.learned_ndcg)),
    ];
    lines.push(match (&e.skipped, e.adopted, &e.model) {
        (Some(why), _, _) => format!("not trained: {why}"),
        (None, true, _) => "adopted: the learned model now ranks matches".into(),
        (None, false, Some(_)) => {
            "kept but not adopted: it does not beat the hand-set weights".into()
        }
        (None, false, None) => "dry run: nothing kept".into(),
    });
    lines.join("\n")
}

async fn evaluate(ctx: &Ctx, args: &MatchEvaluateArgs) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let m = platform.matching();
    let e = m
        .evaluate(&ctx.meta(), &ctx.operator(), args.dry_run)
        .await?;
    let json = json!({
        "interactions": e.interactions,
        "train_buyers": e.train_buyers,
        "test_buyers": e.test_buyers,
        "hand_set_ndcg": e.hand_set_ndcg,
        "learned_ndcg": e.learned_ndcg,
        "current_ndcg": e.current_ndcg,
        "learned_weights": e.learned.as_ref().map(|w| w.0.to_vec()),
        "model_id": e.model.as_ref().map(ToString::to_string),
        "adopted": e.adopted,
        "skipped": e.skipped,
    });
    ctx.out.emit(&json, || evaluation_text(&e))?;
    match &e.skipped {
        Some(why) => Err(Finding(format!("no model trained: {why}")).into()),
        None => Ok(()),
    }
}

async fn refresh(ctx: &Ctx) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let done = platform.runtime().catch_up(MATCHER_CONSUMER).await?;
    let json = json!({
        "events": done.events,
        "dead_letters": done.dead_letters,
        "cursor": done.cursor,
        "held_elsewhere": done.held_elsewhere,
    });
    ctx.out.emit(&json, || match done.held_elsewhere {
        true => "a running worker holds the matcher: the saved matches are kept there".into(),
        false => format!(
            "read {} events; saved matches are current up to event {}",
            done.events, done.cursor
        ),
    })
}
