//! Valuation: what a business is worth, by several methods, each stating its assumptions.
//!
//! Every method is a pure function of a [`ValuationInput`] and the [`ValuationAssumptions`]:
//!
//! | method | wire name | idea |
//! |---|---|---|
//! | [`market_multiples`] | `market_multiples` (or `revenue_multiple`) | listed peers' EV/EBITDA, discounted for illiquidity and size |
//! | [`dcf`] | `dcf` | free cash flow from the history, growth fading to a terminal rate |
//! | [`net_asset_value`] | `net_asset_value` | realisable assets less liabilities |
//! | [`rule_of_thumb`] | `rule_of_thumb` | the original design's multipliers, kept for continuity |
//!
//! [`blend`] weighs the results by how much the inputs support each one, and [`risk_assessment`]
//! flags what a buyer should look at. [`valuate`] runs them all.
//!
//! [`Valuations`] (from `Platform::valuations`) runs them for users, adds the
//! [comparables](nearest_comparables) and a [`confidence`], and keeps each [`Valuation`] through
//! the [`ValuationStore`] port.
//!
//! Money stays in integer paise. Rates and multiples are `f64`; a money amount scaled by them is
//! converted back once, rounded, and refused with [`ValuationError::Overflow`] when it does not
//! fit, never wrapped or saturated.

mod assumptions;
mod blend;
mod comparables;
mod dcf;
mod diligence;
mod input;
mod legacy;
mod legacy_industry;
pub mod model;
mod multiples;
mod nav;
mod reader;
mod record;
mod request;
mod risk;
mod rule_of_thumb;
mod sector;
mod service;
mod store;
#[cfg(test)]
pub(crate) mod test_support;
mod withheld;

pub use assumptions::{RealisableFactors, ValuationAssumptions, SIZE_BANDS};
pub use blend::{blend, Blend, ModelEstimate, SkippedMethod, WeightedMethod, MODEL};
pub use comparables::{nearest_comparables, Comparable, COMPARABLES, COMPARABLE_STATUSES};
pub use dcf::{dcf, discount_rate};
pub use input::{AssetCategory, AssetInventory, AssetItem, Diligence, ValuationInput};
pub use legacy::LegacyValuationRequest;
pub use legacy_industry::legacy_industry;
pub use multiples::{ev_ebitda, market_multiples, PeerMultiple, MULTIPLES_SOURCE};
pub use nav::net_asset_value;
pub use record::{
    confidence, InputSummary, MethodLine, ModelSummary, RiskLine, RiskSummary, SkippedLine,
    Valuation, ValuationReport,
};
pub use request::{RawFinancials, ValuationRequest, ValuationRequestError};
pub use risk::{risk_assessment, RiskFlag, RiskReport, Severity};
pub use rule_of_thumb::rule_of_thumb;
pub use sector::typical_ebitda_margin;
pub(crate) use service::ValuationCtx;
pub use service::Valuations;
pub use store::{ValuationPorts, ValuationStore};
pub use withheld::{risk_label, WITHHELD_NOTE};

use crate::error::{DomainError, ErrorKind};
use crate::money::Paise;

/// Wire name of the EV/EBITDA method.
pub const MARKET_MULTIPLES: &str = "market_multiples";
/// Wire name of the revenue cross-check that [`market_multiples`] uses without positive EBITDA.
pub const REVENUE_MULTIPLE: &str = "revenue_multiple";
/// Wire name of the discounted cash flow method.
pub const DCF: &str = "dcf";
/// Wire name of the net asset value method.
pub const NET_ASSET_VALUE: &str = "net_asset_value";
/// Wire name of the original design's method.
pub const RULE_OF_THUMB: &str = "rule_of_thumb";

/// One method's answer, with the assumptions behind it in words.
#[derive(Clone, Debug, PartialEq)]
pub struct MethodResult {
    /// Wire name, one of the constants of this module.
    pub method: &'static str,
    /// Equity value: what the owner's stake is worth, after debt.
    pub value: Paise,
    /// The method's own low and high, where it has a natural sensitivity.
    pub low: Option<Paise>,
    pub high: Option<Paise>,
    /// Assumptions and steps in words, for the report.
    pub notes: Vec<String>,
    /// The input fields the value depends on, e.g. `financials[0].ebitda`.
    pub inputs_used: Vec<String>,
}

/// Why a method or the whole valuation gave no number.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ValuationError {
    /// The inputs do not support this method (not a fault: the blend skips it).
    #[error("{method} does not apply: {reason}")]
    NotApplicable {
        method: &'static str,
        reason: String,
    },
    /// An amount left the range of `i64` paise; the inputs are not plausible.
    #[error("{method}: {what} is too large to compute")]
    Overflow {
        method: &'static str,
        what: &'static str,
    },
    /// An assumption is outside its meaningful range.
    #[error("assumption {name}: {reason}")]
    BadAssumption { name: &'static str, reason: String },
    /// No method applied, so there is nothing to blend.
    #[error("no valuation method applies to these inputs")]
    NothingToBlend,
}

impl ValuationError {
    pub(crate) fn not_applicable(method: &'static str, reason: impl Into<String>) -> Self {
        Self::NotApplicable {
            method,
            reason: reason.into(),
        }
    }
}

impl DomainError for ValuationError {
    fn code(&self) -> &'static str {
        match self {
            ValuationError::NotApplicable { .. } => "valuation_method_not_applicable",
            ValuationError::Overflow { .. } => "valuation_out_of_range",
            ValuationError::BadAssumption { .. } => "valuation_bad_assumption",
            ValuationError::NothingToBlend => "valuation_not_possible",
        }
    }
    fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidInput
    }
}

/// What one method returns.
pub type MethodOutcome = Result<MethodResult, ValuationError>;

/// Runs every method on `input` and blends what applies (without a trained model).
pub fn valuate(
    input: &ValuationInput,
    assumptions: &ValuationAssumptions,
) -> Result<Blend, ValuationError> {
    valuate_with_model(input, assumptions, None)
}

/// Runs every method on `input` and blends what applies with the trained model's estimate,
/// whose calibrated range then becomes the valuation's range.
pub fn valuate_with_model(
    input: &ValuationInput,
    assumptions: &ValuationAssumptions,
    model: Option<&ModelEstimate>,
) -> Result<Blend, ValuationError> {
    let outcomes = [
        market_multiples(input, assumptions),
        dcf(input, assumptions),
        net_asset_value(input, assumptions),
        rule_of_thumb(input, assumptions),
    ];
    blend(&outcomes, input, model)
}

/// An amount computed in `f64` paise, rounded half away from zero; refuses what does not fit `i64`.
pub(crate) fn to_paise(
    amount: f64,
    method: &'static str,
    what: &'static str,
) -> Result<Paise, ValuationError> {
    // 2^63 is exactly representable; every f64 below it in magnitude fits in an i64.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    let rounded = amount.round();
    if !rounded.is_finite() || rounded.abs() >= LIMIT {
        return Err(ValuationError::Overflow { method, what });
    }
    // In range and integral: the cast is exact.
    #[allow(clippy::cast_possible_truncation)]
    Ok(Paise::new(rounded as i64))
}

/// Paise as `f64` for rate arithmetic (exact below 2^53 paise, about ₹90 lakh crore).
#[allow(clippy::cast_precision_loss)]
pub(crate) fn f(amount: Paise) -> f64 {
    amount.get() as f64
}

/// The method and the figure a sum is for, as an overflow names them.
pub(crate) type Figure = (&'static str, &'static str);

/// `a − b` in paise, refusing overflow.
pub(crate) fn sub(a: Paise, b: Paise, (method, what): Figure) -> Result<Paise, ValuationError> {
    a.checked_sub(b)
        .ok_or(ValuationError::Overflow { method, what })
}

/// `a + b` in paise, refusing overflow.
pub(crate) fn add(a: Paise, b: Paise, (method, what): Figure) -> Result<Paise, ValuationError> {
    a.checked_add(b)
        .ok_or(ValuationError::Overflow { method, what })
}

/// A rate as a percentage for notes: `0.255` → `25.5%`.
pub(crate) fn pct(rate: f64) -> String {
    let s = format!("{:.2}", rate * 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_rounds_and_refuses_overflow() {
        assert_eq!(to_paise(2.5, DCF, "x"), Ok(Paise::new(3)));
        assert_eq!(to_paise(-2.5, DCF, "x"), Ok(Paise::new(-3)));
        assert!(matches!(
            to_paise(1e19, DCF, "x"),
            Err(ValuationError::Overflow { .. })
        ));
        assert!(matches!(
            to_paise(f64::NAN, DCF, "x"),
            Err(ValuationError::Overflow { .. })
        ));
        assert_eq!(pct(0.255), "25.5%");
        assert_eq!(pct(0.25), "25%");
        assert_eq!(pct(0.0725), "7.25%");
    }
}
