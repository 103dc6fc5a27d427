//! A valuation as kept: who asked, about what, and everything the engine answered.
//!
//! The report is stored as one JSON document (like profiles): nothing queries inside it, and its
//! shape belongs to the core. Amounts in it are integer paise.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Blend, Comparable, RiskReport, ValuationAssumptions, ValuationInput};
use crate::error::StoreError;
use crate::types::{ListingId, UserId, ValuationId};

/// A kept valuation.
#[derive(Clone, Debug, PartialEq)]
pub struct Valuation {
    pub id: ValuationId,
    /// The listing valued, `None` for raw figures.
    pub listing_id: Option<ListingId>,
    /// Who asked; `None` when the operator asked from the terminal.
    pub requested_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub report: ValuationReport,
}

impl Valuation {
    /// The report as the JSON document stores keep.
    pub fn to_document(&self) -> String {
        serde_json::to_string(&self.report).unwrap_or_else(|_| "{}".into())
    }

    /// A valuation read back from its columns and document; a document that does not parse is
    /// corruption, reported as a backend error.
    pub fn from_document(
        id: ValuationId,
        listing_id: Option<ListingId>,
        requested_by: Option<UserId>,
        created_at: DateTime<Utc>,
        doc: &str,
    ) -> Result<Self, StoreError> {
        let report = serde_json::from_str(doc).map_err(StoreError::backend)?;
        Ok(Self {
            id,
            listing_id,
            requested_by,
            created_at,
            report,
        })
    }
}

/// Everything the engine answered, in plain values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValuationReport {
    pub input: InputSummary,
    pub value_paise: i64,
    pub low_paise: i64,
    pub high_paise: i64,
    /// Stated coverage of the range; `None` while it is only the methods' spread.
    pub coverage: Option<f64>,
    /// 0 to 100; see [`confidence`].
    pub confidence: u8,
    pub methods: Vec<MethodLine>,
    pub skipped: Vec<SkippedLine>,
    pub notes: Vec<String>,
    pub risks: RiskSummary,
    pub comparables: Vec<Comparable>,
    /// Every rate the methods assumed, by name.
    pub assumptions: BTreeMap<String, f64>,
    /// Where the reference data came from (the multiples table's source and date). Empty in
    /// valuations kept before it was recorded.
    #[serde(default)]
    pub sources: Vec<String>,
    /// The trained model's answer, when a model is active (absent from valuations kept
    /// before models existed).
    #[serde(default)]
    pub model: Option<ModelSummary>,
}

/// The active model's estimate and why it came out so.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelSummary {
    pub version_id: String,
    pub kind: String,
    pub value_paise: i64,
    pub low_paise: i64,
    pub high_paise: i64,
    /// The range's stated coverage (split conformal on held-out deals).
    pub coverage: f64,
    /// The version's errors on its test deals.
    pub test_mape: f64,
    pub test_median_ape: f64,
    /// `path_contributions` (the model's own split) or `substitution` (each feature moved to
    /// the training median).
    pub explanation_method: String,
    /// The features that raised or lowered the estimate most, largest first.
    pub top_features: Vec<crate::model::FeatureEffect>,
}

impl From<&crate::model::ModelAnswer> for ModelSummary {
    fn from(a: &crate::model::ModelAnswer) -> Self {
        Self {
            version_id: a.estimate.version.clone(),
            kind: a.kind.clone(),
            value_paise: a.estimate.value.get(),
            low_paise: a.estimate.low.get(),
            high_paise: a.estimate.high.get(),
            coverage: a.estimate.coverage,
            test_mape: a.test.mape,
            test_median_ape: a.test.median_ape,
            explanation_method: a.explanation_method.into(),
            top_features: a.explanation.clone(),
        }
    }
}

/// What the valuation was computed from, in brief.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InputSummary {
    /// The company name or listing title, when known.
    pub subject: Option<String>,
    pub industry: String,
    pub city: String,
    /// Two-letter GST state code, when the location named one.
    pub state: Option<String>,
    pub year_established: i32,
    pub employees: u32,
    pub fiscal_years: Vec<i32>,
    pub latest_revenue_paise: Option<i64>,
    /// `None` when EBITDA was not given.
    pub latest_ebitda_paise: Option<i64>,
    pub latest_net_profit_paise: Option<i64>,
    pub has_asset_inventory: bool,
    /// ISO date.
    pub valuation_date: String,
    /// The latest year's revenue band (as a listing's teaser names it), when there are
    /// financials.
    #[serde(default)]
    pub revenue_band: Option<String>,
    /// True when the listing's confidential fields were left out for this reader (see
    /// [`ValuationReport::withhold_confidential`]): then only `subject` (the teaser's
    /// headline), `industry`, `state`, `revenue_band` and `valuation_date` are meaningful.
    #[serde(default)]
    pub withheld: bool,
}

/// One method's contribution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MethodLine {
    pub method: String,
    pub value_paise: i64,
    pub low_paise: Option<i64>,
    pub high_paise: Option<i64>,
    /// Weight in basis points; the lines add up to 10 000.
    pub weight_bps: u32,
    /// Why it has this weight.
    pub reason: String,
    pub notes: Vec<String>,
}

/// A method that gave no number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SkippedLine {
    pub method: String,
    pub reason: String,
}

/// The risk report in plain values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskSummary {
    pub score: u8,
    pub flags: Vec<RiskLine>,
}

/// One risk flag.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskLine {
    pub code: String,
    pub severity: String,
    pub reason: String,
}

/// How sure the valuation is, from 0 to 100:
///
/// `round(50 × tightness + 50 × completeness)`, where
/// - tightness = `max(0, 1 − (high − low) / (2 × value))`: ±10% gives 0.9, ±100% or more gives 0
///   (0 also when the value is 0);
/// - completeness = the mean of six checks, each from 0 to 1: EBITDA given; years of
///   financials / 3 (at most 1); an itemised asset inventory; a balance sheet (latest total
///   assets above zero); financials verified; documents complete.
pub fn confidence(input: &ValuationInput, value: i64, low: i64, high: i64) -> u8 {
    let tightness = if value > 0 {
        let spread = super::f(crate::money::Paise::new(high.saturating_sub(low)));
        (1.0 - spread / (2.0 * super::f(crate::money::Paise::new(value)))).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let years = input.financials.len().min(3) as f64 / 3.0;
    let checks = [
        f64::from(u8::from(input.ebitda_known)),
        years,
        f64::from(u8::from(
            input.assets.as_ref().is_some_and(|a| !a.items.is_empty()),
        )),
        f64::from(u8::from(
            input.latest().is_some_and(|y| y.total_assets.get() > 0),
        )),
        f64::from(u8::from(input.diligence.financials_verified)),
        f64::from(u8::from(input.diligence.documents_complete)),
    ];
    let completeness = checks.iter().sum::<f64>() / checks.len() as f64;
    let score = (50.0 * tightness + 50.0 * completeness).round();
    // Both terms are within 0..=50, so the sum is within 0..=100.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let score = score.clamp(0.0, 100.0) as u8;
    score
}

impl ValuationReport {
    /// Assembles the report from the engine's parts.
    pub fn new(
        subject: Option<String>,
        input: &ValuationInput,
        blend: &Blend,
        risks: &RiskReport,
        comparables: Vec<Comparable>,
        assumptions: &ValuationAssumptions,
    ) -> Self {
        let (value, low, high) = (blend.value.get(), blend.low.get(), blend.high.get());
        Self {
            input: summary(subject, input),
            value_paise: value,
            low_paise: low,
            high_paise: high,
            coverage: blend.coverage,
            confidence: confidence(input, value, low, high),
            methods: blend.methods.iter().map(method_line).collect(),
            skipped: blend
                .skipped
                .iter()
                .map(|s| SkippedLine {
                    method: s.method.into(),
                    reason: s.reason.clone(),
                })
                .collect(),
            notes: blend.notes.clone(),
            risks: RiskSummary::from(risks),
            comparables,
            assumptions: assumption_table(assumptions),
            sources: vec![super::MULTIPLES_SOURCE.to_string()],
            model: None,
        }
    }
}

impl From<&RiskReport> for RiskSummary {
    fn from(r: &RiskReport) -> Self {
        let flags = r.flags.iter().map(|f| RiskLine {
            code: f.code.into(),
            severity: f.severity.as_str().into(),
            reason: f.reason.clone(),
        });
        Self {
            score: r.score,
            flags: flags.collect(),
        }
    }
}

fn method_line(m: &super::WeightedMethod) -> MethodLine {
    MethodLine {
        method: m.result.method.into(),
        value_paise: m.result.value.get(),
        low_paise: m.result.low.map(|p| p.get()),
        high_paise: m.result.high.map(|p| p.get()),
        weight_bps: m.weight_bps,
        reason: m.reason.clone(),
        notes: m.result.notes.clone(),
    }
}

fn summary(subject: Option<String>, input: &ValuationInput) -> InputSummary {
    let latest = input.latest();
    InputSummary {
        subject,
        industry: input.industry.id.into(),
        city: input.city.clone(),
        state: input.state.map(|s| s.code.into()),
        year_established: input.year_established,
        employees: input.employees,
        fiscal_years: input.financials.iter().map(|y| y.fiscal_year).collect(),
        latest_revenue_paise: latest.map(|y| y.revenue.get()),
        latest_ebitda_paise: latest
            .filter(|_| input.ebitda_known)
            .map(|y| y.ebitda.get()),
        latest_net_profit_paise: latest.map(|y| y.net_profit.get()),
        has_asset_inventory: input.assets.is_some(),
        valuation_date: input.valuation_date.to_string(),
        revenue_band: latest.map(|y| crate::listing::revenue_band(y.revenue).to_string()),
        withheld: false,
    }
}

/// Every assumption by name, realisable factors as `realisable.<category>`.
fn assumption_table(a: &ValuationAssumptions) -> BTreeMap<String, f64> {
    let mut t: BTreeMap<String, f64> = [
        ("illiquidity_discount", a.illiquidity_discount),
        ("risk_free_rate", a.risk_free_rate),
        ("equity_risk_premium", a.equity_risk_premium),
        ("beta", a.beta),
        ("size_premium", a.size_premium),
        ("tax_rate", a.tax_rate),
        ("capex_to_revenue", a.capex_to_revenue),
        ("working_capital_to_revenue", a.working_capital_to_revenue),
        ("terminal_growth", a.terminal_growth),
        ("projection_years", f64::from(a.projection_years)),
        ("default_growth", a.default_growth),
        ("min_initial_growth", a.min_initial_growth),
        ("max_initial_growth", a.max_initial_growth),
        ("discount_rate_sensitivity", a.discount_rate_sensitivity),
        ("min_peer_firms", f64::from(a.min_peer_firms)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    for (band, d) in super::SIZE_BANDS.iter().zip(a.size_discounts) {
        t.insert(format!("size_discount.{band}"), d);
    }
    for c in super::AssetCategory::ALL {
        t.insert(format!("realisable.{}", c.as_str()), a.realisable.factor(c));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::valuation::test_support::{input, year};

    #[test]
    fn confidence_follows_the_width_and_the_inputs() {
        let mut i = input(vec![year(2026, 100, 10)]);
        i.diligence.financials_verified = false;
        i.diligence.documents_complete = false;
        let narrow = confidence(&i, 1000, 900, 1100);
        assert!(narrow > confidence(&i, 1000, 0, 2000));
        // ±10%: tightness 0.9 gives 45; EBITDA, 1 of 3 years and a balance sheet give 7/18.
        assert_eq!(narrow, (45.0_f64 + 50.0 * 7.0 / 18.0).round() as u8);
        i.diligence.financials_verified = true;
        i.diligence.documents_complete = true;
        assert!(confidence(&i, 1000, 900, 1100) > narrow);
        // No value, or a range wider than ±100%: tightness 0.
        assert_eq!(confidence(&i, 0, 0, 0), confidence(&i, 1000, 0, 5000));
    }
}
