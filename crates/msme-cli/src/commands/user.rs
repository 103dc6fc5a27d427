//! `msme user ...`: account management by the operator.

use anyhow::Context;
use msme_core::auth::{AuthError, NewAccount};
use msme_core::types::{Mobile, Role, UserId};
use msme_core::{CreatedUser, Platform};
use serde_json::{json, Value};

use super::Ctx;
use crate::cli::{CreateUserArgs, ListUsersArgs, UserCommand};
use crate::error::InputError;
use crate::output::next_after;
use crate::view;

/// Runs one `user` subcommand.
pub async fn run(ctx: &Ctx, cmd: UserCommand) -> anyhow::Result<()> {
    match cmd {
        UserCommand::Create(args) => create(ctx, args).await,
        UserCommand::List(args) => list(ctx, &args).await,
        UserCommand::Show(r) => show(ctx, &r.user).await,
        UserCommand::Disable(r) => set_enabled(ctx, &r.user, false).await,
        UserCommand::Enable(r) => set_enabled(ctx, &r.user, true).await,
        UserCommand::SetRole(a) => set_role(ctx, &a.user, a.role.into()).await,
    }
}

async fn create(ctx: &Ctx, args: CreateUserArgs) -> anyhow::Result<()> {
    let password = match args.password {
        Some(p) => p,
        None => read_password_line().await?,
    };
    let role: Role = args.role.into();
    let account = NewAccount::parse(
        &args.name,
        &args.mobile,
        args.email.as_deref(),
        &password,
        role.as_str(),
    )?;
    let platform = ctx.platform().await?;
    let created = platform
        .users()
        .create(&ctx.meta(), &ctx.operator(), account)
        .await?;
    emit_with_mfa(ctx, &created, "created")
}

/// The first line of standard input, without its line ending.
async fn read_password_line() -> anyhow::Result<String> {
    let line = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    })
    .await?
    .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    if password.is_empty() {
        return Err(InputError("--password-stdin: standard input had no password".into()).into());
    }
    Ok(password)
}

async fn list(ctx: &Ctx, args: &ListUsersArgs) -> anyhow::Result<()> {
    let after = args.after.as_deref().map(UserId::parse).transpose()?;
    let platform = ctx.platform().await?;
    let users = platform
        .users()
        .list(&ctx.operator(), after.as_ref(), args.limit)
        .await?;
    let next = next_after(&users, args.limit, |u| u.id.to_string());
    ctx.out.page(
        &users,
        next,
        "after",
        "no accounts",
        view::user_json,
        view::user_row,
    )
}

async fn show(ctx: &Ctx, user: &str) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let id = resolve(&platform, user).await?;
    let found = platform.users().get(&ctx.operator(), &id).await?;
    ctx.out
        .emit(&view::user_json(&found), || view::user_text(&found))
}

async fn set_enabled(ctx: &Ctx, user: &str, enabled: bool) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let id = resolve(&platform, user).await?;
    let users = platform.users();
    let (meta, actor) = (ctx.meta(), ctx.operator());
    let changed = if enabled {
        users.enable(&meta, &actor, &id).await?
    } else {
        users.disable(&meta, &actor, &id).await?
    };
    let verb = if enabled {
        "enabled"
    } else {
        "disabled (and signed out everywhere)"
    };
    ctx.out.emit(&view::user_json(&changed), || {
        format!("{verb} {} {}", changed.id, changed.name.as_str())
    })
}

async fn set_role(ctx: &Ctx, user: &str, role: Role) -> anyhow::Result<()> {
    let platform = ctx.platform().await?;
    let id = resolve(&platform, user).await?;
    let changed = platform
        .users()
        .set_role(&ctx.meta(), &ctx.operator(), &id, role)
        .await?;
    emit_with_mfa(ctx, &changed, "role set to")
}

/// Prints an account and, when it has one, the new authenticator secret (this once only).
fn emit_with_mfa(ctx: &Ctx, created: &CreatedUser, what: &str) -> anyhow::Result<()> {
    let u = &created.user;
    let json = json!({
        "user": view::user_json(u),
        "mfa": created.mfa.as_ref().map_or(Value::Null, view::mfa_json),
    });
    ctx.out.emit(&json, || {
        let mut text = format!(
            "{what} {}: {} ({}, {})",
            u.role,
            u.id,
            u.name.as_str(),
            u.mobile
        );
        if let Some(mfa) = &created.mfa {
            text.push_str(&view::mfa_text(mfa));
        }
        text
    })
}

/// Finds an account by id or mobile number.
pub(super) async fn resolve(platform: &Platform, user: &str) -> anyhow::Result<UserId> {
    if let Ok(id) = UserId::parse(user) {
        return Ok(id);
    }
    let Ok(mobile) = Mobile::parse(user) else {
        return Err(InputError(format!(
            "`{user}` is neither an account id (UUID) nor an Indian mobile number"
        ))
        .into());
    };
    // The core has no operator lookup by mobile yet; this read goes to the store port.
    let found = platform
        .store()
        .user_by_mobile(&mobile)
        .await
        .map_err(AuthError::from)?;
    Ok(found.ok_or(AuthError::UserNotFound)?.id)
}
