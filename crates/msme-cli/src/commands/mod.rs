//! The commands, one module per group. Each loads settings and opens what it needs.

mod audit;
mod demo;
mod escrow;
mod import;
mod kyc;
mod ledger;
mod listing;
mod matching;
mod model;
mod outbox;
mod search;
mod serve;
mod setup;
mod stress;
mod user;
mod valuate;
mod worker;

use anyhow::Context;
use msme_backends::{Overrides, Settings};
use msme_core::rbac::Actor;
use msme_core::{Platform, RequestMeta};

use crate::cli::{AuditCommand, Cli, Command, OutboxCommand};
use crate::output::Output;

/// What every command gets: where the settings come from and where output goes.
pub struct Ctx {
    overrides: Overrides,
    pub out: Output,
}

impl Ctx {
    /// Settings from defaults, `msme.toml`, the environment and the flags.
    pub fn settings(&self) -> anyhow::Result<Settings> {
        Settings::load(&self.overrides).context("loading settings")
    }

    /// Settings with a JWT secret, running `init` first on a fresh data directory.
    pub fn initialised_settings(&self) -> anyhow::Result<Settings> {
        let settings = self.settings()?;
        if settings.jwt_secret.is_some() {
            return Ok(settings);
        }
        let report = msme_backends::init(&settings).context("initialising the data directory")?;
        tracing::info!(data_dir = %report.data_dir.display(), "initialised a fresh data directory");
        self.settings()
    }

    /// The platform the settings name, its database migrated.
    pub async fn platform(&self) -> anyhow::Result<Platform> {
        let settings = self.settings()?;
        Ok(msme_backends::open_platform(&settings).await?)
    }

    /// The platform with its index as the last process left it: for the commands that only
    /// read the runtime's state or run the runtime themselves, so that opening it does none of
    /// the consumers' work outside their lease's worker.
    pub async fn platform_as_is(&self) -> anyhow::Result<Platform> {
        let settings = self.settings()?;
        Ok(msme_backends::open_platform_unsynced(&settings).await?)
    }

    /// Operator commands act with every permission, recorded as `operator` in the audit trail.
    pub fn operator(&self) -> Actor {
        Actor::operator()
    }

    /// Audit context of this command: a request id naming the CLI and the process.
    pub fn meta(&self) -> RequestMeta {
        RequestMeta {
            request_id: Some(format!("cli-{}", std::process::id())),
            user_agent: Some(concat!("msme-cli/", env!("CARGO_PKG_VERSION")).into()),
        }
    }
}

/// Brings the named consumers of the event stream up to its head now, where no worker holds
/// them, so an operator's command shows its own follow-ups (a listing under offer after
/// `msme escrow create`) with or without a running `msme worker` / `msme serve`.
pub async fn follow_up(platform: &Platform, consumers: &[&str]) -> anyhow::Result<()> {
    let runtime = platform.runtime();
    for name in consumers {
        let done = runtime
            .catch_up(name)
            .await
            .with_context(|| format!("catching `{name}` up with the event stream"))?;
        if done.dead_letters > 0 {
            tracing::warn!(
                consumer = name,
                dead_letters = done.dead_letters,
                "some events could not be handled: see `msme worker dead-letters`"
            );
        }
    }
    Ok(())
}

/// Runs the command the command line names.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let ctx = Ctx {
        overrides: Overrides {
            data_dir: Some(cli.data_dir),
            database_url: cli.database_url,
        },
        out: Output { json: cli.json },
    };
    match cli.command {
        Command::Init => setup::init(&ctx).await,
        Command::Migrate => setup::migrate(&ctx).await,
        Command::Serve(args) => serve::serve(&ctx, &args).await,
        Command::User(cmd) => user::run(&ctx, cmd).await,
        Command::Outbox(OutboxCommand::List(args)) => outbox::list(&ctx, &args).await,
        Command::Audit(AuditCommand::Verify) => audit::verify(&ctx).await,
        Command::Audit(AuditCommand::Export(args)) => audit::export(&ctx, &args).await,
        Command::Listing(cmd) => listing::run(&ctx, cmd).await,
        Command::Kyc(cmd) => kyc::run(&ctx, cmd).await,
        Command::Search(args) => search::run(&ctx, args).await,
        Command::Demo(args) => demo::demo(&ctx, &args).await,
        Command::Valuate(args) => valuate::valuate(&ctx, &args).await,
        Command::Model(cmd) => model::run(&ctx, cmd).await,
        Command::Escrow(cmd) => escrow::run(&ctx, cmd).await,
        Command::Payouts(cmd) => ledger::payouts(&ctx, cmd).await,
        Command::Ledger(cmd) => ledger::ledger(&ctx, cmd).await,
        Command::Match(cmd) => matching::run(&ctx, cmd).await,
        Command::Worker(args) => worker::run(&ctx, args).await,
    }
}
