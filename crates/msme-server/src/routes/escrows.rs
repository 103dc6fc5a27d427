//! `/v1/escrows`: a deal's money held for its buyer until released to the seller side (seller,
//! agent, platform fee), refunded, or split by an admin after a dispute. Every move takes an
//! `Idempotency-Key` header. Parties (buyer, seller, agent) and admins see an escrow; anyone
//! else gets 404, as for one that does not exist.

use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use msme_core::ledger::{EscrowId, EscrowTermsInput, Resolution};
use msme_core::money::Paise;
use tracing::instrument;

use super::answers::{
    NoSuchEscrow, NoSuchListing, NotAdmin, NotBuyerNorAdmin, NotCallersEscrow, NotPartyNorAdmin,
};
use super::paging::PageQuery;
use super::parse_id;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Call, PathId};
use crate::idempotency::{answer, IdemKey};
use crate::wire::escrow::{
    CreateEscrowRequest, DisputeRequest, EscrowBody, ReleaseRequest, ResolveRequest,
};
use crate::wire::{ErrorBody, Page};

fn escrow_id(raw: &str) -> Result<EscrowId, ApiError> {
    parse_id(raw, "id", EscrowId::parse)
}

/// One move of an escrow's money, with what it needs beyond the escrow.
enum Move<'a> {
    Fund,
    Release { milestone: &'a str },
    Refund,
    Dispute { reason: &'a str },
    Resolve(Resolution),
    Cancel,
}

/// Makes `step` on the escrow `id` under the caller's key, and answers the escrow after it
/// (marked when it is the stored answer to an earlier request with the same key).
async fn make(
    call: Call,
    IdemKey(key): IdemKey,
    id: &EscrowId,
    step: Move<'_>,
) -> Result<Response, ApiError> {
    let (meta, actor, key) = (&call.meta, &call.actor, &key);
    let escrows = call.platform.escrows();
    let receipt = match step {
        Move::Fund => escrows.fund(meta, actor, key, id).await?,
        Move::Release { milestone } => escrows.release(meta, actor, key, id, milestone).await?,
        Move::Refund => escrows.refund(meta, actor, key, id).await?,
        Move::Dispute { reason } => escrows.dispute(meta, actor, key, id, reason).await?,
        Move::Resolve(split) => escrows.resolve(meta, actor, key, id, split).await?,
        Move::Cancel => escrows.cancel(meta, actor, key, id).await?,
    };
    Ok(answer(
        StatusCode::OK,
        &receipt,
        EscrowBody::from(&receipt.value),
    ))
}

/// Opens an escrow on a published listing for its buyer (admins may open one for any buyer);
/// the listing goes under offer.
#[utoipa::path(post, path = "/v1/escrows", tag = "escrows",
    params(IdemKey),
    request_body = CreateEscrowRequest,
    responses(
        (status = 201, description = "The escrow (a replay has `Idempotent-Replayed: true`)", body = EscrowBody),
        (status = 400, description = "Bad terms, or no `Idempotency-Key`; `field` names it", body = ErrorBody),
        NotBuyerNorAdmin, NoSuchListing,
        (status = 409, description = "The key was used for another request, or the listing is not published", body = ErrorBody),
    ))]
#[instrument(skip_all)]
pub async fn create(
    call: Call,
    IdemKey(key): IdemKey,
    ApiJson(body): ApiJson<CreateEscrowRequest>,
) -> Result<Response, ApiError> {
    let input = EscrowTermsInput::try_from(body)?;
    let escrows = call.platform.escrows();
    let receipt = escrows.create(&call.meta, &call.actor, &key, input).await?;
    Ok(answer(
        StatusCode::CREATED,
        &receipt,
        EscrowBody::from(&receipt.value),
    ))
}

/// Escrows in id order: the caller's own (as buyer, seller or agent), or every one for admins.
#[utoipa::path(get, path = "/v1/escrows", tag = "escrows",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of escrows", body = Page<EscrowBody>),
    ))]
#[instrument(skip_all)]
pub async fn list(
    call: Call,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Page<EscrowBody>>, ApiError> {
    let page = q.parse::<EscrowId>()?;
    let escrows = call.platform.escrows();
    let rows = escrows
        .list(&call.actor, page.after.as_ref(), page.fetch())
        .await?;
    Ok(page.page(rows, |e| e.id.to_string()))
}

/// One escrow, for its parties and admins.
#[utoipa::path(get, path = "/v1/escrows/{id}", tag = "escrows",
    params(PathId<EscrowId>),
    responses(
        (status = 200, description = "The escrow", body = EscrowBody),
        NotCallersEscrow,
    ))]
#[instrument(skip_all, fields(escrow_id = %id))]
pub async fn get(call: Call, PathId(id): PathId<EscrowId>) -> Result<Json<EscrowBody>, ApiError> {
    let e = call.platform.escrows().get(&call.actor, &id).await?;
    Ok(Json(EscrowBody::from(&e)))
}

/// Funds the escrow with its whole amount through the payment gateway (the buyer, or an
/// admin). With the sandbox gateway the money arrives at once; amounts ending in 401 paise
/// are declined, 408 time out (retry with the same key), 202 arrive late.
#[utoipa::path(post, path = "/v1/escrows/{id}/fund", tag = "escrows",
    params(PathId<EscrowId>, IdemKey),
    responses(
        (status = 200, description = "The funded escrow", body = EscrowBody),
        NotBuyerNorAdmin, NotCallersEscrow,
        (status = 409, description = "Not fundable now, declined, awaiting the payer, or the key was used for another request", body = ErrorBody),
        (status = 503, description = "The gateway did not answer; retry with the same key", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(escrow_id = %id))]
pub async fn fund(
    call: Call,
    key: IdemKey,
    PathId(id): PathId<EscrowId>,
) -> Result<Response, ApiError> {
    make(call, key, &id, Move::Fund).await
}

/// Releases one milestone to the seller side: the seller's net to their payable, the fee to
/// the platform, the commission to the agent (the buyer, or an admin).
#[utoipa::path(post, path = "/v1/escrows/{id}/release", tag = "escrows",
    params(PathId<EscrowId>, IdemKey),
    request_body = ReleaseRequest,
    responses(
        (status = 200, description = "The escrow after the release", body = EscrowBody),
        (status = 400, description = "No such milestone, or no `Idempotency-Key`", body = ErrorBody),
        NotBuyerNorAdmin, NotCallersEscrow,
        (status = 409, description = "Not releasable now, already released, or the key was used for another request", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(escrow_id = %id))]
pub async fn release(
    call: Call,
    key: IdemKey,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ReleaseRequest>,
) -> Result<Response, ApiError> {
    let milestone = &body.milestone;
    make(call, key, &escrow_id(&id)?, Move::Release { milestone }).await
}

/// Returns everything still held to the buyer (the seller, or an admin).
#[utoipa::path(post, path = "/v1/escrows/{id}/refund", tag = "escrows",
    params(PathId<EscrowId>, IdemKey),
    responses(
        (status = 200, description = "The refunded escrow", body = EscrowBody),
        (status = 403, description = "Not the seller, nor an admin", body = ErrorBody),
        NotCallersEscrow,
        (status = 409, description = "Not refundable now, or the key was used for another request", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(escrow_id = %id))]
pub async fn refund(
    call: Call,
    key: IdemKey,
    PathId(id): PathId<EscrowId>,
) -> Result<Response, ApiError> {
    make(call, key, &id, Move::Refund).await
}

/// Freezes the escrow until an admin resolves it (the buyer, the seller, or an admin).
#[utoipa::path(post, path = "/v1/escrows/{id}/dispute", tag = "escrows",
    params(PathId<EscrowId>, IdemKey),
    request_body = DisputeRequest,
    responses(
        (status = 200, description = "The disputed escrow", body = EscrowBody),
        NotPartyNorAdmin, NotCallersEscrow,
        (status = 409, description = "Not disputable now, or the key was used for another request", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(escrow_id = %id))]
pub async fn dispute(
    call: Call,
    key: IdemKey,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<DisputeRequest>,
) -> Result<Response, ApiError> {
    let reason = &body.reason;
    make(call, key, &escrow_id(&id)?, Move::Dispute { reason }).await
}

/// Splits a disputed escrow's money between buyer and seller (admins only); the two parts
/// must add up to what it holds.
#[utoipa::path(post, path = "/v1/escrows/{id}/resolve", tag = "escrows",
    params(PathId<EscrowId>, IdemKey),
    request_body = ResolveRequest,
    responses(
        (status = 200, description = "The resolved escrow", body = EscrowBody),
        (status = 400, description = "The split is not what the escrow holds, or no `Idempotency-Key`", body = ErrorBody),
        NotAdmin, NoSuchEscrow,
        (status = 409, description = "Not disputed, or the key was used for another request", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(escrow_id = %id))]
pub async fn resolve(
    call: Call,
    key: IdemKey,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ResolveRequest>,
) -> Result<Response, ApiError> {
    let id = escrow_id(&id)?;
    let split = Resolution {
        refund_to_buyer: Paise::new(body.refund_to_buyer_paise),
        release_to_seller: Paise::new(body.release_to_seller_paise),
    };
    make(call, key, &id, Move::Resolve(split)).await
}

/// Calls the deal off before any money came in (a party, or an admin); the listing goes back
/// on the market.
#[utoipa::path(post, path = "/v1/escrows/{id}/cancel", tag = "escrows",
    params(PathId<EscrowId>, IdemKey),
    responses(
        (status = 200, description = "The cancelled escrow", body = EscrowBody),
        NotPartyNorAdmin, NotCallersEscrow,
        (status = 409, description = "Already funded, or the key was used for another request", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(escrow_id = %id))]
pub async fn cancel(
    call: Call,
    key: IdemKey,
    PathId(id): PathId<EscrowId>,
) -> Result<Response, ApiError> {
    make(call, key, &id, Move::Cancel).await
}
