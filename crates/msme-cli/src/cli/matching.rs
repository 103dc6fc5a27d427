//! Arguments of `msme match`: ranking listings for a buyer or buyers for a listing, refreshing
//! saved matches, and evaluating (and adopting) a learned ranker.

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum MatchCommand {
    /// Rank every published listing for a buyer (seen as the operator: every listing in full),
    /// with score and reasons.
    Buyer(MatchBuyerArgs),
    /// Rank buyers with preferences for a listing, with score and reasons.
    Listing(MatchListingArgs),
    /// Train a ranker on recorded interactions and print its NDCG@10 on held-out buyers beside
    /// the hand-set weights'; the model replaces the hand-set weights only when it beats them.
    /// Exit status 1 when there are too few interactions to train on.
    Evaluate(MatchEvaluateArgs),
    /// Bring every buyer's saved matches up to date with the event stream now (a running
    /// `msme worker` or `msme serve` does this by itself).
    Refresh,
}

#[derive(Debug, Args)]
pub struct MatchBuyerArgs {
    /// The buyer: account id (UUID) or mobile number.
    pub buyer: String,
    /// How many matches (1 to 100).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub limit: u32,
}

#[derive(Debug, Args)]
pub struct MatchListingArgs {
    /// The listing id.
    pub listing: String,
    /// How many matches (1 to 100).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub limit: u32,
}

#[derive(Debug, Args)]
pub struct MatchEvaluateArgs {
    /// Print the figures but keep no model (the hand-set weights or the adopted model stay).
    #[arg(long)]
    pub dry_run: bool,
}
