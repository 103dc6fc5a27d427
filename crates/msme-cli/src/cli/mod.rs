//! The command line: every command, flag and its help text.

mod market;
mod matching;
mod model;
mod money;
mod search;
mod worker;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use msme_core::types::Role;

pub use market::*;
pub use matching::*;
pub use model::*;
pub use money::*;
pub use search::*;
pub use worker::*;

const EXIT_CODES: &str = "Exit status: 0 on success, 2 when the command or its input is wrong \
(bad flag, invalid mobile, unknown account or listing, mobile taken, a move the workflow does \
not allow, invalid rows in an import), 1 for any other failure.";

/// Operate an MSME Exchange: set up its data, serve its HTTP API, manage accounts, review
/// listings and KYC, import and search listings, read the SMS outbox and verify the audit trail.
#[derive(Debug, Parser)]
#[command(name = "msme", version, after_help = EXIT_CODES)]
pub struct Cli {
    /// Directory holding msme.toml and, by default, the SQLite database.
    #[arg(
        long,
        env = "MSME_DATA_DIR",
        default_value = "./msme-data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// Database to use: sqlite://PATH or postgres://USER@HOST/DB (default: msme.db in the
    /// data directory).
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// Print machine-readable JSON on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the data directory and msme.toml with a new JWT secret, and migrate the
    /// database. Safe to run again: an existing secret is kept.
    Init,
    /// Serve the HTTP API (initialising a fresh data directory first). Stops cleanly on
    /// Ctrl-C or SIGTERM.
    Serve(ServeArgs),
    /// Apply the database migrations and print the schema version.
    Migrate,
    /// Manage accounts (acting as the operator, who may do everything).
    #[command(subcommand)]
    User(UserCommand),
    /// Read the SMS outbox, where messages wait when no provider is configured.
    #[command(subcommand)]
    Outbox(OutboxCommand),
    /// Check and export the hash-chained audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Review, approve, reject and bulk-import listings.
    #[command(subcommand)]
    Listing(ListingCommand),
    /// Review KYC submissions: list, verify, reject.
    #[command(subcommand)]
    Kyc(KycCommand),
    /// Search published listings, rebuild the search index, or check it against the database.
    Search(SearchArgs),
    /// Fill a fresh data directory with a realistic demo marketplace (sellers, buyers, agents,
    /// NBFCs and listings in every workflow state), the same for the same seed. Refuses a data
    /// directory that already has accounts. Every demo account's password is printed at the end.
    Demo(DemoArgs),
    /// Value a listing, or a JSON file of financials, by every method; the valuation is kept.
    Valuate(ValuateArgs),
    /// Valuation models: import comparable deals, train, list, activate (roll back), evaluate,
    /// import CatBoost models, export the training set.
    #[command(subcommand)]
    Model(ModelCommand),
    /// Escrows: open, fund (gateway or confirmed bank transfer), release milestones, refund,
    /// dispute and resolve; every move takes an idempotency key.
    #[command(subcommand)]
    Escrow(EscrowCommand),
    /// Payouts from payables to sellers, agents and refunded buyers: run a pass, list them.
    #[command(subcommand)]
    Payouts(PayoutsCommand),
    /// The double-entry ledger: verify its invariants, reconcile it with the gateway, read
    /// an account's statement.
    #[command(subcommand)]
    Ledger(LedgerCommand),
    /// Matching: rank listings for a buyer or buyers for a listing, refresh saved matches,
    /// evaluate a learned ranker.
    #[command(subcommand)]
    Match(MatchCommand),
    /// Run the platform's consumers of the event stream until Ctrl-C or SIGTERM: the search
    /// index, saved matches, payouts, SMS delivery and training jobs follow every change,
    /// whoever made it. Several workers on one PostgreSQL database share the consumers.
    /// `msme serve` runs them too, unless started with --no-worker.
    Worker(WorkerArgs),
}

/// `msme valuate LISTING_ID` or `msme valuate --file FINANCIALS.json`, with `--report FILE.pdf`
/// for the PDF report.
#[derive(Debug, Args)]
#[command(
    group(clap::ArgGroup::new("subject").required(true).args(["listing", "file"])),
    after_help = "The file is one JSON object: the original design's fields in whole rupees \
(company_name, business_type, industry, location, establishment_year, annual_revenue, \
annual_profit, and optionally total_assets, current_assets, current_liabilities, total_debt, \
employee_count, growth_rate in percent, ebitda), or figures in paise as POST /v1/valuations \
takes them. Example: crates/msme-cli/examples/financials.json."
)]
pub struct ValuateArgs {
    /// The listing to value.
    pub listing: Option<String>,
    /// A JSON file of financials to value instead of a listing.
    #[arg(long, value_name = "FINANCIALS.json")]
    pub file: Option<PathBuf>,
    /// Also write the valuation report as a PDF to this file.
    #[arg(long, value_name = "FILE.pdf")]
    pub report: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Seed of the generator: the same seed gives the same marketplace.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// How many listings (accounts are made in proportion: a seller per 3 listings, a buyer
    /// per 2, an agent per 20, an NBFC per 50, at most 10).
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub listings: u32,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (the URL printed says which).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Serve the API only, leaving the consumers of the event stream (search index, payouts,
    /// SMS, training) to separate `msme worker` processes.
    #[arg(long)]
    pub no_worker: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account of any role, admin included. An admin's authenticator secret is
    /// printed once.
    Create(CreateUserArgs),
    /// List accounts in id order.
    List(ListUsersArgs),
    /// Show one account.
    Show(UserRef),
    /// Disable an account and end all its sessions.
    Disable(UserRef),
    /// Enable a disabled account.
    Enable(UserRef),
    /// Change an account's role and end its sessions. Making someone admin prints their
    /// authenticator secret once.
    SetRole(SetRoleArgs),
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("secret").required(true).args(["password", "password_stdin"])))]
pub struct CreateUserArgs {
    /// Full name.
    #[arg(long)]
    pub name: String,
    /// Indian mobile number, e.g. 9876543210 or +91 98765 43210.
    #[arg(long)]
    pub mobile: String,
    /// Email address (optional).
    #[arg(long)]
    pub email: Option<String>,
    /// Password (8 to 128 characters). Visible to other local users in the process list:
    /// prefer --password-stdin.
    #[arg(long)]
    pub password: Option<String>,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
    /// Role of the account.
    #[arg(long, value_enum)]
    pub role: RoleArg,
}

#[derive(Debug, Args)]
pub struct ListUsersArgs {
    /// Start after this account id (the `next_cursor` of the previous page).
    #[arg(long)]
    pub after: Option<String>,
    /// Accounts per page (1 to 500).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=500))]
    pub limit: u32,
}

#[derive(Debug, Args)]
pub struct UserRef {
    /// Account id (UUID) or mobile number.
    pub user: String,
}

#[derive(Debug, Args)]
pub struct SetRoleArgs {
    /// Account id (UUID) or mobile number.
    pub user: String,
    /// The new role.
    #[arg(value_enum)]
    pub role: RoleArg,
}

/// A marketplace role as typed on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RoleArg {
    Seller,
    Buyer,
    Agent,
    Nbfc,
    Admin,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Seller => Role::Seller,
            RoleArg::Buyer => Role::Buyer,
            RoleArg::Agent => Role::Agent,
            RoleArg::Nbfc => Role::Nbfc,
            RoleArg::Admin => Role::Admin,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// List messages in the order they were written.
    List(OutboxListArgs),
}

#[derive(Debug, Args)]
pub struct OutboxListArgs {
    /// Start after this message id.
    #[arg(long)]
    pub after: Option<i64>,
    /// Messages per page (1 to 1000).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub limit: u32,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain; exits 1 naming the first entry altered or removed.
    Verify,
    /// Write entries as JSON lines (seq, at, actor, action, entity_type, entity_id,
    /// request_id, details, prev_hash, hash).
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Export only entries after this seq.
    #[arg(long, default_value_t = 0)]
    pub after: i64,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

impl Command {
    /// Whether this command runs long enough that `info` logs belong on by default.
    pub fn is_server(&self) -> bool {
        matches!(
            self,
            Command::Serve(_) | Command::Worker(WorkerArgs { command: None, .. })
        )
    }
}
