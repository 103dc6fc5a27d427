//! `/v1/escrows`: a deal's money held for its buyer until released to the seller side (seller,
//! agent, platform fee), refunded, or split by an admin after a dispute. Every move takes an
//! `Idempotency-Key` header. Parties (buyer, seller, agent) and admins see an escrow; anyone
//! else gets 404, as for one that does not exist.

use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use msme_core::ledger::{EscrowId, EscrowTermsInput, Resolution};
use msme_core::money::Paise;
use serde::Deserialize;
use tracing::instrument;
use utoipa::IntoParams;

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

/// Opens an escrow on a published listing for its buyer (admins may open one for any buyer);
/// the listing goes under offer.
#[utoipa::path(post, path = "/v1/escrows", tag = "escrows",
    security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "Your key for this request; retries reuse it")),
    request_body = CreateEscrowRequest,
    responses(
        (status = 201, description = "The escrow (a replay has `Idempotent-Replayed: true`)", body = EscrowBody),
        (status = 400, description = "Bad terms, or no `Idempotency-Key`; `field` names it", body = ErrorBody),
        (status = 403, description = "Not the buyer, nor an admin", body = ErrorBody),
        (status = 404, description = "No such listing", body = ErrorBody),
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

/// Paging through escrows.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListEscrowsQuery {
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<u32>,
}

/// Escrows in id order: the caller's own (as buyer, seller or agent), or every one for admins.
#[utoipa::path(get, path = "/v1/escrows", tag = "escrows",
    security(("bearer" = [])),
    params(ListEscrowsQuery),
    responses(
        (status = 200, description = "A page of escrows", body = Page<EscrowBody>),
    ))]
#[instrument(skip_all)]
pub async fn list(
    call: Call,
    ApiQuery(q): ApiQuery<ListEscrowsQuery>,
) -> Result<Json<Page<EscrowBody>>, ApiError> {
    let after = q
        .cursor
        .as_deref()
        .map(|c| parse_id(c, "cursor", EscrowId::parse));
    let after = after.transpose()?;
    let limit = q.limit.unwrap_or(50).clamp(1, 200) as usize;
    let escrows = call.platform.escrows();
    let rows = escrows
        .list(&call.actor, after.as_ref(), limit as u32 + 1)
        .await?;
    Ok(Json(Page::of_overfetched(rows, limit, |e| {
        e.id.to_string()
    })))
}

/// One escrow, for its parties and admins.
#[utoipa::path(get, path = "/v1/escrows/{id}", tag = "escrows",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Escrow id")),
    responses(
        (status = 200, description = "The escrow", body = EscrowBody),
        (status = 404, description = "No such escrow, or not the caller's", body = ErrorBody),
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
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Escrow id"),
           ("Idempotency-Key" = String, Header, description = "Your key for this request; retries reuse it")),
    responses(
        (status = 200, description = "The funded escrow", body = EscrowBody),
        (status = 403, description = "Not the buyer, nor an admin", body = ErrorBody),
        (status = 404, description = "No such escrow, or not the caller's", body = ErrorBody),
        (status = 409, description = "Not fundable now, declined, awaiting the payer, or the key was used for another request", body = ErrorBody),
        (status = 503, description = "The gateway did not answer; retry with the same key", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(escrow_id = %id))]
pub async fn fund(
    call: Call,
    IdemKey(key): IdemKey,
    PathId(id): PathId<EscrowId>,
) -> Result<Response, ApiError> {
    let receipt = call
        .platform
        .escrows()
        .fund(&call.meta, &call.actor, &key, &id)
        .await?;
    Ok(answer(
        StatusCode::OK,
        &receipt,
        EscrowBody::from(&receipt.value),
    ))
}

/// Releases one milestone to the seller side: the seller's net to their payable, the fee to
/// the platform, the commission to the agent (the buyer, or an admin).
#[utoipa::path(post, path = "/v1/escrows/{id}/release", tag = "escrows",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Escrow id"),
           ("Idempotency-Key" = String, Header, description = "Your key for this request; retries reuse it")),
    request_body = ReleaseRequest,
    responses(
        (status = 200, description = "The escrow after the release", body = EscrowBody),
        (status = 400, description = "No such milestone, or no `Idempotency-Key`", body = ErrorBody),
        (status = 403, description = "Not the buyer, nor an admin", body = ErrorBody),
        (status = 404, description = "No such escrow, or not the caller's", body = ErrorBody),
        (status = 409, description = "Not releasable now, already released, or the key was used for another request", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(escrow_id = %id))]
pub async fn release(
    call: Call,
    IdemKey(key): IdemKey,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ReleaseRequest>,
) -> Result<Response, ApiError> {
    let id = escrow_id(&id)?;
    let escrows = call.platform.escrows();
    let receipt = escrows
        .release(&call.meta, &call.actor, &key, &id, &body.milestone)
        .await?;
    Ok(answer(
        StatusCode::OK,
        &receipt,
        EscrowBody::from(&receipt.value),
    ))
}

/// Returns everything still held to the buyer (the seller, or an admin).
#[utoipa::path(post, path = "/v1/escrows/{id}/refund", tag = "escrows",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Escrow id"),
           ("Idempotency-Key" = String, Header, description = "Your key for this request; retries reuse it")),
    responses(
        (status = 200, description = "The refunded escrow", body = EscrowBody),
        (status = 403, description = "Not the seller, nor an admin", body = ErrorBody),
        (status = 404, description = "No such escrow, or not the caller's", body = ErrorBody),
        (status = 409, description = "Not refundable now, or the key was used for another request", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(escrow_id = %id))]
pub async fn refund(
    call: Call,
    IdemKey(key): IdemKey,
    PathId(id): PathId<EscrowId>,
) -> Result<Response, ApiError> {
    let receipt = call
        .platform
        .escrows()
        .refund(&call.meta, &call.actor, &key, &id)
        .await?;
    Ok(answer(
        StatusCode::OK,
        &receipt,
        EscrowBody::from(&receipt.value),
    ))
}

/// Freezes the escrow until an admin resolves it (the buyer, the seller, or an admin).
#[utoipa::path(post, path = "/v1/escrows/{id}/dispute", tag = "escrows",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Escrow id"),
           ("Idempotency-Key" = String, Header, description = "Your key for this request; retries reuse it")),
    request_body = DisputeRequest,
    responses(
        (status = 200, description = "The disputed escrow", body = EscrowBody),
        (status = 403, description = "Not a party, nor an admin", body = ErrorBody),
        (status = 404, description = "No such escrow, or not the caller's", body = ErrorBody),
        (status = 409, description = "Not disputable now, or the key was used for another request", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(escrow_id = %id))]
pub async fn dispute(
    call: Call,
    IdemKey(key): IdemKey,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<DisputeRequest>,
) -> Result<Response, ApiError> {
    let id = escrow_id(&id)?;
    let escrows = call.platform.escrows();
    let receipt = escrows
        .dispute(&call.meta, &call.actor, &key, &id, &body.reason)
        .await?;
    Ok(answer(
        StatusCode::OK,
        &receipt,
        EscrowBody::from(&receipt.value),
    ))
}

/// Splits a disputed escrow's money between buyer and seller (admins only); the two parts
/// must add up to what it holds.
#[utoipa::path(post, path = "/v1/escrows/{id}/resolve", tag = "escrows",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Escrow id"),
           ("Idempotency-Key" = String, Header, description = "Your key for this request; retries reuse it")),
    request_body = ResolveRequest,
    responses(
        (status = 200, description = "The resolved escrow", body = EscrowBody),
        (status = 400, description = "The split is not what the escrow holds, or no `Idempotency-Key`", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such escrow", body = ErrorBody),
        (status = 409, description = "Not disputed, or the key was used for another request", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(escrow_id = %id))]
pub async fn resolve(
    call: Call,
    IdemKey(key): IdemKey,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ResolveRequest>,
) -> Result<Response, ApiError> {
    let id = escrow_id(&id)?;
    let split = Resolution {
        refund_to_buyer: Paise::new(body.refund_to_buyer_paise),
        release_to_seller: Paise::new(body.release_to_seller_paise),
    };
    let escrows = call.platform.escrows();
    let receipt = escrows
        .resolve(&call.meta, &call.actor, &key, &id, split)
        .await?;
    Ok(answer(
        StatusCode::OK,
        &receipt,
        EscrowBody::from(&receipt.value),
    ))
}

/// Calls the deal off before any money came in (a party, or an admin); the listing goes back
/// on the market.
#[utoipa::path(post, path = "/v1/escrows/{id}/cancel", tag = "escrows",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Escrow id"),
           ("Idempotency-Key" = String, Header, description = "Your key for this request; retries reuse it")),
    responses(
        (status = 200, description = "The cancelled escrow", body = EscrowBody),
        (status = 403, description = "Not a party, nor an admin", body = ErrorBody),
        (status = 404, description = "No such escrow, or not the caller's", body = ErrorBody),
        (status = 409, description = "Already funded, or the key was used for another request", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(escrow_id = %id))]
pub async fn cancel(
    call: Call,
    IdemKey(key): IdemKey,
    PathId(id): PathId<EscrowId>,
) -> Result<Response, ApiError> {
    let receipt = call
        .platform
        .escrows()
        .cancel(&call.meta, &call.actor, &key, &id)
        .await?;
    Ok(answer(
        StatusCode::OK,
        &receipt,
        EscrowBody::from(&receipt.value),
    ))
}
