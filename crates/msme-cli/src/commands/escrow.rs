//! `msme escrow ...`: the operator moves escrows (acting as admin, `operator` in the audit
//! trail). Every move takes `--key`; output is the escrow as `GET /v1/escrows/{id}` shows it.

use std::fmt::Write as _;

use anyhow::Context;
use msme_core::escrow_service::Receipt;
use msme_core::ledger::{
    BankReference, Escrow, EscrowId, EscrowTermsInput, IdempotencyKey, MilestoneInput, Resolution,
};
use msme_core::money::Paise;
use msme_core::types::{ListingId, UserId};
use msme_server::wire::escrow::{EscrowBody, PaymentBody};
use serde_json::json;

use super::Ctx;
use crate::cli::{CreateEscrowArgs, EscrowCommand, KeyArg};
use crate::error::InputError;
use crate::output::list_text;

/// Runs one `msme escrow` command.
pub async fn run(ctx: &Ctx, cmd: EscrowCommand) -> anyhow::Result<()> {
    use EscrowCommand as C;
    let platform = ctx.platform().await?;
    let escrows = platform.escrows();
    let (meta, op) = (ctx.meta(), ctx.operator());
    let receipt = match cmd {
        C::Create(args) => {
            let input = terms(&args)?;
            let key = key(&args.key)?;
            escrows.create(&meta, &op, &key, input).await
        }
        C::Fund(a) => escrows.fund(&meta, &op, &key(&a.key)?, &id(&a.id)?).await,
        C::Release(a) => {
            let (key, id) = (key(&a.key)?, id(&a.id)?);
            escrows.release(&meta, &op, &key, &id, &a.milestone).await
        }
        C::Refund(a) => escrows.refund(&meta, &op, &key(&a.key)?, &id(&a.id)?).await,
        C::Dispute(a) => {
            let (key, id) = (key(&a.key)?, id(&a.id)?);
            escrows.dispute(&meta, &op, &key, &id, &a.reason).await
        }
        C::Resolve(a) => {
            let split = Resolution {
                refund_to_buyer: Paise::new(a.refund_to_buyer_paise),
                release_to_seller: Paise::new(a.release_to_seller_paise),
            };
            let (key, id) = (key(&a.key)?, id(&a.id)?);
            escrows.resolve(&meta, &op, &key, &id, split).await
        }
        C::Cancel(a) => escrows.cancel(&meta, &op, &key(&a.key)?, &id(&a.id)?).await,
        C::ConfirmTransfer(a) => {
            let (key, id) = (key(&a.key)?, id(&a.id)?);
            let reference = BankReference::parse(&a.reference)?;
            let amount = Paise::new(a.amount_paise);
            let payments = platform.payments();
            let r = payments
                .confirm_bank_transfer(&meta, &op, &key, &id, &reference, amount)
                .await
                .context("confirming the bank transfer")?;
            follow_up(&platform).await?;
            let body = PaymentBody::from(&r.value);
            let text = format!(
                "escrow {} funded by bank transfer {} ({}){}",
                body.escrow_id,
                body.gateway_ref,
                Paise::new(body.amount_paise),
                replayed(r.replayed)
            );
            return ctx.out.emit(&serde_json::to_value(&body)?, || text);
        }
        C::Show(a) => return show(ctx, &platform, &id(&a.id)?).await,
        C::List(a) => {
            let after = a.after.as_deref().map(EscrowId::parse).transpose()?;
            let all = escrows.list(&op, after.as_ref(), a.limit).await?;
            return list(ctx, &all);
        }
    };
    let receipt = receipt.context("moving the escrow")?;
    follow_up(&platform).await?;
    emit_escrow(ctx, &receipt)
}

/// The listing, the buyer's offer and a sale follow the escrow before the command answers.
async fn follow_up(platform: &msme_core::Platform) -> anyhow::Result<()> {
    use msme_core::runtime::{
        COMPARABLE_SALES_CONSUMER, LISTING_ESCROWS_CONSUMER, MATCHER_CONSUMER,
    };
    super::follow_up(
        platform,
        &[
            LISTING_ESCROWS_CONSUMER,
            COMPARABLE_SALES_CONSUMER,
            MATCHER_CONSUMER,
        ],
    )
    .await
}

fn id(raw: &str) -> anyhow::Result<EscrowId> {
    Ok(EscrowId::parse(raw)?)
}

/// The given key, or a new one, printed so that the command can be repeated safely.
fn key(arg: &KeyArg) -> anyhow::Result<IdempotencyKey> {
    if let Some(k) = &arg.key {
        return Ok(IdempotencyKey::parse(k)?);
    }
    let made = format!("cli-{}", uuid_v4());
    eprintln!("idempotency key: {made} (repeat with --key {made} if unsure it finished)");
    Ok(IdempotencyKey::parse(&made)?)
}

fn uuid_v4() -> String {
    EscrowId::generate().to_string()
}

fn terms(a: &CreateEscrowArgs) -> anyhow::Result<EscrowTermsInput> {
    let mut milestones = Vec::new();
    for m in &a.milestones {
        let (name, paise) = m
            .rsplit_once('=')
            .ok_or_else(|| InputError(format!("--milestone {m:?} is not NAME=PAISE")))?;
        let amount_paise = paise
            .trim()
            .parse()
            .map_err(|_| InputError(format!("--milestone {m:?}: {paise:?} is not paise")))?;
        milestones.push(MilestoneInput {
            name: name.trim().to_string(),
            amount_paise,
        });
    }
    Ok(EscrowTermsInput {
        listing_id: ListingId::parse(&a.listing)?,
        buyer_id: UserId::parse(&a.buyer)?,
        seller_id: UserId::parse(&a.seller)?,
        amount_paise: a.amount_paise,
        platform_fee_bps: a.platform_fee_bps,
        agent_id: a.agent.as_deref().map(UserId::parse).transpose()?,
        agent_commission_bps: a.agent_commission_bps,
        milestones,
    })
}

fn replayed(yes: bool) -> &'static str {
    if yes {
        " [replayed: this key was used before; nothing moved now]"
    } else {
        ""
    }
}

fn emit_escrow(ctx: &Ctx, r: &Receipt<Escrow>) -> anyhow::Result<()> {
    let body = EscrowBody::from(&r.value);
    let text = format!("{}{}", describe(&body), replayed(r.replayed));
    ctx.out.emit(&serde_json::to_value(&body)?, || text)
}

/// An escrow for people: its state, money and milestones.
fn describe(e: &EscrowBody) -> String {
    let rupees = |p: i64| Paise::new(p).to_string();
    let mut out = String::new();
    let _ = writeln!(out, "escrow {}  {}", e.id, e.state);
    let _ = writeln!(
        out,
        "listing {}  buyer {}  seller {}",
        e.listing_id, e.buyer_id, e.seller_id
    );
    if let Some(agent) = &e.agent_id {
        let _ = writeln!(out, "agent {agent} ({} bps)", e.agent_commission_bps);
    }
    let _ = writeln!(
        out,
        "amount {}  funded {}  released {}  refunded {}  held {}",
        rupees(e.amount_paise),
        rupees(e.funded_paise),
        rupees(e.released_paise),
        rupees(e.refunded_paise),
        rupees(e.held_paise)
    );
    for m in &e.milestones {
        let done = if m.released { "released" } else { "held" };
        let _ = writeln!(
            out,
            "  {:<20} {:>18}  fee {}  commission {}  {done}",
            m.name,
            rupees(m.amount_paise),
            rupees(m.platform_fee_paise),
            rupees(m.agent_commission_paise)
        );
    }
    out
}

async fn show(ctx: &Ctx, platform: &msme_core::Platform, id: &EscrowId) -> anyhow::Result<()> {
    let op = ctx.operator();
    let e = platform.escrows().get(&op, id).await?;
    let paid = platform.payments().of_escrow(&op, id).await?;
    let body = EscrowBody::from(&e);
    let payments: Vec<PaymentBody> = paid.iter().map(PaymentBody::from).collect();
    let mut json = serde_json::to_value(&body)?;
    json["payments"] = json!(payments);
    let mut text = describe(&body);
    for p in &payments {
        let _ = writeln!(
            text,
            "payment {} via {} ref {} {}",
            p.id,
            p.source,
            p.gateway_ref,
            Paise::new(p.amount_paise)
        );
    }
    ctx.out.emit(&json, || text)
}

fn list(ctx: &Ctx, all: &[Escrow]) -> anyhow::Result<()> {
    let bodies: Vec<EscrowBody> = all.iter().map(EscrowBody::from).collect();
    let text = list_text(&bodies, "no escrows", |e| {
        format!(
            "{}  {:<18} {:>18}  held {}",
            e.id,
            e.state,
            Paise::new(e.amount_paise).to_string(),
            Paise::new(e.held_paise)
        )
    });
    ctx.out.emit(&json!({ "items": bodies }), || text)
}
