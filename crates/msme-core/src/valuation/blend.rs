//! The blend: one value and a range from the methods that apply, each weighted with a reason.
//!
//! Each method earns points, normalised to basis points that add up to exactly 10 000:
//!
//! | method | condition | points |
//! |---|---|---|
//! | market multiples, DCF | 3 or more consecutive latest years of positive EBITDA | 30 each |
//! | market multiples | fewer | 20 |
//! | DCF | 2 or more years of history, fewer positive | 15 |
//! | DCF | one year | 10 |
//! | revenue multiple | EBITDA not positive or not given | 15 |
//! | net asset value | EBITDA not positive or not given | 35 |
//! | net asset value | profitable | 10 |
//! | rule of thumb | always | 10 |
//! | trained model | when given | 40 |
//!
//! Every method but net asset value rests on the reported earnings or revenue, so its points
//! drop by a quarter (rounded down) while the financials are unverified.

use super::{
    f, to_paise, MethodOutcome, MethodResult, ValuationError, ValuationInput, DCF,
    MARKET_MULTIPLES, NET_ASSET_VALUE, REVENUE_MULTIPLE, RULE_OF_THUMB,
};
use crate::money::Paise;

/// Wire name of a trained model's estimate in [`Blend::methods`].
pub const MODEL: &str = "model";
/// The preliminary range is at least this far either side of the value.
const MIN_HALF_WIDTH: f64 = 0.10;

/// A trained model's estimate with its calibrated range: the extension point for the trained
/// models (a later slice fills it from the active model version).
#[derive(Clone, Debug, PartialEq)]
pub struct ModelEstimate {
    /// The model version that produced it.
    pub version: String,
    pub value: Paise,
    pub low: Paise,
    pub high: Paise,
    /// Share of held-out values the range covered (split-conformal), e.g. 0.8.
    pub coverage: f64,
    /// What the model is and how it did on held-out deals, for the method's notes.
    pub notes: Vec<String>,
}

/// A method that contributed, with its weight and why.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightedMethod {
    pub result: MethodResult,
    /// Weight in basis points; the weights of a blend add up to exactly 10 000.
    pub weight_bps: u32,
    pub reason: String,
}

impl WeightedMethod {
    /// The weight as a fraction of one.
    pub fn weight(&self) -> f64 {
        f64::from(self.weight_bps) / 10_000.0
    }
}

/// A method that gave no number, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct SkippedMethod {
    pub method: &'static str,
    pub reason: String,
}

/// The blended valuation.
#[derive(Clone, Debug, PartialEq)]
pub struct Blend {
    pub value: Paise,
    pub low: Paise,
    pub high: Paise,
    /// The stated coverage of `low..=high`: `None` while the range is only the methods' spread,
    /// the model's coverage once a model estimate is blended in.
    pub coverage: Option<f64>,
    pub methods: Vec<WeightedMethod>,
    pub skipped: Vec<SkippedMethod>,
    pub notes: Vec<String>,
}

/// Raw points for a method before normalising, with the reason.
fn points(result: &MethodResult, input: &ValuationInput) -> (u32, String) {
    let years = input.positive_ebitda_years();
    let (points, reason): (u32, String) = match result.method {
        MARKET_MULTIPLES | DCF if years >= 3 => (
            30,
            format!("{years} consecutive years of positive EBITDA: earnings are established"),
        ),
        MARKET_MULTIPLES => (
            20,
            format!("only {years} year(s) of positive EBITDA: earnings are not yet a record"),
        ),
        DCF if input.financials.len() >= 2 => (
            15,
            "fewer than 3 years of positive EBITDA: the projection leans on a short record".into(),
        ),
        DCF => (
            10,
            "one year of history: growth is assumed, not observed".into(),
        ),
        REVENUE_MULTIPLE => (
            15,
            "EBITDA is not positive or not given: a revenue multiple assumes the industry's \
             typical margin"
                .into(),
        ),
        NET_ASSET_VALUE if !input.has_positive_ebitda() => (
            35,
            "EBITDA is not positive or not given: a buyer pays for the assets, so they set the \
             floor"
                .into(),
        ),
        NET_ASSET_VALUE => (
            10,
            "profitable: assets understate what a going concern earns".into(),
        ),
        RULE_OF_THUMB => (
            10,
            "the original design's tables, kept for continuity; not calibrated to market data"
                .into(),
        ),
        _ => (10, "an unrecognised method".into()),
    };
    let earnings_based = result.method != NET_ASSET_VALUE;
    if earnings_based && !input.diligence.financials_verified {
        let reduced = points * 3 / 4;
        return (
            reduced,
            format!("{reason}; a quarter less: financials unverified"),
        );
    }
    (points, reason)
}

/// Shares `points` out of 10 000 by largest remainder, so they add up exactly.
fn to_bps(points: &[u32]) -> Vec<u32> {
    let total: u64 = points.iter().map(|&p| u64::from(p)).sum();
    let exact: Vec<u64> = points.iter().map(|&p| u64::from(p) * 10_000).collect();
    let mut bps: Vec<u64> = exact.iter().map(|e| e / total).collect();
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(exact[i] % total));
    let short = 10_000 - bps.iter().sum::<u64>();
    for &i in order.iter().take(usize::try_from(short).unwrap_or(0)) {
        bps[i] += 1;
    }
    bps.into_iter()
        .map(|b| u32::try_from(b).unwrap_or(10_000))
        .collect()
}

/// Weighs the methods that applied, adds the model estimate if given, and derives the value and
/// a range. Methods that did not apply are listed as skipped; any other error (an overflow, a bad
/// assumption) is returned, not skipped. Fails when nothing applied.
pub fn blend(
    outcomes: &[MethodOutcome],
    input: &ValuationInput,
    model: Option<&ModelEstimate>,
) -> Result<Blend, ValuationError> {
    let mut applied = Vec::new();
    let mut skipped = Vec::new();
    for o in outcomes {
        match o {
            Ok(r) => applied.push(r.clone()),
            Err(ValuationError::NotApplicable { method, reason }) => skipped.push(SkippedMethod {
                method,
                reason: reason.clone(),
            }),
            Err(e) => return Err(e.clone()),
        }
    }
    let mut weighed: Vec<(MethodResult, u32, String)> = applied
        .into_iter()
        .map(|r| {
            let (p, why) = points(&r, input);
            (r, p, why)
        })
        .collect();
    if let Some(m) = model {
        weighed.push((
            MethodResult {
                method: MODEL,
                value: m.value,
                low: Some(m.low),
                high: Some(m.high),
                notes: m.notes.clone(),
                inputs_used: vec![],
            },
            40,
            format!("trained model {} learned from comparable deals", m.version),
        ));
    }
    if weighed.iter().all(|(_, p, _)| *p == 0) {
        return Err(ValuationError::NothingToBlend);
    }
    let bps = to_bps(&weighed.iter().map(|(_, p, _)| *p).collect::<Vec<_>>());
    let methods: Vec<WeightedMethod> = weighed
        .into_iter()
        .zip(bps)
        .map(|((result, _, reason), weight_bps)| WeightedMethod {
            result,
            weight_bps,
            reason,
        })
        .collect();
    let mut notes = Vec::new();
    let mut value = weighted_value(&methods)?;
    if value.is_negative() {
        notes.push(format!(
            "the methods blend to {value}: liabilities exceed what the business is worth; a \
             buyer pays nothing for the equity, so the value is shown as zero"
        ));
        value = Paise::ZERO;
    }
    let (low, high, coverage) = range(&methods, value, model, &mut notes)?;
    Ok(Blend {
        value,
        low,
        high,
        coverage,
        methods,
        skipped,
        notes,
    })
}

/// Σ value × weight, exact in integers, rounded half away from zero.
fn weighted_value(methods: &[WeightedMethod]) -> Result<Paise, ValuationError> {
    let sum: i128 = methods
        .iter()
        .map(|m| i128::from(m.result.value.get()) * i128::from(m.weight_bps))
        .sum();
    let rounded = (sum + sum.signum() * 5_000) / 10_000;
    i64::try_from(rounded)
        .map(Paise::new)
        .map_err(|_| ValuationError::Overflow {
            method: "blend",
            what: "blended value",
        })
}

/// The model's calibrated range when there is one; else the value ± the weighted standard
/// deviation of the methods' values, at least ± 10%.
fn range(
    methods: &[WeightedMethod],
    value: Paise,
    model: Option<&ModelEstimate>,
    notes: &mut Vec<String>,
) -> Result<(Paise, Paise, Option<f64>), ValuationError> {
    if let Some(m) = model {
        notes.push(format!(
            "range: the model's calibrated range, widened to include the blended value; \
             coverage {:.0}%",
            m.coverage * 100.0
        ));
        return Ok((m.low.min(value), m.high.max(value), Some(m.coverage)));
    }
    let v = f(value);
    let variance: f64 = methods
        .iter()
        .map(|m| m.weight() * (f(m.result.value) - v).powi(2))
        .sum();
    let half = variance.sqrt().max(MIN_HALF_WIDTH * v.abs());
    let low = to_paise((v - half).max(0.0), "blend", "low end")?;
    let high = to_paise(v + half, "blend", "high end")?;
    notes.push(
        "preliminary range: the blended value ± the weighted standard deviation of the \
         methods' values (at least ± 10%), floored at zero; not a calibrated interval"
            .into(),
    );
    Ok((low, high, None))
}

#[cfg(test)]
#[path = "blend_tests.rs"]
mod tests;
