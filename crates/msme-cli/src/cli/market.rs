//! Arguments of the marketplace commands: `listing ...` and `kyc ...`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use msme_core::kyc::KycStatus;
use msme_core::listing::ListingStatus;

/// The CSV format of `msme listing import`, shown in its `--help`.
const IMPORT_FORMAT: &str = "\
CSV format (UTF-8, comma-separated, one listing per row, quote cells that hold commas or line \
breaks):

The first row names the columns; their order is free. Required columns:
  title               5 to 120 characters
  description         20 to 10,000 characters
  industry            a taxonomy id, e.g. machinery, food_processing, it_services
  city                2 to 60 characters
  state               state or union territory, by name (Maharashtra) or code (MH)
  year_established    1800 to this year
  employees           0 to 1,000,000
  deal_type           full_sale, partial_stake or asset_sale
  asking_price_paise  whole paise, more than zero (₹1 crore = 1000000000)
Optional columns:
  anonymous           true/false, yes/no or 1/0 (empty: false)
  fyN_fiscal_year, fyN_revenue_paise, fyN_ebitda_paise, fyN_net_profit_paise,
  fyN_total_assets_paise, fyN_total_liabilities_paise, fyN_debt_paise
                      financials of up to three fiscal years, N = 1, 2, 3. A fiscal year is
                      named by the year it ends in (FY 2024-25 is 2025). Leave all seven cells
                      of a year empty when there is no such year; fill all seven otherwise.

Every row is checked before anything is saved. Each bad row is reported by line number, column
and reason. A file with any bad row imports nothing (exit status 2) unless --skip-invalid is
given, which imports the good rows and reports the rest. Imported listings are drafts of the
seller. Example: crates/msme-cli/examples/listings.csv.";

#[derive(Debug, Subcommand)]
pub enum ListingCommand {
    /// List listings, newest first, with filters (every status by default).
    List(ListingListArgs),
    /// Show everything about one listing, confidential fields included.
    Show(ListingRef),
    /// Approve a submitted listing (its seller may then publish it).
    Approve(ListingRef),
    /// Reject a submitted listing with a reason the seller will read.
    Reject(RejectArgs),
    /// Publish an approved listing on its seller's behalf (an assisted seller): it becomes
    /// searchable and is matched to buyers.
    Publish(ListingRef),
    /// Take a published listing off the marketplace (on the seller's word, or a takedown):
    /// it leaves search and buyers' matches.
    Withdraw(ListingRef),
    /// Import listings from a CSV file as drafts of one seller.
    #[command(after_long_help = IMPORT_FORMAT)]
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ListingListArgs {
    /// Only listings in this status.
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,
    #[command(flatten)]
    pub place: PlaceArgs,
    /// Only this seller's listings (account id or mobile number).
    #[arg(long)]
    pub seller: Option<String>,
    /// Listings per page (1 to 200).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub limit: u32,
    /// Continue after the previous page (its `next_cursor`).
    #[arg(long)]
    pub cursor: Option<String>,
}

/// The industry and state filters that `listing list` and `search` share.
#[derive(Debug, Args)]
pub struct PlaceArgs {
    /// Only this industry (taxonomy id, e.g. machinery).
    #[arg(long)]
    pub industry: Option<String>,
    /// Only this state or union territory (name or two-letter code).
    #[arg(long)]
    pub state: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListingRef {
    /// Listing id.
    pub id: String,
}

#[derive(Debug, Args)]
pub struct RejectArgs {
    /// Listing id.
    pub id: String,
    /// Why, in words the seller can act on (1 to 1000 characters).
    #[arg(long)]
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file (format below).
    pub file: PathBuf,
    /// The seller who will own the listings: account id or mobile number.
    #[arg(long)]
    pub seller: String,
    /// Import the good rows even when some are bad (the bad ones are still reported).
    #[arg(long)]
    pub skip_invalid: bool,
}

/// A listing status as typed on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum StatusArg {
    Draft,
    Submitted,
    Approved,
    Published,
    UnderOffer,
    Sold,
    Rejected,
    Withdrawn,
}

impl From<StatusArg> for ListingStatus {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::Draft => ListingStatus::Draft,
            StatusArg::Submitted => ListingStatus::Submitted,
            StatusArg::Approved => ListingStatus::Approved,
            StatusArg::Published => ListingStatus::Published,
            StatusArg::UnderOffer => ListingStatus::UnderOffer,
            StatusArg::Sold => ListingStatus::Sold,
            StatusArg::Rejected => ListingStatus::Rejected,
            StatusArg::Withdrawn => ListingStatus::Withdrawn,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum KycCommand {
    /// List KYC records in account-id order (those waiting for a decision by default).
    List(KycListArgs),
    /// Mark an account's submitted KYC as verified.
    Verify(KycUserRef),
    /// Reject an account's submitted KYC with a reason its holder will read.
    Reject(KycRejectArgs),
}

#[derive(Debug, Args)]
pub struct KycListArgs {
    /// Only records in this status.
    #[arg(long, value_enum, default_value = "submitted")]
    pub status: KycStatusArg,
    /// Start after this account id (the `next_cursor` of the previous page).
    #[arg(long)]
    pub after: Option<String>,
    /// Records per page (1 to 500).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=500))]
    pub limit: u32,
}

#[derive(Debug, Args)]
pub struct KycUserRef {
    /// Account id (UUID) or mobile number.
    pub user: String,
}

#[derive(Debug, Args)]
pub struct KycRejectArgs {
    /// Account id (UUID) or mobile number.
    pub user: String,
    /// Why, in words the account holder can act on (1 to 500 characters).
    #[arg(long)]
    pub reason: String,
}

/// A KYC status as typed on the command line; `any` lists every record.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum KycStatusArg {
    Any,
    NotStarted,
    Submitted,
    Verified,
    Rejected,
}

impl KycStatusArg {
    /// The status to filter on; `None` for `any`.
    pub fn status(self) -> Option<KycStatus> {
        match self {
            KycStatusArg::Any => None,
            KycStatusArg::NotStarted => Some(KycStatus::NotStarted),
            KycStatusArg::Submitted => Some(KycStatus::Submitted),
            KycStatusArg::Verified => Some(KycStatus::Verified),
            KycStatusArg::Rejected => Some(KycStatus::Rejected),
        }
    }
}
