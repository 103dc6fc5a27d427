//! Buyer preferences, agent grants, interactions and matches. Ownership is checked in the core:
//! a buyer's preferences and matches are seen by that buyer, admins and agents the buyer
//! granted; a listing's matching buyers by its owner and admins. Anyone else gets 404.

use axum::http::StatusCode;
use axum::Json;
use msme_core::listing::ListingId;
use msme_core::matching::InteractionKind;
use msme_core::types::UserId;
use tracing::instrument;

use super::answers::{InvalidField, OnlyBuyersGrantAgents, OnlyBuyersKeepPreferences};
use super::parse_id;
use crate::error::ApiError;
use crate::extract::{ApiJson, Call, PathId};
use crate::wire::matching::{
    AgentGrantBody, AgentGrantRequest, BuyerMatchBody, BuyerPreferencesBody,
    BuyerPreferencesResponse, InteractionBody, InteractionRequest, ListingMatchBody, MatchItem,
    MatchmakingRequest,
};
use crate::wire::{time, ErrorBody, Page};

/// Matches per answer when the request names no `limit`.
const DEFAULT_MATCHES: u32 = 20;

/// The caller's preferences (a buyer's); empty fields before the first save.
#[utoipa::path(get, path = "/v1/buyer-preferences", tag = "matching",
    responses(
        (status = 200, description = "The preferences", body = BuyerPreferencesResponse),
        OnlyBuyersKeepPreferences,
    ))]
#[instrument(skip_all)]
pub async fn preferences(call: Call) -> Result<Json<BuyerPreferencesResponse>, ApiError> {
    let matching = call.platform.matching();
    let stored = matching.my_preferences(&call.actor).await?;
    let me = call.actor.user_id().ok_or_else(ApiError::internal)?;
    Ok(Json(BuyerPreferencesResponse::of(me, stored.as_ref())))
}

/// Replaces the caller's preferences; matches follow them.
#[utoipa::path(put, path = "/v1/buyer-preferences", tag = "matching",
    request_body = BuyerPreferencesBody,
    responses(
        (status = 200, description = "The saved preferences", body = BuyerPreferencesResponse),
        InvalidField, OnlyBuyersKeepPreferences,
    ))]
#[instrument(skip_all)]
pub async fn set_preferences(
    call: Call,
    ApiJson(body): ApiJson<BuyerPreferencesBody>,
) -> Result<Json<BuyerPreferencesResponse>, ApiError> {
    let m = call.platform.matching();
    let saved = m
        .set_my_preferences(&call.meta, &call.actor, &body.into())
        .await?;
    Ok(Json(BuyerPreferencesResponse::of(
        &saved.buyer,
        Some(&saved),
    )))
}

/// Agents the caller (a buyer) lets see their matches, oldest grant first.
#[utoipa::path(get, path = "/v1/agent-grants", tag = "matching",
    responses(
        (status = 200, description = "Every grant (one page)", body = Page<AgentGrantBody>),
        OnlyBuyersGrantAgents,
    ))]
#[instrument(skip_all)]
pub async fn agent_grants(call: Call) -> Result<Json<Page<AgentGrantBody>>, ApiError> {
    let grants = call.platform.matching().my_agents(&call.actor).await?;
    let items = grants.into_iter().map(|(agent, at)| AgentGrantBody {
        agent_id: agent.to_string(),
        granted_at: Some(time(at)),
    });
    Ok(Json(Page::all(items.collect())))
}

/// Lets an agent see the caller's matches. 201 for a new grant, 200 when it existed.
#[utoipa::path(post, path = "/v1/agent-grants", tag = "matching",
    request_body = AgentGrantRequest,
    responses(
        (status = 201, description = "Granted", body = AgentGrantBody),
        (status = 200, description = "Already granted", body = AgentGrantBody),
        (status = 400, description = "`agent_id` is not an account id", body = ErrorBody),
        OnlyBuyersGrantAgents,
        (status = 404, description = "`agent_not_found`: no agent with that id", body = ErrorBody),
    ))]
#[instrument(skip_all)]
pub async fn grant_agent(
    call: Call,
    ApiJson(body): ApiJson<AgentGrantRequest>,
) -> Result<(StatusCode, Json<AgentGrantBody>), ApiError> {
    let agent = parse_id(&body.agent_id, "agent_id", UserId::parse)?;
    let m = call.platform.matching();
    let new = m.grant_agent(&call.meta, &call.actor, &agent).await?;
    let granted_at = m
        .my_agents(&call.actor)
        .await?
        .into_iter()
        .find(|(a, _)| *a == agent)
        .map(|(_, at)| time(at));
    let status = super::created_or_ok(new);
    let body = AgentGrantBody {
        agent_id: agent.to_string(),
        granted_at,
    };
    Ok((status, Json(body)))
}

/// Takes a grant back. 204 whether or not there was one.
#[utoipa::path(delete, path = "/v1/agent-grants/{agent_id}", tag = "matching",
    params(("agent_id" = String, Path, description = "The agent's account id")),
    responses(
        (status = 204, description = "No grant remains"),
        OnlyBuyersGrantAgents,
    ))]
#[instrument(skip_all)]
pub async fn revoke_agent(
    call: Call,
    PathId(agent): PathId<UserId>,
) -> Result<StatusCode, ApiError> {
    let m = call.platform.matching();
    m.revoke_agent(&call.meta, &call.actor, &agent).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records what the caller (a buyer) did with a published listing: a view, a save, an access
/// request or an offer. The ranker learns from these.
#[utoipa::path(post, path = "/v1/interactions", tag = "matching",
    request_body = InteractionRequest,
    responses(
        (status = 201, description = "Recorded", body = InteractionBody),
        (status = 400, description = "A bad listing id or kind; `field` names it", body = ErrorBody),
        (status = 403, description = "Only buyers' interactions are recorded", body = ErrorBody),
        (status = 404, description = "No such published listing", body = ErrorBody),
    ))]
#[instrument(skip_all)]
pub async fn record_interaction(
    call: Call,
    ApiJson(body): ApiJson<InteractionRequest>,
) -> Result<(StatusCode, Json<InteractionBody>), ApiError> {
    let listing = parse_id(&body.listing_id, "listing_id", ListingId::parse)?;
    let kind = InteractionKind::parse(&body.kind)?;
    let m = call.platform.matching();
    let i = m.record(&call.meta, &call.actor, &listing, kind).await?;
    Ok((StatusCode::CREATED, Json(InteractionBody::from(&i))))
}

/// Ranks every published listing for a buyer (`buyer_id`: the buyer, an admin, or an agent
/// the buyer granted), or buyers for a listing (`listing_id`: its owner or an admin), best
/// first, each with its score and reasons. Listings show in full only where the caller has
/// access.
#[utoipa::path(post, path = "/v1/matchmaking", tag = "matching",
    request_body = MatchmakingRequest,
    responses(
        (status = 200, description = "Matches, best first (one page)", body = Page<MatchItem>),
        (status = 400, description = "Not exactly one of `buyer_id` and `listing_id`, or a bad id", body = ErrorBody),
        (status = 404, description = "No such buyer or listing the caller may match", body = ErrorBody),
    ))]
#[instrument(skip_all)]
pub async fn rank(
    call: Call,
    ApiJson(body): ApiJson<MatchmakingRequest>,
) -> Result<Json<Page<MatchItem>>, ApiError> {
    let limit = body.limit.unwrap_or(DEFAULT_MATCHES);
    let m = call.platform.matching();
    let items = match (&body.buyer_id, &body.listing_id) {
        (Some(buyer), None) => {
            let buyer = parse_id(buyer, "buyer_id", UserId::parse)?;
            let found = m.for_buyer(&call.actor, &buyer, limit).await?;
            found
                .iter()
                .map(|x| MatchItem::Listing(ListingMatchBody::from(x)))
                .collect()
        }
        (None, Some(listing)) => {
            let listing = parse_id(listing, "listing_id", ListingId::parse)?;
            let found = m.for_listing(&call.actor, &listing, limit).await?;
            found
                .iter()
                .map(|x| MatchItem::Buyer(BuyerMatchBody::from(x)))
                .collect()
        }
        _ => {
            let e = msme_core::error::ValidationError::new(
                "buyer_id",
                "give exactly one of buyer_id and listing_id",
            );
            return Err(e.into());
        }
    };
    Ok(Json(Page::all(items)))
}

/// A buyer's saved matches, kept current as listings change (the buyer, an admin, or an
/// agent the buyer granted).
#[utoipa::path(get, path = "/v1/matches/{buyer_id}", tag = "matching",
    params(("buyer_id" = String, Path, description = "The buyer's account id")),
    responses(
        (status = 200, description = "Saved matches, best first (one page)", body = Page<ListingMatchBody>),
        (status = 404, description = "No such buyer the caller may see", body = ErrorBody),
    ))]
#[instrument(skip_all, fields(buyer_id = %buyer))]
pub async fn matches(
    call: Call,
    PathId(buyer): PathId<UserId>,
) -> Result<Json<Page<ListingMatchBody>>, ApiError> {
    let matching = call.platform.matching();
    let saved = matching.saved_matches(&call.actor, &buyer).await?;
    Ok(Json(Page::whole(&saved)))
}
