//! Arguments of `msme escrow`, `msme payouts` and `msme ledger`.

use clap::{Args, Subcommand};

/// Every command that moves money takes `--key`: the idempotency key. Running it again with the
/// same key and arguments gives the first result again instead of moving money twice.
#[derive(Debug, Args)]
pub struct KeyArg {
    /// Idempotency key (1 to 255 visible characters). Without one a new key is made and printed
    /// on stderr; repeat a command that may not have finished with that key.
    #[arg(long)]
    pub key: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum EscrowCommand {
    /// Open an escrow on a published listing (which goes under offer).
    Create(CreateEscrowArgs),
    /// Fund an escrow with its whole amount through the payment gateway (the sandbox pays at
    /// once).
    Fund(EscrowMove),
    /// Release one milestone to the seller, agent and platform.
    Release(ReleaseArgs),
    /// Refund everything still held to the buyer.
    Refund(EscrowMove),
    /// Freeze an escrow until an admin resolves it.
    Dispute(DisputeArgs),
    /// Split a disputed escrow between buyer and seller.
    Resolve(ResolveArgs),
    /// Call a deal off before it is funded.
    Cancel(EscrowMove),
    /// Record that an escrow's whole amount arrived by bank transfer (its UTR).
    ConfirmTransfer(ConfirmTransferArgs),
    /// Show one escrow with its milestones and payments.
    Show(EscrowRef),
    /// List escrows in id order.
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct CreateEscrowArgs {
    /// The published listing the deal is for.
    #[arg(long)]
    pub listing: String,
    /// The buyer's account id.
    #[arg(long)]
    pub buyer: String,
    /// The seller's account id (the listing's seller).
    #[arg(long)]
    pub seller: String,
    /// The whole amount, in paise.
    #[arg(long)]
    pub amount_paise: i64,
    /// The platform's fee in basis points of the amount (250 = 2.5%).
    #[arg(long, default_value_t = 0)]
    pub platform_fee_bps: u32,
    /// The agent who brought the deal (an agent's account id).
    #[arg(long)]
    pub agent: Option<String>,
    /// The agent's commission in basis points of the amount.
    #[arg(long, default_value_t = 0)]
    pub agent_commission_bps: u32,
    /// A milestone as NAME=PAISE; repeat for each, in order. They must add up to the amount.
    #[arg(long = "milestone", value_name = "NAME=PAISE", required = true)]
    pub milestones: Vec<String>,
    #[command(flatten)]
    pub key: KeyArg,
}

#[derive(Debug, Args)]
pub struct EscrowRef {
    /// Escrow id.
    pub id: String,
}

#[derive(Debug, Args)]
pub struct EscrowMove {
    /// Escrow id.
    pub id: String,
    #[command(flatten)]
    pub key: KeyArg,
}

#[derive(Debug, Args)]
pub struct ReleaseArgs {
    /// Escrow id.
    pub id: String,
    /// The milestone to release.
    #[arg(long)]
    pub milestone: String,
    #[command(flatten)]
    pub key: KeyArg,
}

#[derive(Debug, Args)]
pub struct DisputeArgs {
    /// Escrow id.
    pub id: String,
    /// Why, for whoever resolves it.
    #[arg(long, default_value = "")]
    pub reason: String,
    #[command(flatten)]
    pub key: KeyArg,
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// Escrow id.
    pub id: String,
    /// What goes back to the buyer, in paise.
    #[arg(long)]
    pub refund_to_buyer_paise: i64,
    /// What goes to the seller's side, in paise (fee and commission taken pro rata).
    #[arg(long)]
    pub release_to_seller_paise: i64,
    #[command(flatten)]
    pub key: KeyArg,
}

#[derive(Debug, Args)]
pub struct ConfirmTransferArgs {
    /// Escrow id.
    pub id: String,
    /// The bank's reference for the transfer (UTR).
    #[arg(long)]
    pub reference: String,
    /// The amount that arrived, in paise: the escrow's whole amount.
    #[arg(long)]
    pub amount_paise: i64,
    #[command(flatten)]
    pub key: KeyArg,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Start after this id (the last id of the previous page).
    #[arg(long)]
    pub after: Option<String>,
    /// How many (1 to 500).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=500))]
    pub limit: u32,
}

#[derive(Debug, Subcommand)]
pub enum PayoutsCommand {
    /// One payout pass: start payouts from payables with money, send or poll those due, settle
    /// them, fail them back to their payable, or defer them with backoff. Run it from cron.
    Run,
    /// List payouts: all in id order, or one payable's newest first.
    List(PayoutListArgs),
}

#[derive(Debug, Args)]
pub struct PayoutListArgs {
    /// Only the payouts of this payable, e.g. payable:seller:<user id>.
    #[arg(long)]
    pub payee: Option<String>,
    #[command(flatten)]
    pub page: ListArgs,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Prove the ledger's invariants: every entry balances, all balances sum to zero, no
    /// escrow or payable is negative, escrow records match their accounts, stored balances
    /// match the postings, and each sent payout matches the gateway's record. Exit status 1
    /// when any does not hold.
    Verify,
    /// Compare every payment and payout with the payment gateway's records and list the
    /// differences. Exit status 1 when there are any.
    Reconcile,
    /// The statement of one account: every posting with the balance after it.
    Statement(StatementArgs),
    /// Many concurrent escrow moves with retried keys, for the crash test (hidden).
    #[command(hide = true)]
    Stress(StressArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Accounts: payable:seller:<user id>, payable:agent:<user id>, \
payable:refund:<user id>, escrow:<escrow id>, revenue:platform_fee, clearing:<gateway>, \
transit:payouts."
)]
pub struct StatementArgs {
    /// The account, e.g. revenue:platform_fee.
    pub account: String,
}

#[derive(Debug, Args)]
pub struct StressArgs {
    /// Escrows to move (each on its own published listing).
    #[arg(long, default_value_t = 40)]
    pub escrows: usize,
    /// Milestones per escrow (1 to 50); each release is one transfer.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=50))]
    pub milestones: u32,
    /// Escrows moved at once.
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
    /// Seed of the random retries and release order.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}
