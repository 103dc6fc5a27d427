//! `msme outbox list`: the messages waiting for (or past) delivery.

use serde_json::json;

use super::Ctx;
use crate::cli::OutboxListArgs;
use crate::output::page_text;
use crate::view;

/// Lists outbox messages in the order they were written.
pub async fn list(ctx: &Ctx, args: &OutboxListArgs) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let messages = platform
        .outbox()
        .list(&ctx.operator(), args.after, args.limit)
        .await?;
    let next = (messages.len() == args.limit as usize)
        .then(|| messages.last().map(|m| m.id))
        .flatten();
    let json = json!({
        "items": messages.iter().map(view::outbox_json).collect::<Vec<_>>(),
        "next_cursor": next,
    });
    ctx.out.emit(&json, || {
        page_text(
            &messages,
            "the outbox is empty",
            view::outbox_row,
            "after",
            next.as_ref(),
        )
    })
}
