//! `/v1/me` and `/v1/users/*`: one's own account, and account management for admins.
//! Permissions are checked by the core; these handlers only translate.

use axum::Json;
use msme_core::auth::AuthError;
use msme_core::types::{Role, UserId};
use tracing::instrument;

use super::answers::{NoSuchAccount, NotAdmin, OwnAccountOrNotAdmin};
use super::paging::PageQuery;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Call, PathId};
use crate::wire::{Account, ErrorBody, Page, RoleChanged, SetRoleRequest};

/// The caller's own account.
#[utoipa::path(get, path = "/v1/me", tag = "users",
    responses(
        (status = 200, description = "The account", body = Account),
    ))]
#[instrument(skip_all)]
pub async fn me(call: Call) -> Result<Json<Account>, ApiError> {
    let id = call.actor.user_id().ok_or(AuthError::InvalidToken)?;
    let user = call.platform.users().get(&call.actor, id).await?;
    Ok(Json(Account::from(&user)))
}

/// Accounts in id order (admins only).
#[utoipa::path(get, path = "/v1/users", tag = "users",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of accounts", body = Page<Account>),
        NotAdmin,
    ))]
#[instrument(skip_all)]
pub async fn list(
    call: Call,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Page<Account>>, ApiError> {
    let page = q.parse::<UserId>()?;
    let users = call.platform.users();
    let rows = users
        .list(&call.actor, page.after.as_ref(), page.fetch())
        .await?;
    Ok(page.page(rows, |u| u.id.to_string()))
}

fn user_id(raw: &str) -> Result<UserId, ApiError> {
    UserId::parse(raw).map_err(|e| ApiError::from(e).with_field("id"))
}

/// One account: one's own, or anyone's for an admin.
#[utoipa::path(get, path = "/v1/users/{id}", tag = "users",
    params(PathId<UserId>),
    responses(
        (status = 200, description = "The account", body = Account),
        (status = 403, description = "Someone else's account, and not an admin", body = ErrorBody),
        NoSuchAccount,
    ))]
#[instrument(skip_all, fields(user_id = %id))]
pub async fn get(call: Call, PathId(id): PathId<UserId>) -> Result<Json<Account>, ApiError> {
    let user = call.platform.users().get(&call.actor, &id).await?;
    Ok(Json(Account::from(&user)))
}

/// Disables an account and ends its sessions (admins only).
#[utoipa::path(post, path = "/v1/users/{id}/disable", tag = "users",
    params(PathId<UserId>),
    responses(
        (status = 200, description = "The disabled account", body = Account),
        OwnAccountOrNotAdmin, NoSuchAccount,
    ))]
#[instrument(skip_all, fields(user_id = %id))]
pub async fn disable(call: Call, PathId(id): PathId<UserId>) -> Result<Json<Account>, ApiError> {
    let users = call.platform.users();
    let user = users.disable(&call.meta, &call.actor, &id).await?;
    Ok(Json(Account::from(&user)))
}

/// Changes an account's role and ends its sessions (admins only).
#[utoipa::path(post, path = "/v1/users/{id}/role", tag = "users",
    params(PathId<UserId>),
    request_body = SetRoleRequest,
    responses(
        (status = 200, description = "The account; `mfa` set when it became admin", body = RoleChanged),
        (status = 400, description = "Not an account id or a role", body = ErrorBody),
        OwnAccountOrNotAdmin, NoSuchAccount,
    ))]
#[instrument(skip_all, fields(user_id = %id))]
pub async fn set_role(
    call: Call,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<SetRoleRequest>,
) -> Result<Json<RoleChanged>, ApiError> {
    let role = Role::parse(&body.role)?;
    let users = call.platform.users();
    let changed = users
        .set_role(&call.meta, &call.actor, &user_id(&id)?, role)
        .await?;
    Ok(Json(RoleChanged {
        account: Account::from(&changed.user),
        mfa: changed.mfa.map(Into::into),
    }))
}
