//! Arguments of `msme search`: a query with filters, or `reindex` / `check`.

use clap::{Args, Subcommand, ValueEnum};
use msme_core::search::SearchSort;

/// `msme search QUERY [filters]`, `msme search reindex`, `msme search check`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SearchArgs {
    #[command(subcommand)]
    pub command: Option<SearchCommand>,
    #[command(flatten)]
    pub query: SearchQueryArgs,
}

#[derive(Debug, Subcommand)]
pub enum SearchCommand {
    /// Rebuild the index from the database (every published listing), with a progress bar.
    Reindex,
    /// Compare the index with the database without catching it up first: lists published
    /// listings missing from it or indexed at an older version, and indexed listings that are
    /// no longer published. Exit status 1 when it is not consistent.
    Check,
}

/// A search over published listings, as a buyer would run it (but seeing every listing in
/// full). The index first catches up with changes it has not seen.
#[derive(Debug, Args)]
pub struct SearchQueryArgs {
    /// Words to look for in title, description, industry, state and city; misspellings of one
    /// or two letters (by word length) still match. None: every published listing.
    pub query: Vec<String>,
    #[command(flatten)]
    pub place: super::PlaceArgs,
    /// Only this city (any case); anonymous listings never match.
    #[arg(long)]
    pub city: Option<String>,
    /// Only this deal type: full_sale, partial_stake or asset_sale.
    #[arg(long)]
    pub deal_type: Option<String>,
    /// Lowest asking price, in paise (₹1 crore = 1000000000).
    #[arg(long, value_name = "PAISE")]
    pub min_price: Option<i64>,
    /// Highest asking price, in paise.
    #[arg(long, value_name = "PAISE")]
    pub max_price: Option<i64>,
    /// Lowest latest-year revenue, in paise (listings without financials are left out).
    #[arg(long, value_name = "PAISE")]
    pub min_revenue: Option<i64>,
    /// Highest latest-year revenue, in paise.
    #[arg(long, value_name = "PAISE")]
    pub max_revenue: Option<i64>,
    /// Lowest latest-year EBITDA margin, whole percent.
    #[arg(long, value_name = "PCT", allow_hyphen_values = true)]
    pub min_margin: Option<i32>,
    /// Highest latest-year EBITDA margin, whole percent.
    #[arg(long, value_name = "PCT", allow_hyphen_values = true)]
    pub max_margin: Option<i32>,
    /// Established in this year or later.
    #[arg(long, value_name = "YEAR")]
    pub min_year: Option<i32>,
    /// Established in this year or earlier.
    #[arg(long, value_name = "YEAR")]
    pub max_year: Option<i32>,
    /// Only listings whose seller's KYC is verified.
    #[arg(long)]
    pub verified_only: bool,
    /// Order of hits.
    #[arg(long, value_enum, default_value = "relevance")]
    pub sort: SortArg,
    /// Hits per page (1 to 100).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub limit: u32,
    /// Continue after the previous page (its `next_cursor`, with the same sort).
    #[arg(long)]
    pub cursor: Option<String>,
}

/// An order of search hits as typed on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SortArg {
    /// Best match first (newest first without words).
    Relevance,
    PriceAsc,
    PriceDesc,
    RevenueDesc,
    Newest,
}

impl From<SortArg> for SearchSort {
    fn from(s: SortArg) -> Self {
        match s {
            SortArg::Relevance => SearchSort::Relevance,
            SortArg::PriceAsc => SearchSort::PriceAsc,
            SortArg::PriceDesc => SearchSort::PriceDesc,
            SortArg::RevenueDesc => SearchSort::RevenueDesc,
            SortArg::Newest => SearchSort::Newest,
        }
    }
}
