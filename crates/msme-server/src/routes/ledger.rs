//! `/v1/ledger/...`: statements of accounts (their owners and admins only) and the ledger's
//! verification (admins); `/v1/payouts`: payouts, for admins or the owner of a payable.

use axum::Json;
use msme_core::ledger::{LedgerAccount, PayoutId};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::{IntoParams, ToSchema};

use super::answers::NotAdmin;
use super::paging::PageQuery;
use super::parse_id;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Call, PathId};
use crate::wire::escrow::{PayoutBody, StatementBody, VerifyBody};
use crate::wire::{ErrorBody, Page};

/// The statement of one account: every posting in order with running balances. Accounts are
/// written `payable:seller:<user id>`, `payable:agent:<user id>`, `payable:refund:<user id>`,
/// `escrow:<escrow id>`, `revenue:platform_fee`, `clearing:<gateway>`, `transit:payouts`.
/// A payable's owner and an escrow's parties may read theirs; admins any.
#[utoipa::path(get, path = "/v1/ledger/accounts/{account}", tag = "ledger",
    params(("account" = String, Path, description = "The account, e.g. `payable:seller:<user id>`")),
    responses(
        (status = 200, description = "The statement", body = StatementBody),
        (status = 403, description = "Not the account's owner, nor an admin", body = ErrorBody),
    ))]
#[instrument(skip_all)]
pub async fn statement(
    call: Call,
    PathId(account): PathId<LedgerAccount>,
) -> Result<Json<StatementBody>, ApiError> {
    let ledger = call.platform.ledger();
    let st = ledger.statement(&call.actor, &account).await?;
    Ok(Json(StatementBody::from(&st)))
}

/// Proves the ledger's invariants (admins): every entry balances, all balances sum to zero,
/// no escrow or payable is negative, each escrow's record matches its account, the stored
/// balances match the postings, and each sent payout matches the gateway's record.
#[utoipa::path(get, path = "/v1/ledger/verify", tag = "ledger",
    responses(
        (status = 200, description = "What was read and found; `clean` when nothing", body = VerifyBody),
        NotAdmin,
    ))]
#[instrument(skip_all)]
pub async fn verify(call: Call) -> Result<Json<VerifyBody>, ApiError> {
    let report = call.platform.ledger().verify(&call.actor).await?;
    Ok(Json(VerifyBody::from(&report)))
}

/// Which payouts to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListPayoutsQuery {
    /// The payouts drawn from one payable, newest first (its owner or admins), in one page;
    /// without it, every payout in id order (admins), paged by `cursor` and `limit`.
    pub payee: Option<String>,
}

/// Payouts: every one for admins, or those of one payable for its owner.
#[utoipa::path(get, path = "/v1/payouts", tag = "ledger",
    params(ListPayoutsQuery, PageQuery),
    responses(
        (status = 200, description = "A page of payouts", body = Page<PayoutBody>),
        (status = 403, description = "Not an admin, nor the payable's owner", body = ErrorBody),
    ))]
#[instrument(skip_all)]
pub async fn payouts(
    call: Call,
    ApiQuery(q): ApiQuery<ListPayoutsQuery>,
    ApiQuery(paging): ApiQuery<PageQuery>,
) -> Result<Json<Page<PayoutBody>>, ApiError> {
    let payouts = call.platform.payouts();
    if let Some(payee) = q.payee.as_deref() {
        let payee = parse_id(payee, "payee", LedgerAccount::parse)?;
        let all = payouts.of(&call.actor, &payee).await?;
        return Ok(Json(Page::whole(&all)));
    }
    let page = paging.parse::<PayoutId>()?;
    let rows = payouts.list(&call.actor, page.after.as_ref(), page.fetch());
    Ok(page.page(rows.await?, |p| p.id.to_string()))
}

/// What one payout pass did.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PayoutRunBody {
    pub started: u32,
    pub settled: u32,
    pub failed: u32,
    /// Sent or polled without a final answer; tried again later.
    pub deferred: u32,
}

/// Runs one payout pass (admins): payables with money get a payout, payouts due are sent or
/// polled, settled, failed back to their payable, or deferred with backoff. Safe to run
/// beside another pass.
#[utoipa::path(post, path = "/v1/payouts/run", tag = "ledger",
    responses(
        (status = 200, description = "What the pass did", body = PayoutRunBody),
        NotAdmin,
    ))]
#[instrument(skip_all)]
pub async fn run_payouts(call: Call) -> Result<Json<PayoutRunBody>, ApiError> {
    let run = call.platform.payouts().run(&call.meta, &call.actor).await?;
    Ok(Json(PayoutRunBody {
        started: run.started,
        settled: run.settled,
        failed: run.failed,
        deferred: run.deferred,
    }))
}
