//! Arguments of `msme model`: comparable deals, training, the registry, imported models.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Train every model kind on the kept comparable deals (sold listings, demo deals and
    /// imported ones), with a progress bar; every candidate is registered, and the one with
    /// the lowest error on the calibration part becomes active.
    Train(TrainArgs),
    /// List every model version, newest first, with its held-out metrics.
    List,
    /// Make a version the active one; activating an older version rolls back.
    Activate(VersionArg),
    /// Measure a version (the active one by default) again on the deals kept now.
    Evaluate(ModelEvaluateArgs),
    /// Import comparable deals from a CSV file. Every row is checked and every bad row reported
    /// by line; with any bad row nothing is imported unless --skip-invalid. A deal already kept
    /// (the same values) is left out.
    ImportComps(ImportCompsArgs),
    /// Import a model trained elsewhere: it is calibrated and measured on the kept deals like
    /// a trained one and registered beside them.
    Import(ImportModelArgs),
    /// Write the training set as the models see it (one row per deal: id, part, industry,
    /// state, every feature, offset, target, price): what a CatBoost model is trained on in
    /// Python, and what the benchmark compares boosters on.
    Export(ExportModelArgs),
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// A kind to train (repeat for several); all by default.
    #[arg(long = "kind", value_enum)]
    pub kinds: Vec<KindArg>,
    /// Stated coverage of the calibrated range, 0.5 to 0.99.
    #[arg(long, default_value_t = 0.8)]
    pub coverage: f64,
    /// The booster's budget: more fits closer and trains longer.
    #[arg(long, default_value_t = 1.0)]
    pub budget: f32,
    /// Register the candidates without activating the chosen one.
    #[arg(long)]
    pub no_activate: bool,
}

/// A kind trained in process.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum KindArg {
    /// Gradient-boosted trees (perpetual).
    Gbt,
    /// Ridge regression on log features.
    Ridge,
}

impl KindArg {
    pub fn as_str(self) -> &'static str {
        match self {
            KindArg::Gbt => "gbt",
            KindArg::Ridge => "ridge",
        }
    }
}

#[derive(Debug, Args)]
pub struct VersionArg {
    /// Model version id.
    pub version: String,
}

#[derive(Debug, Args)]
pub struct ModelEvaluateArgs {
    /// Model version id (default: the active version).
    pub version: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Columns (a header row names them, in any order): industry (an id from \
`GET /v1/industries`), state (name or two-letter code), city, year_established, fiscal_year \
(the year the figures end, e.g. 2025 for FY 2024-25), employees (may be empty), revenue_paise, \
ebitda_paise, net_profit_paise, total_assets_paise, total_liabilities_paise, debt_paise, \
revenue_growth_bps (compound yearly growth before the sale, may be empty), sale_price_paise \
(the price paid for the equity). Example: crates/msme-cli/examples/comparables.csv."
)]
pub struct ImportCompsArgs {
    /// The CSV file.
    pub file: PathBuf,
    /// Import the valid rows even if some are bad (the bad ones are still reported).
    #[arg(long)]
    pub skip_invalid: bool,
}

/// Formats of model files that can be imported.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ModelFormat {
    /// A CatBoost regressor saved with `save_model(path)` (`.cbm`), trained on the columns of
    /// `msme model export` (see the msme-catboost crate's docs).
    Catboost,
}

#[derive(Debug, Args)]
pub struct ImportModelArgs {
    /// The model file's format.
    #[arg(long, value_enum)]
    pub format: ModelFormat,
    /// The model file.
    pub file: PathBuf,
    /// Stated coverage of the calibrated range, 0.5 to 0.99.
    #[arg(long, default_value_t = 0.8)]
    pub coverage: f64,
    /// Make the imported model the active one.
    #[arg(long)]
    pub activate: bool,
}

#[derive(Debug, Args)]
pub struct ExportModelArgs {
    /// Where to write the CSV.
    pub file: PathBuf,
}
