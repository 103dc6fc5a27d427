//! Arguments of `msme worker`: run the consumers of the event stream, or look at them.

use clap::{Args, Subcommand};

/// `msme worker [--consumer NAME]...`, `msme worker status|dead-letters|retry`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct WorkerArgs {
    #[command(subcommand)]
    pub command: Option<WorkerCommand>,
    /// Run only this consumer (repeat for several): search-indexer, matcher, payouts, sms,
    /// trainer, listing-escrows, comparable-sales. Default: all this process can run (search-indexer needs the search index, sms
    /// an SMS provider).
    #[arg(long = "consumer", value_name = "NAME")]
    pub consumers: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum WorkerCommand {
    /// Every consumer's cursor, lag behind the stream, lease holder and dead letters.
    Status,
    /// Events a consumer gave up on after repeated failures, newest first.
    DeadLetters(DeadLettersArgs),
    /// Hand a dead letter's event to its consumer again; on success it is removed.
    Retry(RetryArgs),
}

#[derive(Debug, Args)]
pub struct DeadLettersArgs {
    /// Only this consumer's.
    #[arg(long)]
    pub consumer: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
}

#[derive(Debug, Args)]
pub struct RetryArgs {
    /// The consumer that gave up.
    pub consumer: String,
    /// The event's sequence number (as `msme worker dead-letters` shows it).
    pub seq: i64,
}
