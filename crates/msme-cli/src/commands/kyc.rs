//! `msme kyc list|verify|reject`: deciding KYC submissions as the operator.

use msme_core::kyc::Kyc;
use msme_core::types::UserId;

use super::Ctx;
use crate::cli::{KycCommand, KycListArgs};
use crate::market_view::{kyc_json, kyc_row};
use crate::output::next_after;

/// Runs one `kyc` subcommand.
pub async fn run(ctx: &Ctx, cmd: KycCommand) -> anyhow::Result<()> {
    match cmd {
        KycCommand::List(args) => list(ctx, &args).await,
        KycCommand::Verify(r) => decide(ctx, &r.user, None).await,
        KycCommand::Reject(a) => decide(ctx, &a.user, Some(&a.reason)).await,
    }
}

async fn list(ctx: &Ctx, args: &KycListArgs) -> anyhow::Result<()> {
    let after = args.after.as_deref().map(UserId::parse).transpose()?;
    let platform = ctx.platform().await?;
    let records = platform
        .kyc()
        .list(
            &ctx.operator(),
            args.status.status(),
            after.as_ref(),
            args.limit,
        )
        .await?;
    let next = next_after(&records, args.limit, |k| k.user_id.to_string());
    ctx.out
        .page(&records, next, "after", "no KYC records", kyc_json, kyc_row)
}

/// Verifies (no reason) or rejects (with one) the account's submitted KYC.
async fn decide(ctx: &Ctx, user: &str, reason: Option<&str>) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let operator = ctx.operator();
    let id = platform.users().find(&operator, user).await?.id;
    let desk = platform.kyc();
    let decided: Kyc = match reason {
        None => desk.verify(&ctx.meta(), &operator, &id).await?,
        Some(reason) => desk.reject(&ctx.meta(), &operator, &id, reason).await?,
    };
    ctx.out.emit(&kyc_json(&decided), || {
        format!(
            "KYC of {} is now {}",
            decided.user_id,
            decided.status.as_str()
        )
    })
}
