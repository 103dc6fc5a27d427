//! `msme payouts run|list` and `msme ledger verify|reconcile|statement`.

use std::fmt::Write as _;

use msme_core::escrow_service::ReconcileReport;
use msme_core::ledger::{LedgerAccount, PayoutId};
use msme_core::money::Paise;
use msme_server::wire::escrow::{FindingBody, PayoutBody, StatementBody, VerifyBody};
use serde_json::json;

use super::Ctx;
use crate::cli::{LedgerCommand, PayoutListArgs, PayoutsCommand};
use crate::error::Finding;
use crate::output::list_text;

/// Runs one `msme payouts` command.
pub async fn payouts(ctx: &Ctx, cmd: PayoutsCommand) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let (meta, op) = (ctx.meta(), ctx.operator());
    match cmd {
        PayoutsCommand::Run => {
            let run = platform.payouts().run(&meta, &op).await?;
            let json = json!({ "started": run.started, "settled": run.settled,
                               "failed": run.failed, "deferred": run.deferred });
            ctx.out.emit(&json, || {
                format!(
                    "payouts: {} started, {} settled, {} failed (money back in its payable), \
                     {} deferred",
                    run.started, run.settled, run.failed, run.deferred
                )
            })
        }
        PayoutsCommand::List(args) => list_payouts(ctx, &platform, &args).await,
    }
}

async fn list_payouts(
    ctx: &Ctx,
    platform: &msme_core::Platform,
    args: &PayoutListArgs,
) -> anyhow::Result<()> {
    let op = ctx.operator();
    let all = match &args.payee {
        Some(payee) => {
            let payee = LedgerAccount::parse(payee)?;
            platform.payouts().of(&op, &payee).await?
        }
        None => {
            let after = args.page.after.as_deref().map(PayoutId::parse);
            let after = after.transpose()?;
            platform
                .payouts()
                .list(&op, after.as_ref(), args.page.limit)
                .await?
        }
    };
    let bodies: Vec<PayoutBody> = all.iter().map(PayoutBody::from).collect();
    let text = list_text(&bodies, "no payouts", |p| {
        format!(
            "{}  {:<10} {:>16}  {}  {}",
            p.id,
            p.state,
            Paise::new(p.amount_paise).to_string(),
            p.payee,
            p.gateway_ref.as_deref().unwrap_or("not sent")
        )
    });
    ctx.out.emit(&json!({ "items": bodies }), || text)
}

/// Runs one `msme ledger` command.
pub async fn ledger(ctx: &Ctx, cmd: LedgerCommand) -> anyhow::Result<()> {
    match cmd {
        LedgerCommand::Verify => verify(ctx).await,
        LedgerCommand::Reconcile => reconcile(ctx).await,
        LedgerCommand::Statement(args) => {
            let account = LedgerAccount::parse(&args.account)?;
            let platform = ctx.platform().await?;
            let st = platform
                .ledger()
                .statement(&ctx.operator(), &account)
                .await?;
            let body = StatementBody::from(&st);
            ctx.out
                .emit(&serde_json::to_value(&body)?, || statement_text(&body))
        }
        LedgerCommand::Stress(args) => super::stress::run(ctx, &args).await,
    }
}

fn statement_text(s: &StatementBody) -> String {
    let mut out = format!("statement of {} ({} normal)\n", s.account, s.normal_side);
    for l in &s.lines {
        let _ = writeln!(
            out,
            "{:>6}  {}  {:<18} {:<6} {:>18}  balance {:>18}  {}",
            l.seq,
            l.at,
            l.kind,
            l.side,
            Paise::new(l.amount_paise).to_string(),
            Paise::new(l.balance_after_paise).to_string(),
            l.memo
        );
    }
    let _ = writeln!(
        out,
        "closing balance {}",
        Paise::new(s.closing_balance_paise)
    );
    out
}

async fn verify(ctx: &Ctx) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let report = platform.ledger().verify(&ctx.operator()).await?;
    let body = VerifyBody::from(&report);
    ctx.out.emit(&serde_json::to_value(&body)?, || {
        let mut out = format!(
            "read {} entries, {} accounts, {} escrows, {} payouts, {} holds\n",
            body.entries, body.accounts, body.escrows, body.payouts, body.holds
        );
        findings(&mut out, &body.violations);
        findings(&mut out, &body.gateway_differences);
        if body.clean {
            out.push_str("ledger verified: every invariant holds\n");
        }
        out
    })?;
    if body.clean {
        Ok(())
    } else {
        let n = body.violations.len() + body.gateway_differences.len();
        Err(Finding(format!("the ledger failed verification ({n} problems)")).into())
    }
}

fn findings(out: &mut String, found: &[FindingBody]) {
    for f in found {
        let _ = writeln!(out, "  [{}] {}", f.code, f.message);
    }
}

async fn reconcile(ctx: &Ctx) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let r: ReconcileReport = platform.ledger().reconcile(&ctx.operator()).await?;
    let differences: Vec<FindingBody> = r.differences.iter().map(FindingBody::from).collect();
    let json = json!({
        "gateway": r.gateway, "payments_checked": r.payments_checked,
        "payouts_checked": r.payouts_checked, "skipped": r.skipped,
        "differences": differences,
    });
    ctx.out.emit(&json, || {
        let mut out = format!(
            "compared {} payments and {} payouts with {} ({} skipped)\n",
            r.payments_checked, r.payouts_checked, r.gateway, r.skipped
        );
        findings(&mut out, &differences);
        if differences.is_empty() {
            out.push_str("no differences\n");
        }
        out
    })?;
    if differences.is_empty() {
        Ok(())
    } else {
        let n = differences.len();
        Err(Finding(format!("{n} differences with the gateway")).into())
    }
}
