//! `msme outbox list`: the messages waiting for (or past) delivery.

use super::Ctx;
use crate::cli::OutboxListArgs;
use crate::output::next_after;
use crate::view;

/// Lists outbox messages in the order they were written.
pub async fn list(ctx: &Ctx, args: &OutboxListArgs) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let messages = platform
        .outbox()
        .list(&ctx.operator(), args.after, args.limit)
        .await?;
    let next = next_after(&messages, args.limit, |m| m.id);
    ctx.out.page(
        &messages,
        next,
        "after",
        "the outbox is empty",
        view::outbox_json,
        view::outbox_row,
    )
}
