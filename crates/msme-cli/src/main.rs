//! `msme`: the operator's command for an MSME Exchange deployment.
//!
//! Each command loads the layered settings (defaults, `msme.toml`, environment, flags), opens
//! what it needs through `msme-backends`, and acts as [`msme_core::rbac::Actor::operator`].
//! Output is text for people or, with `--json`, JSON for scripts. Errors are one line on
//! stderr and a non-zero exit status (see [`error::exit_code`]).
#![forbid(unsafe_code)]

mod cli;
mod commands;
mod csv_import;
mod error;
mod listing_csv;
mod logging;
mod market_view;
mod output;
mod progress;
mod view;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    logging::init(cli.command.is_server());
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return error::report(&anyhow::Error::new(e).context("starting the runtime")),
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => error::report(&e),
    }
}
