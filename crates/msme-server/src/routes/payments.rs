//! `/v1/payments`: the payments that funded escrows (their parties and admins see them), and
//! bank transfers an admin confirms. `/v1/webhooks/{gateway}`: signed messages from the
//! payment gateway, checked over the raw body (`X-Razorpay-Signature`, hex HMAC-SHA256).

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use msme_core::escrow_service::WebhookOutcome;
use msme_core::ledger::{BankReference, EscrowId, PaymentId};
use msme_core::money::Paise;
use serde::Deserialize;
use tracing::instrument;
use utoipa::IntoParams;

use super::answers::{NoSuchEscrow, NotAdmin, NotCallersEscrow};
use super::paging::PageQuery;
use super::parse_id;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Call, Guest, PathId};
use crate::idempotency::{answer, IdemKey};
use crate::wire::escrow::{BankTransferRequest, PaymentBody, WebhookAck};
use crate::wire::{ErrorBody, Page};

/// An admin confirms that an escrow's whole amount arrived by bank transfer under the bank's
/// reference (UTR): the escrow is funded, and one reference can fund only one escrow.
#[utoipa::path(post, path = "/v1/payments/bank-transfers", tag = "payments",
    params(IdemKey),
    request_body = BankTransferRequest,
    responses(
        (status = 201, description = "The payment, recorded with the funding", body = PaymentBody),
        (status = 400, description = "Not the escrow's whole amount, a bad reference, or no `Idempotency-Key`", body = ErrorBody),
        NotAdmin, NoSuchEscrow,
        (status = 409, description = "Not fundable now, the reference already funded an escrow, or the key was used for another request", body = ErrorBody),
    ))]
#[instrument(skip_all)]
pub async fn confirm_bank_transfer(
    call: Call,
    IdemKey(key): IdemKey,
    ApiJson(body): ApiJson<BankTransferRequest>,
) -> Result<Response, ApiError> {
    let escrow = parse_id(&body.escrow_id, "escrow_id", EscrowId::parse)?;
    let reference = BankReference::parse(&body.reference)?;
    let amount = Paise::new(body.amount_paise);
    let payments = call.platform.payments();
    let receipt = payments
        .confirm_bank_transfer(&call.meta, &call.actor, &key, &escrow, &reference, amount)
        .await?;
    Ok(answer(
        StatusCode::CREATED,
        &receipt,
        PaymentBody::from(&receipt.value),
    ))
}

/// Which payments to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListPaymentsQuery {
    /// The payments of one escrow (its parties and admins), in one page; without it, every
    /// payment (admins), paged by `cursor` and `limit`.
    pub escrow_id: Option<String>,
}

/// Payments in id order: one escrow's, or every one for admins.
#[utoipa::path(get, path = "/v1/payments", tag = "payments",
    params(ListPaymentsQuery, PageQuery),
    responses(
        (status = 200, description = "A page of payments", body = Page<PaymentBody>),
        (status = 403, description = "All payments, and not an admin", body = ErrorBody),
        NotCallersEscrow,
    ))]
#[instrument(skip_all)]
pub async fn list(
    call: Call,
    ApiQuery(q): ApiQuery<ListPaymentsQuery>,
    ApiQuery(paging): ApiQuery<PageQuery>,
) -> Result<Json<Page<PaymentBody>>, ApiError> {
    let payments = call.platform.payments();
    if let Some(escrow) = q.escrow_id.as_deref() {
        let escrow = parse_id(escrow, "escrow_id", EscrowId::parse)?;
        let all = payments.of_escrow(&call.actor, &escrow).await?;
        return Ok(Json(Page::whole(&all)));
    }
    let page = paging.parse::<PaymentId>()?;
    let rows = payments.list(&call.actor, page.after.as_ref(), page.fetch());
    Ok(page.page(rows.await?, |p| p.id.to_string()))
}

/// One payment, for the parties of the escrow it funded and admins.
#[utoipa::path(get, path = "/v1/payments/{id}", tag = "payments",
    params(PathId<PaymentId>),
    responses(
        (status = 200, description = "The payment", body = PaymentBody),
        (status = 404, description = "No such payment, or not the caller's", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(payment_id = %id))]
pub async fn get(call: Call, PathId(id): PathId<PaymentId>) -> Result<Json<PaymentBody>, ApiError> {
    let p = call.platform.payments().get(&call.actor, &id).await?;
    Ok(Json(PaymentBody::from(&p)))
}

/// The header gateways sign webhooks in (Razorpay's name; the sandbox uses it too).
const SIGNATURE: &str = "x-razorpay-signature";

/// A signed message from the payment gateway (`sandbox` or `razorpayx`, whichever the platform
/// uses): a payout's new status, or a captured payment. The signature is the hex HMAC-SHA256
/// of the exact body with the webhook secret. Sent again, an event is recorded once.
#[utoipa::path(post, path = "/v1/webhooks/{gateway}", tag = "payments",
    params(("gateway" = String, Path, description = "The gateway's name: `sandbox` or `razorpayx`"),
           ("X-Razorpay-Signature" = String, Header, description = "Hex HMAC-SHA256 of the body")),
    request_body(content = String, description = "The gateway's event, as it sent it", content_type = "application/json"),
    responses(
        (status = 200, description = "What the event did", body = WebhookAck),
        (status = 400, description = "Signed, but not an event this gateway sends", body = ErrorBody),
        (status = 401, description = "No signature, or not the gateway's", body = ErrorBody),
        (status = 404, description = "Not the platform's gateway", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(gateway = %gateway))]
pub async fn webhook(
    guest: Guest,
    ApiPath(gateway): ApiPath<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<WebhookAck>, ApiError> {
    let signature = headers
        .get(SIGNATURE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let payments = guest.platform.payments();
    let outcome = payments
        .webhook(&guest.meta, &gateway, &body, signature)
        .await?;
    let (payout_id, payout_state) = match &outcome {
        WebhookOutcome::PayoutUpdated { payout, state } => {
            (Some(payout.to_string()), Some(state.as_str().to_string()))
        }
        _ => (None, None),
    };
    Ok(Json(WebhookAck {
        outcome: outcome.as_str().to_string(),
        payout_id,
        state: payout_state,
    }))
}
